import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { EMBEDDING_DIMENSIONS } from '../../src/db/schema';
import { PgDialect } from 'drizzle-orm/pg-core';
import { hybridSearchQuery, searchSettings, vectorSearchQuery, type SearchScope } from '../../src/knowledge/knowledge.queries';
import { vectorLiteral } from '../../src/knowledge/knowledge.schemas';
import { call, json } from '../helpers/api';
import { asSystem, asTenant } from '../helpers/db';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from '../helpers/tenant-fixture';
import { tokenFor } from '../helpers/tokens';

interface Hit {
  id: string;
  knowledge_base_id: string;
  chunk_index: number;
  content: string;
  embedding_model: string | null;
  token_count: number;
  metadata: { tags?: string[] };
  score: number;
  vector_similarity: number | null;
  text_rank: number | null;
}
interface SearchResult {
  mode: string;
  data: Hit[];
}

const RUN = crypto.randomUUID().slice(0, 8);
const fixtures: FixtureIds[] = [];

/**
 * Embeddings at controlled angles in the plane of the first two axes, so cosine similarity to
 * the query e0 = (1, 0, 0, …) is exactly cos(angle): the expected order is certain.
 */
function atAngle(degrees: number): number[] {
  const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  const r = (degrees * Math.PI) / 180;
  v[0] = Math.round(Math.cos(r) * 1e6) / 1e6;
  v[1] = Math.round(Math.sin(r) * 1e6) / 1e6;
  return v;
}
const QUERY = atAngle(0);

let a: FixtureIds; // the searcher
let b: FixtureIds; // another tenant whose chunks are nearer and better text matches
let policies: string; // a's active knowledge base
let other: string; // a's second active knowledge base
let archived: string; // a's inactive knowledge base
const chunkIds: Record<string, string> = {};

async function kb(ids: FixtureIds, name: string, active = true): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(
    sql`insert into knowledge_bases (id, client_id, name, source_type, is_active) values (${id}, ${ids.clients}, ${name}, 'document', ${active})`,
  );
  return id;
}

function insertChunk(ids: FixtureIds, kbId: string, key: string, index: number, degrees: number, content: string, tags: string[] = []): SQL {
  const id = crypto.randomUUID();
  chunkIds[key] = id;
  return sql`insert into knowledge_chunks (id, client_id, knowledge_base_id, chunk_index, content, embedding, token_count, metadata)
    values (${id}, ${ids.clients}, ${kbId}, ${index}, ${content}, ${vectorLiteral(atAngle(degrees))}::vector, 5, ${JSON.stringify({ tags })}::jsonb)`;
}

beforeAll(async () => {
  [a, b] = await Promise.all([createTenantFixture(`ks-a-${RUN}`), createTenantFixture(`ks-b-${RUN}`)]);
  fixtures.push(a, b);
  policies = await kb(a, 'Policies');
  other = await kb(a, 'Other');
  archived = await kb(a, 'Archived', false);
  const bKb = await kb(b, 'B policies');
  await asSystem(
    // The fixtures' own chunks would be in scope: leave only the chunks below.
    sql`delete from knowledge_chunks where id in (${a.knowledge_chunks}, ${b.knowledge_chunks})`,
    // similarity to e0: P0 1, P1 0.866, P2 0.5, P4 0, P3 -1; 'refund' ×3, ×2, ×1 in P1, P2, P3.
    insertChunk(a, policies, 'P0', 0, 0, 'Store hours are nine to five on weekdays.', ['hours']),
    insertChunk(a, policies, 'P1', 1, 30, 'Refund policy: a refund is issued as a refund to the original card.', ['billing']),
    insertChunk(a, policies, 'P2', 2, 60, 'You may request a refund by mail; the refund arrives in a week.', ['billing', 'mail']),
    insertChunk(a, policies, 'P3', 3, 180, 'Contact the team about a refund.'),
    insertChunk(a, policies, 'P4', 4, 90, 'Shipping takes three days.', ['shipping']),
    insertChunk(a, other, 'Q0', 0, 5, 'Questions go to the support desk.', ['support']),
    insertChunk(a, archived, 'R0', 0, 1, 'Archived refund refund refund refund notes.', ['billing']),
    // Tenant b: nearer than anything of a's (identical to the query) and the best text match.
    insertChunk(b, bKb, 'B0', 0, 0, 'Refund refund refund refund refund: everything about a refund.', ['billing', 'hours']),
    insertChunk(b, bKb, 'B1', 1, 2, 'Refund questions and refund answers.', ['billing']),
  );
});

afterAll(async () => {
  for (const ids of fixtures) await deleteTenantFixture(ids);
});

const tokenAs = (ids: FixtureIds, role: Role) => tokenFor({ clientId: ids.clients, userId: ids.users, role });

async function search(body: Record<string, unknown>, ids: FixtureIds = a, role: Role = 'service') {
  const { result, roundTrips } = await countRoundTrips(async () => call('POST', '/v1/knowledge/search', { token: await tokenAs(ids, role), body }));
  expect(result.status, await result.clone().text()).toBe(200);
  expect(roundTrips).toBe(1);
  const out = await json<SearchResult>(result);
  return out.data;
}
const keys = (hits: Hit[]) => hits.map((h) => Object.entries(chunkIds).find(([, id]) => id === h.id)?.[0] ?? h.id);

describe('knowledge search: vector', () => {
  it('returns the nearest chunks by cosine similarity, best first, with score = 1 - cosine distance, without embeddings', async () => {
    const { result } = await countRoundTrips(async () =>
      call('POST', '/v1/knowledge/search', { token: await tokenAs(a, 'viewer'), body: { mode: 'vector', embedding: QUERY } }),
    );
    const text = await result.clone().text();
    expect(text).not.toContain('"embedding"');
    const hits = (await json<SearchResult>(result)).data;
    // Default k = 10; the inactive knowledge base and tenant b are left out.
    expect(keys(hits)).toEqual(['P0', 'Q0', 'P1', 'P2', 'P4', 'P3']);
    const expected = [1, Math.cos(Math.PI / 36), Math.cos(Math.PI / 6), 0.5, 0, -1];
    hits.forEach((hit, i) => {
      expect(hit.score).toBeCloseTo(expected[i]!, 5);
      expect(hit.vector_similarity).toBe(hit.score);
      expect(hit.text_rank).toBeNull();
    });
    expect(hits[0]).toMatchObject({ knowledge_base_id: policies, chunk_index: 0, content: 'Store hours are nine to five on weekdays.', metadata: { tags: ['hours'] } });

    expect(keys(await search({ mode: 'vector', embedding: QUERY, k: 3 }))).toEqual(['P0', 'Q0', 'P1']);
    // A query at 90° reverses the roles.
    expect(keys(await search({ mode: 'vector', embedding: atAngle(90), k: 2 }))).toEqual(['P4', 'P2']);
  });

  it('filters by knowledge base and by tags (any of them)', async () => {
    expect(keys(await search({ mode: 'vector', embedding: QUERY, knowledge_base_ids: [policies], k: 3 }))).toEqual(['P0', 'P1', 'P2']);
    expect(keys(await search({ mode: 'vector', embedding: QUERY, knowledge_base_ids: [other] }))).toEqual(['Q0']);
    expect(keys(await search({ mode: 'vector', embedding: QUERY, tags: ['billing'] }))).toEqual(['P1', 'P2']);
    expect(keys(await search({ mode: 'vector', embedding: QUERY, tags: ['mail', 'hours'] }))).toEqual(['P0', 'P2']);
    expect(keys(await search({ mode: 'vector', embedding: QUERY, tags: ['support'], knowledge_base_ids: [policies] }))).toEqual([]);
    // An inactive knowledge base is out of search even when named; another tenant's is simply empty.
    expect(await search({ mode: 'vector', embedding: QUERY, knowledge_base_ids: [archived] })).toEqual([]);
    expect(await search({ mode: 'vector', embedding: QUERY, knowledge_base_ids: [b.knowledge_bases] })).toEqual([]);
  });
});

describe('knowledge search: text', () => {
  it('ranks full-text matches by ts_rank_cd (english stemming, web-search syntax)', async () => {
    const hits = await search({ mode: 'text', query: 'refunds' });
    expect(keys(hits)).toEqual(['P1', 'P2', 'P3']);
    // One cover per occurrence of the single lexeme, weight D (0.1): 0.3, 0.2, 0.1.
    expect(hits.map((h) => h.score)).toEqual([expect.closeTo(0.3, 5), expect.closeTo(0.2, 5), expect.closeTo(0.1, 5)]);
    expect(hits.every((h) => h.text_rank === h.score && h.vector_similarity === null)).toBe(true);

    expect(keys(await search({ mode: 'text', query: 'refund -mail', k: 5 }))).toEqual(['P1', 'P3']);
    expect(keys(await search({ mode: 'text', query: '"three days"' }))).toEqual(['P4']);
    expect(keys(await search({ mode: 'text', query: 'refund', tags: ['mail'] }))).toEqual(['P2']);
    expect(keys(await search({ mode: 'text', query: 'support', knowledge_base_ids: [policies] }))).toEqual([]);
    expect(await search({ mode: 'text', query: 'the and of' })).toEqual([]); // stop words only
    expect(keys(await search({ mode: 'text', query: 'refund', k: 1 }))).toEqual(['P1']);
  });
});

describe('knowledge search: hybrid', () => {
  it('fuses the vector and text rankings with reciprocal rank fusion (k = 60) in one statement', async () => {
    const hits = await search({ mode: 'hybrid', embedding: QUERY, query: 'refund', knowledge_base_ids: [policies] });
    // vector ranks: P0 1, P1 2, P2 3, P4 4, P3 5; text ranks: P1 1, P2 2, P3 3.
    const rrf = { P1: 1 / 62 + 1 / 61, P2: 1 / 63 + 1 / 62, P3: 1 / 65 + 1 / 63, P0: 1 / 61, P4: 1 / 64 };
    expect(keys(hits)).toEqual(['P1', 'P2', 'P3', 'P0', 'P4']);
    hits.forEach((hit) => expect(hit.score).toBeCloseTo(rrf[keys([hit])[0] as keyof typeof rrf], 10));
    const byKey = Object.fromEntries(hits.map((h) => [keys([h])[0], h]));
    expect(byKey.P0!.text_rank).toBeNull();
    expect(byKey.P1!.text_rank).toBeCloseTo(0.3, 5);
    expect(byKey.P1!.vector_similarity).toBeCloseTo(Math.cos(Math.PI / 6), 5);

    expect(keys(await search({ mode: 'hybrid', embedding: QUERY, query: 'refund', knowledge_base_ids: [policies], k: 2 }))).toEqual(['P1', 'P2']);
    expect(keys(await search({ mode: 'hybrid', embedding: QUERY, query: 'refund', tags: ['billing'] }))).toEqual(['P1', 'P2']);
    // The best text match, found by both sides, beats the nearest vector that the text query misses.
    expect(keys(await search({ mode: 'hybrid', embedding: QUERY, query: 'shipping', knowledge_base_ids: [policies], k: 2 }))).toEqual(['P4', 'P0']);
  });
});

describe('knowledge search: tenant isolation', () => {
  it('another tenant’s chunks never appear in any mode, even when they are the nearest and best matches', async () => {
    const bIds = new Set([chunkIds.B0, chunkIds.B1]);
    const bodies = [
      { mode: 'vector', embedding: QUERY, k: 50 },
      { mode: 'text', query: 'refund', k: 50 },
      { mode: 'hybrid', embedding: QUERY, query: 'refund', k: 50 },
      { mode: 'vector', embedding: QUERY, k: 50, tags: ['billing'] },
      { mode: 'hybrid', embedding: QUERY, query: 'refund', k: 50, knowledge_base_ids: [b.knowledge_bases, policies] },
    ];
    for (const body of bodies) {
      const hits = await search(body);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.filter((h) => bIds.has(h.id))).toEqual([]);
    }
    // And tenant b sees its own, first.
    expect(keys(await search({ mode: 'vector', embedding: QUERY, k: 50 }, b))).toEqual(['B0', 'B1']);
    expect(keys(await search({ mode: 'text', query: 'refund' }, b))).toEqual(['B0', 'B1']);
  });
});

describe('knowledge search: validation', () => {
  it('refuses a missing embedding or query for the mode, bad embeddings and bad k with 422, without a round trip', async () => {
    const token = await tokenAs(a, 'viewer');
    const withNull: unknown[] = [...QUERY];
    withNull[9] = null;
    const cases: { body: Record<string, unknown>; path: RegExp }[] = [
      { body: { mode: 'vector' }, path: /^body\.embedding$/ },
      { body: { mode: 'vector', query: 'refund' }, path: /^body\.embedding$/ },
      { body: { mode: 'text' }, path: /^body\.query$/ },
      { body: { mode: 'text', embedding: QUERY }, path: /^body\.query$/ },
      { body: { mode: 'hybrid', query: 'refund' }, path: /^body\.embedding$/ },
      { body: { mode: 'hybrid', embedding: QUERY }, path: /^body\.query$/ },
      { body: { embedding: QUERY }, path: /^body\.mode$/ },
      { body: { mode: 'semantic', embedding: QUERY }, path: /^body\.mode$/ },
      { body: { mode: 'vector', embedding: QUERY.slice(0, 3) }, path: /^body\.embedding$/ },
      { body: { mode: 'vector', embedding: withNull }, path: /^body\.embedding\.9$/ },
      { body: { mode: 'vector', embedding: QUERY.map(String) }, path: /^body\.embedding\.0$/ },
      { body: { mode: 'vector', embedding: new Array(EMBEDDING_DIMENSIONS).fill(0) }, path: /^body\.embedding$/ },
      { body: { mode: 'vector', embedding: QUERY, k: 0 }, path: /^body\.k$/ },
      { body: { mode: 'vector', embedding: QUERY, k: 51 }, path: /^body\.k$/ },
      { body: { mode: 'vector', embedding: QUERY, k: 2.5 }, path: /^body\.k$/ },
      { body: { mode: 'text', query: '   ' }, path: /^body\.query$/ },
      { body: { mode: 'text', query: 'q'.repeat(1001) }, path: /^body\.query$/ },
      { body: { mode: 'text', query: 'refund', knowledge_base_ids: ['nope'] }, path: /^body\.knowledge_base_ids\.0$/ },
      { body: { mode: 'text', query: 'refund', tags: [] }, path: /^body\.tags$/ },
      { body: { mode: 'text', query: 'refund', limit: 3 }, path: /^body/ },
    ];
    for (const { body, path } of cases) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/knowledge/search', { token, body }));
      const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
      const errors = problem.errors as { path: string }[];
      expect(errors.some((e) => path.test(e.path)), `${JSON.stringify(errors).slice(0, 300)} should match ${path}`).toBe(true);
      expect(roundTrips).toBe(0);
    }
  });
});

describe('knowledge search: the HNSW index', () => {
  const scope = (): SearchScope => ({ clientId: a.clients });
  const context = () => ({ clientId: a.clients, userId: a.users, role: 'viewer' as const });

  it('the vector query the handler builds can be served by the HNSW index (EXPLAIN with seq scans, bitmap scans and sorts disabled)', async () => {
    // With a handful of rows the planner rightly prefers reading the tenant's rows through its
    // btree index and sorting them. Disabling sequential scans and explicit sorts leaves only
    // plans that get the ORDER BY from an index: the HNSW index must serve exactly this query
    // shape (tenant filter, RLS, knowledge-base InitPlan, iterative scan settings) for it to plan.
    const [, , , plan] = await asTenant(
      context(),
      searchSettings(10),
      sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`,
      sql`select set_config('enable_sort', 'off', true)`,
      sql`explain ${vectorSearchQuery(vectorLiteral(QUERY), 10, scope())}`,
    );
    const text = plan!.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toMatch(/Index Scan using knowledge_chunks_embedding_hnsw_idx on knowledge_chunks c/);
    expect(text).not.toMatch(/Disabled: true[\s\S]*CTE Scan/); // nothing disabled below the CTE
    expect(text).toMatch(/Order By: \(embedding <=> /);
  });

  it('the vector and hybrid statements send the query embedding once (the largest parameter)', () => {
    const embedding = vectorLiteral(QUERY);
    for (const statement of [vectorSearchQuery(embedding, 10, scope()), hybridSearchQuery(embedding, 'refund', 10, scope())]) {
      const { params } = new PgDialect().sqlToQuery(statement);
      expect(params.filter((param) => param === embedding)).toHaveLength(1);
    }
  });

  it('the hybrid query can be served by the HNSW index too', async () => {
    const [, , plan] = await asTenant(
      context(),
      searchSettings(40),
      sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`,
      sql`explain ${hybridSearchQuery(vectorLiteral(QUERY), 'refund', 10, scope())}`,
    );
    const text = plan!.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toMatch(/Index Scan using knowledge_chunks_embedding_hnsw_idx on knowledge_chunks c/);
  });

  it('iterative index scans still return k rows of this tenant when more than ef_search other rows are nearer', async () => {
    // 150 chunks of tenant b nearer to the query than any of a's: an HNSW scan without iterative
    // scanning would return its ef_search candidates, all b's, and the tenant filter would leave none.
    const bKb = await kb(b, 'Crowd');
    const values = Array.from({ length: 150 }, (_, i) =>
      sql`(${b.clients}, ${bKb}, ${i}, 'crowd', ${vectorLiteral(atAngle(0.001 * (i + 1)))}::vector, 1)`,
    );
    await asSystem(
      sql`insert into knowledge_chunks (client_id, knowledge_base_id, chunk_index, content, embedding, token_count) values ${sql.join(values, sql`, `)}`,
    );
    const forced = (iterative: boolean) =>
      asTenant(
        context(),
        searchSettings(5),
        sql`select set_config('hnsw.iterative_scan', ${iterative ? 'relaxed_order' : 'off'}, true), set_config('hnsw.ef_search', '40', true)`,
        sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`,
        sql`explain ${vectorSearchQuery(vectorLiteral(QUERY), 5, scope())}`,
        vectorSearchQuery(vectorLiteral(QUERY), 5, scope()),
      );
    const [, , , plan, rows] = await forced(true);
    expect(plan!.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/knowledge_chunks_embedding_hnsw_idx/);
    expect(rows!.map((r) => r.id)).toEqual(['P0', 'Q0', 'P1', 'P2', 'P4'].map((k) => chunkIds[k]));
    // Without iterative scans the same index plan loses this tenant's rows (why the API enables them).
    const [, , , , starved] = await forced(false);
    expect(starved!.length).toBeLessThan(5);
    // Through the API, whatever plan the planner picks.
    expect(keys(await search({ mode: 'vector', embedding: QUERY, k: 5 }))).toEqual(['P0', 'Q0', 'P1', 'P2', 'P4']);
  });
});
