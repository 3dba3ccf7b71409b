import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { EMBEDDING_DIMENSIONS } from '../../src/db/schema';
import { MAX_CHUNKS_PER_REQUEST } from '../../src/knowledge/knowledge.schemas';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';

interface IngestResult {
  inserted: number;
  updated: number;
  unchanged: number;
  chunk_count: number;
  token_count: number;
}
interface Chunk {
  id: string;
  client_id: string;
  knowledge_base_id: string;
  chunk_index: number;
  content: string;
  embedding_model: string | null;
  has_embedding: boolean;
  token_count: number;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}
const { create: fixture } = useTenantFixtures('kc');

/** A deterministic embedding: a unit vector in the plane of axes (seed, seed+1). */
function embedding(seed: number): number[] {
  const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  v[seed % EMBEDDING_DIMENSIONS] = 0.6;
  v[(seed + 1) % EMBEDDING_DIMENSIONS] = 0.8;
  return v;
}

function chunk(index: number, extra: Record<string, unknown> = {}) {
  return { chunk_index: index, content: `Chunk number ${index} about returns.`, embedding: embedding(index), token_count: 10 + index, ...extra };
}

async function newKb(ids: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(sql`insert into knowledge_bases (id, client_id, name, source_type) values (${id}, ${ids.clients}, 'Chunks KB', 'document')`);
  return id;
}

async function ingest(ids: FixtureIds, kb: string, body: unknown, role: Role = 'service') {
  return countRoundTrips(async () => call('POST', `/v1/knowledge-bases/${kb}/chunks`, { token: await tokenAs(ids, role), body }));
}

/** The counts the database keeps, and the truth recomputed from the chunks. */
async function counts(kb: string) {
  const [stored, truth] = await asSystem(
    sql`select chunk_count, token_count from knowledge_bases where id = ${kb}`,
    sql`select count(*)::int as chunk_count, coalesce(sum(token_count), 0)::int as token_count from knowledge_chunks where knowledge_base_id = ${kb}`,
  );
  return { stored: stored![0], truth: truth![0] };
}

async function chunkRows(kb: string) {
  const [rows] = await asSystem(
    sql`select chunk_index, content, embedding::text as embedding, embedding_model, token_count, metadata, updated_at::text as updated_at
        from knowledge_chunks where knowledge_base_id = ${kb} order by chunk_index`,
  );
  return rows!;
}

async function auditCount(ids: FixtureIds): Promise<number> {
  const [rows] = await asSystem(sql`select count(*)::int as n from audit_logs where client_id = ${ids.clients}`);
  return rows![0]!.n as number;
}

describe('chunks: bulk upsert', () => {
  it('inserts a batch in one round trip and reports counts; chunk_count/token_count are true', async () => {
    const ids = await fixture('insert');
    const kb = await newKb(ids);
    const body = {
      embedding_model: 'text-embedding-3-small',
      chunks: [
        chunk(0, { metadata: { source_url: 'https://example.test/returns', page_number: 3, section: 'Returns', tags: ['returns', 'policy'] } }),
        chunk(1, { embedding_model: 'other-model' }),
        chunk(2),
      ],
    };
    const { result, roundTrips } = await ingest(ids, kb, body);
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    expect(await json<IngestResult>(result)).toEqual({ inserted: 3, updated: 0, unchanged: 0, chunk_count: 3, token_count: 33 });
    expect(await counts(kb)).toEqual({ stored: { chunk_count: 3, token_count: 33 }, truth: { chunk_count: 3, token_count: 33 } });

    const rows = await chunkRows(kb);
    expect(rows.map((r) => [r.chunk_index, r.embedding_model, r.token_count])).toEqual([
      [0, 'text-embedding-3-small', 10],
      [1, 'other-model', 11],
      [2, 'text-embedding-3-small', 12],
    ]);
    expect(rows[0]!.metadata).toEqual({ source_url: 'https://example.test/returns', page_number: 3, section: 'Returns', tags: ['returns', 'policy'] });
    expect(rows[1]!.metadata).toEqual({});
    // The embedding is stored as sent.
    const stored = JSON.parse(rows[0]!.embedding as string) as number[];
    expect(stored).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(stored.slice(0, 3)).toEqual([0.6, 0.8, 0]);
  });

  it('is idempotent: the same batch twice gives the same rows; changed chunks are updated, unchanged left alone', async () => {
    const ids = await fixture('idempotent');
    const kb = await newKb(ids);
    const body = { chunks: [chunk(0), chunk(1), chunk(2)] };
    expect(await json<IngestResult>((await ingest(ids, kb, body)).result)).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    const first = await chunkRows(kb);
    const auditBefore = await auditCount(ids);

    const again = await ingest(ids, kb, body);
    expect(again.roundTrips).toBe(1);
    expect(await json<IngestResult>(again.result)).toEqual({ inserted: 0, updated: 0, unchanged: 3, chunk_count: 3, token_count: 33 });
    expect(await chunkRows(kb)).toEqual(first); // not even updated_at moved
    expect(await auditCount(ids)).toBe(auditBefore);

    // One changed, one new, one the same: an upsert by (knowledge_base_id, chunk_index).
    const mixed = { chunks: [chunk(0), chunk(1, { content: 'Rewritten.', token_count: 2, embedding: embedding(7) }), chunk(5)] };
    const result = await json<IngestResult>((await ingest(ids, kb, mixed)).result);
    expect(result).toEqual({ inserted: 1, updated: 1, unchanged: 1, chunk_count: 4, token_count: 10 + 2 + 12 + 15 });
    const rows = await chunkRows(kb);
    expect(rows.map((r) => r.chunk_index)).toEqual([0, 1, 2, 5]);
    expect(rows[1]!.content).toBe('Rewritten.');
    expect(rows[0]!.updated_at).toBe(first[0]!.updated_at);
    expect(await counts(kb)).toEqual({ stored: { chunk_count: 4, token_count: 39 }, truth: { chunk_count: 4, token_count: 39 } });

    // Metadata alone changing is a change too.
    const tagged = await json<IngestResult>((await ingest(ids, kb, { chunks: [chunk(5, { metadata: { tags: ['new'] } })] })).result);
    expect(tagged).toMatchObject({ inserted: 0, updated: 1, unchanged: 0, chunk_count: 4 });
  });

  it(`accepts ${MAX_CHUNKS_PER_REQUEST} chunks per request and refuses one more with 422, writing nothing`, async () => {
    const ids = await fixture('limit');
    const kb = await newKb(ids);
    const many = Array.from({ length: MAX_CHUNKS_PER_REQUEST + 1 }, (_, i) => chunk(i));
    const tooMany = await ingest(ids, kb, { chunks: many });
    const problem = await expectProblem(tooMany.result, 422, 'VALIDATION_FAILED');
    expect((problem.errors as { path: string }[]).some((e) => e.path === 'body.chunks')).toBe(true);
    expect(tooMany.roundTrips).toBe(0);
    expect(await counts(kb)).toEqual({ stored: { chunk_count: 0, token_count: 0 }, truth: { chunk_count: 0, token_count: 0 } });

    const full = await ingest(ids, kb, { chunks: many.slice(0, MAX_CHUNKS_PER_REQUEST) });
    expect(full.result.status).toBe(200);
    expect(await json<IngestResult>(full.result)).toMatchObject({ inserted: MAX_CHUNKS_PER_REQUEST, chunk_count: MAX_CHUNKS_PER_REQUEST });

    // A body over the API's 1 MiB limit is 413, whatever it holds.
    const huge = { chunks: [chunk(0, { content: 'x'.repeat(1_100_000) })] };
    await expectProblem((await ingest(ids, kb, huge)).result, 413, 'PAYLOAD_TOO_LARGE');
    await expectProblem((await ingest(ids, kb, { chunks: [] })).result, 422, 'VALIDATION_FAILED');
  });

  it('refuses bad embeddings and chunks with 422 and a field path, writing nothing', async () => {
    const ids = await fixture('invalid');
    const kb = await newKb(ids);
    const withNull = embedding(0) as unknown[];
    withNull[17] = null;
    const withString = embedding(0) as unknown[];
    withString[3] = '0.5';
    const withNested = embedding(0) as unknown[];
    withNested[1535] = [1];
    const huge = embedding(0);
    huge[2] = 1e300;
    const cases: { chunks: unknown[]; path: RegExp }[] = [
      { chunks: [chunk(0, { embedding: embedding(0).slice(1) })], path: /^body\.chunks\.0\.embedding$/ },
      { chunks: [chunk(0, { embedding: [...embedding(0), 0.1] })], path: /^body\.chunks\.0\.embedding$/ },
      { chunks: [chunk(0, { embedding: [] })], path: /^body\.chunks\.0\.embedding$/ },
      { chunks: [chunk(0), chunk(1, { embedding: withNull })], path: /^body\.chunks\.1\.embedding\.17$/ },
      { chunks: [chunk(0, { embedding: withString })], path: /^body\.chunks\.0\.embedding\.3$/ },
      { chunks: [chunk(0, { embedding: withNested })], path: /^body\.chunks\.0\.embedding\.1535$/ },
      { chunks: [chunk(0, { embedding: huge })], path: /^body\.chunks\.0\.embedding\.2$/ },
      { chunks: [chunk(0, { embedding: new Array(EMBEDDING_DIMENSIONS).fill(0) })], path: /^body\.chunks\.0\.embedding$/ },
      { chunks: [chunk(0, { embedding: 'not a vector' })], path: /^body\.chunks\.0\.embedding$/ },
      { chunks: [chunk(0, { embedding: undefined })], path: /^body\.chunks\.0\.embedding$/ },
      { chunks: [chunk(0), chunk(1), chunk(0)], path: /^body\.chunks\.2\.chunk_index$/ },
      { chunks: [chunk(-1)], path: /^body\.chunks\.0\.chunk_index$/ },
      { chunks: [chunk(1.5)], path: /^body\.chunks\.0\.chunk_index$/ },
      { chunks: [chunk(0, { token_count: -1 })], path: /^body\.chunks\.0\.token_count$/ },
      { chunks: [chunk(0, { content: '' })], path: /^body\.chunks\.0\.content$/ },
      { chunks: [chunk(0, { content: 'x'.repeat(8001) })], path: /^body\.chunks\.0\.content$/ },
      { chunks: [chunk(0, { content: 'nul \u0000 inside' })], path: /^body\.chunks\.0\.content$/ },
      { chunks: [chunk(0, { metadata: { tags: 'returns' } })], path: /^body\.chunks\.0\.metadata\.tags$/ },
      { chunks: [chunk(0, { metadata: { colour: 'red' } })], path: /^body\.chunks\.0\.metadata/ },
      { chunks: [chunk(0, { metadata: { source_url: 'not a url' } })], path: /^body\.chunks\.0\.metadata\.source_url$/ },
      { chunks: [chunk(0, { metadata: { source_url: 'javascript:alert(1)' } })], path: /^body\.chunks\.0\.metadata\.source_url$/ },
      { chunks: [chunk(0, { id: crypto.randomUUID() })], path: /^body\.chunks\.0/ },
    ];
    const auditBefore = await auditCount(ids);
    for (const { chunks, path } of cases) {
      const { result, roundTrips } = await ingest(ids, kb, { chunks });
      const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
      const errors = problem.errors as { path: string }[];
      expect(errors.some((e) => path.test(e.path)), `${JSON.stringify(errors).slice(0, 300)} should match ${path}`).toBe(true);
      expect(errors.length).toBeLessThan(10);
      expect(roundTrips).toBe(0);
    }
    // A whole embedding of nulls reports one error, not 1536.
    const nulls = await ingest(ids, kb, { chunks: [chunk(0, { embedding: new Array(EMBEDDING_DIMENSIONS).fill(null) })] });
    expect(((await expectProblem(nulls.result, 422)).errors as unknown[]).length).toBe(1);
    expect(await counts(kb)).toEqual({ stored: { chunk_count: 0, token_count: 0 }, truth: { chunk_count: 0, token_count: 0 } });
    expect(await auditCount(ids)).toBe(auditBefore);
  });

  it('a knowledge base of another tenant (or none) is 404 and nothing is written anywhere', async () => {
    const a = await fixture('xt-a');
    const b = await fixture('xt-b');
    const before = await counts(a.knowledge_bases);
    const { result, roundTrips } = await ingest(b, a.knowledge_bases, { chunks: [chunk(0, { content: 'Injected' }), chunk(9)] }, 'owner');
    await expectProblem(result, 404, 'KNOWLEDGE_BASE_NOT_FOUND');
    expect(roundTrips).toBe(1);
    expect(await counts(a.knowledge_bases)).toEqual(before);
    const [rows] = await asSystem(
      sql`select count(*)::int as n from knowledge_chunks where content = 'Injected' or (knowledge_base_id = ${a.knowledge_bases} and chunk_index = 9)`,
    );
    expect(rows![0]!.n).toBe(0);
    await expectProblem((await ingest(b, crypto.randomUUID(), { chunks: [chunk(0)] })).result, 404, 'KNOWLEDGE_BASE_NOT_FOUND');
  });

  it('roles: service, editor and up ingest; a viewer cannot', async () => {
    const ids = await fixture('roles');
    const kb = await newKb(ids);
    const { result, roundTrips } = await ingest(ids, kb, { chunks: [chunk(0)] }, 'viewer');
    await expectProblem(result, 403, 'FORBIDDEN');
    expect(roundTrips).toBe(0);
    for (const [i, role] of (['owner', 'admin', 'editor', 'service'] as const).entries()) {
      expect((await ingest(ids, kb, { chunks: [chunk(i)] }, role)).result.status).toBe(200);
    }
  });
});

describe('chunks: list and delete', () => {
  it('pages by chunk_index without embeddings, one round trip per page', async () => {
    const ids = await fixture('list');
    const kb = await newKb(ids);
    const indexes = [7, 0, 3, 12, 5];
    await ingest(ids, kb, { chunks: indexes.map((i) => chunk(i, { metadata: { tags: [`t${i}`] } })) });
    const viewer = await tokenAs(ids, 'viewer');
    const seen: Chunk[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/knowledge-bases/${kb}/chunks?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const { result, roundTrips } = await countRoundTrips(() => call('GET', path, { token: viewer }));
      expect(result.status).toBe(200);
      expect(roundTrips).toBe(1);
      const text = await result.text();
      expect(text).not.toContain('"embedding"');
      expect(text).not.toContain('0.6,0.8');
      const page = JSON.parse(text) as Page<Chunk>;
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((c) => c.chunk_index)).toEqual([0, 3, 5, 7, 12]);
    expect(seen[0]).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      knowledge_base_id: kb,
      chunk_index: 0,
      content: 'Chunk number 0 about returns.',
      embedding_model: null,
      has_embedding: true,
      token_count: 10,
      metadata: { tags: ['t0'] },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const empty = await json<Page<Chunk>>(await call('GET', `/v1/knowledge-bases/${await newKb(ids)}/chunks`, { token: viewer }));
    expect(empty).toEqual({ data: [], next_cursor: null });
    await expectProblem(await call('GET', `/v1/knowledge-bases/${kb}/chunks?cursor=nope`, { token: viewer }), 400, 'INVALID_CURSOR');
    await expectProblem(await call('GET', `/v1/knowledge-bases/${crypto.randomUUID()}/chunks`, { token: viewer }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
    const other = await fixture('list-other');
    await expectProblem(
      await call('GET', `/v1/knowledge-bases/${kb}/chunks`, { token: await tokenAs(other, 'owner') }),
      404,
      'KNOWLEDGE_BASE_NOT_FOUND',
    );
  });

  it('deletes one chunk and then all chunks in one round trip each; counts stay true', async () => {
    const ids = await fixture('delete');
    const kb = await newKb(ids);
    await ingest(ids, kb, { chunks: [chunk(0), chunk(1), chunk(2), chunk(3)] });
    const service = await tokenAs(ids, 'service');
    const list = await json<Page<Chunk>>(await call('GET', `/v1/knowledge-bases/${kb}/chunks`, { token: service }));
    const target = list.data.find((c) => c.chunk_index === 1)!;

    const one = await countRoundTrips(() => call('DELETE', `/v1/knowledge-bases/${kb}/chunks/${target.id}`, { token: service }));
    expect(one.result.status).toBe(204);
    expect(one.roundTrips).toBe(1);
    expect(await counts(kb)).toEqual({ stored: { chunk_count: 3, token_count: 10 + 12 + 13 }, truth: { chunk_count: 3, token_count: 35 } });
    await expectProblem(await call('DELETE', `/v1/knowledge-bases/${kb}/chunks/${target.id}`, { token: service }), 404, 'KNOWLEDGE_CHUNK_NOT_FOUND');
    // A chunk id under the wrong knowledge base is not found either.
    await expectProblem(
      await call('DELETE', `/v1/knowledge-bases/${ids.knowledge_bases}/chunks/${list.data[0]!.id}`, { token: service }),
      404,
      'KNOWLEDGE_CHUNK_NOT_FOUND',
    );

    const all = await countRoundTrips(() => call('DELETE', `/v1/knowledge-bases/${kb}/chunks`, { token: service }));
    expect(all.result.status).toBe(200);
    expect(all.roundTrips).toBe(1);
    expect(await json(all.result)).toEqual({ deleted: 3, chunk_count: 0, token_count: 0 });
    expect(await counts(kb)).toEqual({ stored: { chunk_count: 0, token_count: 0 }, truth: { chunk_count: 0, token_count: 0 } });
    expect(await json(await call('DELETE', `/v1/knowledge-bases/${kb}/chunks`, { token: service }))).toEqual({ deleted: 0, chunk_count: 0, token_count: 0 });
    // The fixture knowledge base was not touched.
    expect((await counts(ids.knowledge_bases)).stored).toEqual({ chunk_count: 1, token_count: 7 });
    await expectProblem(await call('DELETE', `/v1/knowledge-bases/${crypto.randomUUID()}/chunks`, { token: service }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
  });

  it('another tenant cannot delete this tenant’s chunks (404, nothing deleted)', async () => {
    const a = await fixture('del-a');
    const b = await fixture('del-b');
    const attacker = await tokenAs(b, 'owner');
    await expectProblem(
      await call('DELETE', `/v1/knowledge-bases/${a.knowledge_bases}/chunks/${a.knowledge_chunks}`, { token: attacker }),
      404,
      'KNOWLEDGE_CHUNK_NOT_FOUND',
    );
    // Even naming its own knowledge base with the victim's chunk id.
    await expectProblem(
      await call('DELETE', `/v1/knowledge-bases/${b.knowledge_bases}/chunks/${a.knowledge_chunks}`, { token: attacker }),
      404,
      'KNOWLEDGE_CHUNK_NOT_FOUND',
    );
    await expectProblem(await call('DELETE', `/v1/knowledge-bases/${a.knowledge_bases}/chunks`, { token: attacker }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
    expect(await counts(a.knowledge_bases)).toEqual({ stored: { chunk_count: 1, token_count: 7 }, truth: { chunk_count: 1, token_count: 7 } });
  });
});
