import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';

interface KnowledgeBase {
  id: string;
  client_id: string;
  name: string;
  description: string | null;
  source_type: string;
  source_ref: string | null;
  is_active: boolean;
  is_processed: boolean;
  chunk_count: number;
  token_count: number;
  created_at: string;
  updated_at: string;
}
const { create: fixture } = useTenantFixtures('kb');

async function createKb(ids: FixtureIds, body: Record<string, unknown>, as: Role = 'editor'): Promise<KnowledgeBase> {
  const response = await call('POST', '/v1/knowledge-bases', { token: await tokenAs(ids, as), body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json<KnowledgeBase>(response);
}

async function kbCount(ids: FixtureIds): Promise<number> {
  const [rows] = await asSystem(sql`select count(*)::int as n from knowledge_bases where client_id = ${ids.clients}`);
  return rows![0]!.n as number;
}

describe('knowledge bases: create and read', () => {
  it('an editor creates a knowledge base (201, defaults, counts 0) in one round trip; get returns it', async () => {
    const ids = await fixture('create');
    const editor = await tokenAs(ids, 'editor');
    const body = { name: '  Product manual ', description: 'v2', source_type: 'document', source_ref: 'https://example.test/manual.pdf' };
    const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/knowledge-bases', { token: editor, body }));
    expect(result.status).toBe(201);
    expect(roundTrips).toBe(1);
    const kb = await json<KnowledgeBase>(result);
    expect(kb).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      name: 'Product manual',
      description: 'v2',
      source_type: 'document',
      source_ref: 'https://example.test/manual.pdf',
      is_active: true,
      is_processed: false,
      chunk_count: 0,
      token_count: 0,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const got = await countRoundTrips(async () => call('GET', `/v1/knowledge-bases/${kb.id}`, { token: await tokenAs(ids, 'service') }));
    expect(got.result.status).toBe(200);
    expect(got.roundTrips).toBe(1);
    expect(await json(got.result)).toEqual(kb);

    const minimal = await createKb(ids, { name: 'FAQ two', source_type: 'faq', is_active: false, is_processed: true });
    expect(minimal).toMatchObject({ description: null, source_ref: null, is_active: false, is_processed: true });
  });

  it('refuses invalid bodies with 422 and a field path, and read-only counts cannot be set', async () => {
    const ids = await fixture('validation');
    const editor = await tokenAs(ids, 'editor');
    const cases: { body: Record<string, unknown>; path: RegExp }[] = [
      { body: { source_type: 'faq' }, path: /^body\.name$/ },
      { body: { name: '   ', source_type: 'faq' }, path: /^body\.name$/ },
      { body: { name: 'x'.repeat(256), source_type: 'faq' }, path: /^body\.name$/ },
      { body: { name: 'n' }, path: /^body\.source_type$/ },
      { body: { name: 'n', source_type: 'podcast' }, path: /^body\.source_type$/ },
      { body: { name: 'n', source_type: 'faq', description: 'd'.repeat(1001) }, path: /^body\.description$/ },
      { body: { name: 'n', source_type: 'faq', source_ref: 'r'.repeat(501) }, path: /^body\.source_ref$/ },
      { body: { name: 'n', source_type: 'faq', is_active: 'yes' }, path: /^body\.is_active$/ },
      { body: { name: 'n', source_type: 'faq', chunk_count: 5 }, path: /^body/ },
      { body: { name: 'n', source_type: 'faq', token_count: 5 }, path: /^body/ },
      { body: { name: 'n', source_type: 'faq', client_id: crypto.randomUUID() }, path: /^body/ },
      { body: { name: 'a\u0000b', source_type: 'faq' }, path: /^body\.name$/ },
    ];
    for (const { body, path } of cases) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/knowledge-bases', { token: editor, body }));
      const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
      const errors = problem.errors as { path: string }[];
      expect(errors.some((e) => path.test(e.path)), `${JSON.stringify(errors)} should match ${path}`).toBe(true);
      expect(roundTrips).toBe(0);
    }
    const patch = `/v1/knowledge-bases/${ids.knowledge_bases}`;
    await expectProblem(await call('PATCH', patch, { token: editor, body: { chunk_count: 99 } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', patch, { token: editor, body: { name: null } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', patch, { token: editor, body: { source_type: null } }), 422, 'VALIDATION_FAILED');
    expect(await kbCount(ids)).toBe(1);
    const [rows] = await asSystem(sql`select chunk_count from knowledge_bases where id = ${ids.knowledge_bases}`);
    expect(rows![0]!.chunk_count).toBe(1);
  });

  it('roles: viewers and services read, only editors and up write', async () => {
    const ids = await fixture('roles');
    const body = { name: 'Nope', source_type: 'faq' };
    for (const role of ['viewer', 'service'] as const) {
      const token = await tokenAs(ids, role);
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/knowledge-bases', { token, body }));
      await expectProblem(result, 403, 'FORBIDDEN');
      expect(roundTrips).toBe(0);
      expect((await call('GET', '/v1/knowledge-bases', { token })).status).toBe(200);
      expect((await call('GET', `/v1/knowledge-bases/${ids.knowledge_bases}`, { token })).status).toBe(200);
      await expectProblem(await call('PATCH', `/v1/knowledge-bases/${ids.knowledge_bases}`, { token, body: { name: 'x' } }), 403, 'FORBIDDEN');
      await expectProblem(await call('DELETE', `/v1/knowledge-bases/${ids.knowledge_bases}`, { token }), 403, 'FORBIDDEN');
    }
    for (const role of ['owner', 'admin', 'editor'] as const) await createKb(ids, { name: `By ${role}`, source_type: 'manual' }, role);
    expect(await kbCount(ids)).toBe(4);
  });
});

describe('knowledge bases: list', () => {
  it('pages newest first and filters by source_type and is_active, one round trip per page', async () => {
    const ids = await fixture('list');
    const viewer = await tokenAs(ids, 'viewer');
    const made: KnowledgeBase[] = [];
    for (const [i, sourceType] of ['document', 'website', 'document', 'product', 'document'].entries()) {
      made.push(await createKb(ids, { name: `KB ${i}`, source_type: sourceType, is_active: i !== 2 }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/knowledge-bases?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const { result, roundTrips } = await countRoundTrips(() => call('GET', path, { token: viewer }));
      expect(result.status).toBe(200);
      expect(roundTrips).toBe(1);
      const page = await json<Page<KnowledgeBase>>(result);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((kb) => kb.id));
      cursor = page.next_cursor;
    } while (cursor);
    // Five created here plus the fixture's, newest first (created_at, then id, both descending).
    const newestFirst = [...made].sort((x, y) => (x.created_at === y.created_at ? (x.id < y.id ? 1 : -1) : x.created_at < y.created_at ? 1 : -1));
    expect(seen).toEqual([...newestFirst.map((kb) => kb.id), ids.knowledge_bases]);
    const names = (kbs: KnowledgeBase[]) => kbs.map((kb) => kb.name);
    const order = names(newestFirst);

    const docs = await json<Page<KnowledgeBase>>(await call('GET', '/v1/knowledge-bases?source_type=document', { token: viewer }));
    expect(names(docs.data)).toEqual(order.filter((n) => ['KB 4', 'KB 2', 'KB 0'].includes(n)));
    const activeDocs = await json<Page<KnowledgeBase>>(
      await call('GET', '/v1/knowledge-bases?source_type=document&is_active=true', { token: viewer }),
    );
    expect(names(activeDocs.data)).toEqual(order.filter((n) => ['KB 4', 'KB 0'].includes(n)));
    const inactive = await json<Page<KnowledgeBase>>(await call('GET', '/v1/knowledge-bases?is_active=false', { token: viewer }));
    expect(names(inactive.data)).toEqual(['KB 2']);

    await expectProblem(await call('GET', '/v1/knowledge-bases?source_type=podcast', { token: viewer }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('GET', '/v1/knowledge-bases?is_active=maybe', { token: viewer }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('GET', '/v1/knowledge-bases?limit=101', { token: viewer }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('GET', '/v1/knowledge-bases?cursor=garbage', { token: viewer }), 400, 'INVALID_CURSOR');
  });

  it('never lists another tenant’s knowledge bases', async () => {
    const a = await fixture('list-a');
    const b = await fixture('list-b');
    await createKb(b, { name: 'B secret', source_type: 'faq' });
    const page = await json<Page<KnowledgeBase>>(await call('GET', '/v1/knowledge-bases?limit=100', { token: await tokenAs(a, 'viewer') }));
    expect(page.data.map((kb) => kb.id)).toEqual([a.knowledge_bases]);
  });
});

describe('knowledge bases: update and delete', () => {
  it('PATCH changes the given fields in one round trip; an empty PATCH changes nothing', async () => {
    const ids = await fixture('patch');
    const editor = await tokenAs(ids, 'editor');
    const path = `/v1/knowledge-bases/${ids.knowledge_bases}`;
    const before = await json<KnowledgeBase>(await call('GET', path, { token: editor }));
    const { result, roundTrips } = await countRoundTrips(() =>
      call('PATCH', path, { token: editor, body: { name: 'Renamed', description: null, is_processed: true, source_type: 'website' } }),
    );
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    const after = await json<KnowledgeBase>(result);
    expect(after).toMatchObject({ name: 'Renamed', description: null, is_processed: true, source_type: 'website', chunk_count: 1, token_count: 7 });
    expect(after.updated_at >= before.updated_at).toBe(true);

    const empty = await call('PATCH', path, { token: editor, body: {} });
    expect(empty.status).toBe(200);
    expect(await json(empty)).toEqual(after);
  });

  it('DELETE removes the knowledge base and its chunks in one round trip', async () => {
    const ids = await fixture('delete');
    const editor = await tokenAs(ids, 'editor');
    const { result, roundTrips } = await countRoundTrips(() => call('DELETE', `/v1/knowledge-bases/${ids.knowledge_bases}`, { token: editor }));
    expect(result.status).toBe(204);
    expect(roundTrips).toBe(1);
    const [kbs, chunks] = await asSystem(
      sql`select count(*)::int as n from knowledge_bases where id = ${ids.knowledge_bases}`,
      sql`select count(*)::int as n from knowledge_chunks where knowledge_base_id = ${ids.knowledge_bases}`,
    );
    expect(kbs![0]!.n).toBe(0);
    expect(chunks![0]!.n).toBe(0);
    await expectProblem(await call('DELETE', `/v1/knowledge-bases/${ids.knowledge_bases}`, { token: editor }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
    await expectProblem(await call('GET', `/v1/knowledge-bases/${ids.knowledge_bases}`, { token: editor }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
  });

  it('another tenant’s id is 404 for get, update and delete, and nothing changes', async () => {
    const a = await fixture('xt-a');
    const b = await fixture('xt-b');
    const attacker = await tokenAs(b, 'owner');
    const path = `/v1/knowledge-bases/${a.knowledge_bases}`;
    const snapshot = async () => (await asSystem(sql`select to_jsonb(k) as row from knowledge_bases k where id = ${a.knowledge_bases}`))[0]![0]!.row;
    const before = await snapshot();
    await expectProblem(await call('GET', path, { token: attacker }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
    await expectProblem(await call('PATCH', path, { token: attacker, body: { name: 'Pwned' } }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
    await expectProblem(await call('DELETE', path, { token: attacker }), 404, 'KNOWLEDGE_BASE_NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });
});
