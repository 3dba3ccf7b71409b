import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS } from '../../../src/db/schema';
import { call, json } from '../../helpers/api';
import { asSystem } from '../../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { useGlobalRowCleanup } from '../../helpers/global-rows';
import { expectProblem } from '../../helpers/problem';
import { dataDigest, rowOf } from '../../helpers/rows';
import {
  FOREIGN_ID_CASES,
  GLOBAL_LISTS,
  GLOBAL_NAMES,
  LISTS,
  NATURAL_KEY_CASES,
  READ_NAMES,
  filterOf,
  type ForeignIdCase,
  type ListCase,
  type Owned,
} from './cross-tenant-cases';
import { ROLE_MATRIX } from './role-matrix';
import { seedOutput, seedRun, seedSkill } from './routes/agent-work';
import { newReply } from './routes/engagement';

/**
 * Tenant B never reaches tenant A's rows, and each check proves it: the request as A succeeds
 * (positive control), B gets the one expected problem code (not any 404: a renamed path answers
 * ROUTE_NOT_FOUND), and neither client's data changes. Lists are read as B with every documented
 * filter set to A's values, and show none of A's ids, while A's own answer shows its row.
 */

const globals = useGlobalRowCleanup();
const fixtures = useTenantFixtures('xt', { afterDeleteAll: globals.deleteNew });

// `a` owns what the foreign-id cases name and `b` attacks; each case makes the rows it changes.
let a: FixtureIds;
let b: FixtureIds;
// The list fixtures: prepared once, then only read.
let la: Owned;
let lb: Owned;

/** A list fixture: every list filter below selects one of its rows, and its owner has changed a row (the audit trail). */
async function listFixture(label: string, kpi: string): Promise<Owned> {
  const ids = await fixtures.create(label);
  const keyRun = crypto.randomUUID();
  await asSystem(
    sql`update authors set is_power_user = true, power_tier = 'micro' where id = ${ids.authors}`,
    sql`update posts set keyword_categories = '{problem}' where id = ${ids.posts}`,
    sql`insert into runs (id, client_id, api_key_id, skill_id, user_message)
        values (${keyRun}, ${ids.clients}, ${ids.api_keys}, ${ids.skills}, 'key run')`,
    sql`update competitors set price_point = 'mid' where id = ${ids.competitors}`,
    sql`update competitive_mentions set opportunity_score = 0.9 where id = ${ids.competitive_mentions}`,
    sql`update kpi_metrics set value = ${Number(kpi)} where id = ${ids.kpi_metrics}`,
    sql`update knowledge_chunks set metadata = '{"tags": ["suite"]}' where id = ${ids.knowledge_chunks}`,
  );
  const audited = await call('PATCH', `/v1/brand-kits/${ids.brand_kits}`, { token: await tokenAs(ids, 'owner'), body: { description: 'audited' } });
  expect(audited.status).toBe(200);
  return { ...ids, keyRun, postedReply: await newReply(ids, 'posted'), kpi };
}

beforeAll(async () => {
  a = await fixtures.create('a');
  b = await fixtures.create('b');
  la = await listFixture('la', '4321.5');
  lb = await listFixture('lb', '8765.25');
});

/** Which of a fixture's ids (and a list fixture's KPI value) `text` shows; the skill catalog is global. */
function leaks(text: string, owner: Owned | FixtureIds): string[] {
  return Object.entries(owner).flatMap(([name, marker]) => (name !== 'skills' && text.includes(marker) ? [name] : []));
}

/** Every string in a JSON value. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsOf) : [];

type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
type Operation = { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: Schema }> } };
type Schema = { $ref?: string; format?: string; properties?: Record<string, Schema>; items?: Schema } & Partial<Record<'allOf' | 'anyOf' | 'oneOf', Schema[]>>;

/** Where a body schema holds ids (uuid, or arrays of them), as `body.<field>`. */
function bodyIds(doc: Doc, schema: Schema | undefined, at = 'body'): string[] {
  const s = schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema;
  if (!s) return [];
  if (s.format === 'uuid') return [at];
  const parts = [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((part) => bodyIds(doc, part, at));
  const fields = Object.entries(s.properties ?? {}).flatMap(([name, field]) => bodyIds(doc, field, `${at}.${name}`));
  return [...new Set([...parts, ...fields, ...bodyIds(doc, s.items, at)])];
}

const tenantOps = Object.entries(ROLE_MATRIX)
  .filter(([, roles]) => roles !== 'public' && !roles.includes('system'))
  .map(([key]) => key);

describe('the cases cover', () => {
  let doc: Doc;
  beforeAll(async () => {
    doc = await json<Doc>(await call('GET', '/openapi.json'));
  });
  const operation = (key: string) => {
    const [method, path] = key.split(' ');
    return doc.paths[path!]?.[method!.toLowerCase()];
  };

  it('every tenant operation naming a resource, in its path or its body, each parameter that names one', () => {
    const covered = new Set(FOREIGN_ID_CASES.flatMap((c) => c.names.map((n) => `${c.op} ${n}`)));
    for (const [op, names] of Object.entries({ ...GLOBAL_NAMES, ...READ_NAMES })) for (const n of names) covered.add(`${op} ${n}`);
    const named = tenantOps.flatMap((key) => {
      const op = operation(key);
      expect(op, `${key} in the document`).toBeDefined();
      const params = (op!.parameters ?? []).filter((p) => p.in === 'path').map((p) => `path.${p.name}`);
      return [...params, ...bodyIds(doc, op!.requestBody?.content['application/json']?.schema)].map((n) => `${key} ${n}`);
    });
    expect(named.length).toBeGreaterThan(70);
    expect(named.filter((n) => !covered.has(n)), 'not covered').toEqual([]);
    expect([...covered].filter((n) => !named.includes(n)), 'cases naming what the document does not').toEqual([]);
  });

  it('every tenant list, with every documented query parameter but limit and cursor', () => {
    const lists = tenantOps.filter((key) => key.startsWith('GET ') && !key.includes('{') && !GLOBAL_LISTS.includes(key));
    expect(Object.keys(LISTS).sort()).toEqual(lists.sort());
    for (const [key, list] of Object.entries(LISTS)) {
      const documented = (operation(key)!.parameters ?? []).filter((p) => p.in === 'query' && !['limit', 'cursor'].includes(p.name));
      expect(Object.keys({ ...list.always, ...list.filters }).sort(), key).toEqual(documented.map((p) => p.name).sort());
    }
  });
});

describe.each(FOREIGN_ID_CASES.map((c) => ({ ...c, where: c.names.join(', ') })))('$op: another tenant’s id in $where', (c: ForeignIdCase) => {
  const method = c.op.split(' ')[0]!;
  const control = c.control === 'same' ? 'same request' : 'own request';
  it(`answers ${c.refusal.status} ${c.refusal.code} and changes nothing; the owner’s ${control} succeeds`, async () => {
    const request = await c.request(b, a);
    const before = await dataDigest(a.clients, b.clients);
    const response = await call(method, request.path, { token: await tokenAs(b, 'owner'), body: request.body });
    const problem = await expectProblem(response, c.refusal.status, c.refusal.code);
    if (c.refusal.field) expect((problem.errors as { path: string }[]).map((e) => e.path)).toEqual([c.refusal.field]);
    expect(await dataDigest(a.clients, b.clients)).toEqual(before);

    const ownRequest = c.control === 'same' ? request : await c.request(a, a);
    const own = await call(method, ownRequest.path, { token: await tokenAs(a, 'owner'), body: ownRequest.body });
    expect(own.status, await own.clone().text()).toBeLessThan(300);
  });
});

describe.each(NATURAL_KEY_CASES)('$op: another tenant’s key $key', (c) => {
  it('makes or changes the caller’s own row, never the owner’s; the owner’s same request finds its row', async () => {
    const method = c.op.split(' ')[0]!;
    const request = c.request(a);
    const before = await dataDigest(a.clients);
    const response = await call(method, request.path, { token: await tokenAs(b, 'owner'), body: request.body });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    // What the caller sent may be echoed (the fixture's platform ids are made of its row ids); nothing else of the owner's.
    expect(leaks(stringsOf(request.body).reduce((t, sent) => t.replaceAll(sent, ''), text), a)).toEqual([]);
    expect(await dataDigest(a.clients)).toEqual(before);

    const { table, id } = c.row(a);
    const row = await rowOf(table, id);
    const own = await call(method, request.path, { token: await tokenAs(a, 'owner'), body: request.body });
    expect(own.status).toBeLessThan(300);
    if (c.found === 'shows') expect(await own.text()).toContain(id);
    else expect(await rowOf(table, id)).not.toEqual(row);
  });
});

/** `op`'s path with `list`'s required parameters and `filters` set to `o`'s values. */
function listPath(op: string, list: ListCase, o: Owned, filters: string[]): string {
  const entries = [...Object.entries(list.always ?? {}), ...filters.map((f) => [f, list.filters[f]!] as const)];
  const query = new URLSearchParams(entries.map(([name, filter]) => [name, filterOf(filter, o, list.shows).value]));
  return `${op.split(' ')[1]}${entries.length ? `?${query}` : ''}`;
}

describe.each(Object.entries(LISTS))('%s', (op, list) => {
  const names = Object.keys(list.filters);
  const variants: [string, string[]][] = [['no filter', []], ...names.map((n): [string, string[]] => [n, [n]])];
  if (names.length > 1) variants.push(['every filter', names]);

  it(`shows another tenant none of the owner’s rows: ${variants.map(([v]) => v).join(', ')}; the owner sees its row`, async () => {
    const [ownerToken, otherToken] = [await tokenAs(la, 'owner'), await tokenAs(lb, 'owner')];
    for (const [variant, filters] of variants) {
      const path = listPath(op, list, la, filters);
      const other = await call('GET', path, { token: otherToken });
      const text = await other.text();
      expect(other.status, `${variant}: ${text}`).toBe(200);
      expect(leaks(text, la), `${variant}: ${path}`).toEqual([]);
      if (filters.length === 0) expect(text, 'the other tenant sees its own row').toContain(list.shows(lb));

      // The control: the owner's same request shows the row each filter selects (all of them: one row, if they agree).
      const shown = new Set(filters.map((f) => filterOf(list.filters[f]!, la, list.shows).shows));
      if (shown.size > 1) continue;
      const own = await call('GET', path, { token: ownerToken });
      expect(own.status).toBe(200);
      expect(await own.text(), `${variant}: the owner's answer`).toContain([...shown][0] ?? list.shows(la));
    }
  });
});

describe('reads of the caller’s own data', () => {
  const embedding = Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => Math.sin(i) / 10);
  const search = (token: string, filters: Record<string, unknown>) =>
    call('POST', '/v1/knowledge/search', { token, body: { mode: 'hybrid', query: 'shipping', embedding, k: 50, ...filters } });

  it('POST /v1/knowledge/search: another tenant’s knowledge base ids and tags find none of its chunks; the owner finds them', async () => {
    const variants: [string, Record<string, unknown>][] = [
      ['no filter', {}],
      ['knowledge_base_ids', { knowledge_base_ids: [la.knowledge_bases] }],
      ['tags', { tags: ['suite'] }],
      ['both', { knowledge_base_ids: [la.knowledge_bases, lb.knowledge_bases], tags: ['suite'] }],
    ];
    for (const [variant, filters] of variants) {
      const other = await search(await tokenAs(lb, 'owner'), filters);
      const text = await other.text();
      expect(other.status, text).toBe(200);
      expect(leaks(text, la), variant).toEqual([]);
      const own = await search(await tokenAs(la, 'owner'), filters);
      expect(await own.text(), variant).toContain(la.knowledge_chunks);
    }
    expect(await (await search(await tokenAs(lb, 'owner'), {})).text()).toContain(lb.knowledge_chunks);
  });

  it('GET /v1/skills/{name}/feedback-summary counts only the caller’s feedback, not another tenant’s', async () => {
    const name = await seedSkill('xt');
    const [rows] = await asSystem(sql`select id from skills where name = ${name}`);
    const output = await seedOutput(a, await seedRun(a, 'completed', rows![0]!.id as string));
    await asSystem(sql`insert into feedback (client_id, output_id, overall_score, source) values (${a.clients}, ${output}, 5, 'api')`);
    const path = `/v1/skills/${name}/feedback-summary?days=30`;
    const other = await json<{ count: number }>(await call('GET', path, { token: await tokenAs(b, 'owner') }));
    expect(other.count).toBe(0);
    expect(leaks(JSON.stringify(other), a)).toEqual([]);
    const own = await json<{ count: number; averages: { overall: number } }>(await call('GET', path, { token: await tokenAs(a, 'owner') }));
    expect(own).toMatchObject({ count: 1, averages: { overall: 5 } });
  });

  it('GET /v1/segmented-weights/{segment_type}/{segment_key}: a segment both tenants have answers each with its own row', async () => {
    const path = '/v1/segmented-weights/platform/twitter';
    const other = await call('GET', path, { token: await tokenAs(lb, 'owner') });
    const text = await other.text();
    expect(other.status, text).toBe(200);
    expect(leaks(text, la)).toEqual([]);
    expect(text).toContain(lb.segmented_weights);
    expect(await (await call('GET', path, { token: await tokenAs(la, 'owner') })).text()).toContain(la.segmented_weights);
  });
});
