import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import type { Role } from '../../../src/auth/principal';
import { call, json } from '../../helpers/api';
import { changedTables, databaseStates } from '../../helpers/database-digest';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { useGlobalRowCleanup } from '../../helpers/global-rows';
import { expectProblem } from '../../helpers/problem';
import { countRoundTrips } from '../../helpers/round-trips';
import { arbitraryOf, encodeParameter, type JsonSchema, type SchemaContext } from '../../helpers/schema-arbitrary';
import { systemToken } from '../../helpers/tokens';
import { GLOBAL_LISTS } from './cross-tenant-cases';
import { ROLE_MATRIX } from './role-matrix';
import { ROUTES } from './routes';

/**
 * Schema-aware fuzzing that reaches the database. Every input of every operation — body, query
 * and path parameters — is drawn from the operation's own schema in the generated OpenAPI
 * document, towards the hostile end of what it allows (test/helpers/schema-arbitrary.ts), on top
 * of the attack suite's valid request (its path names the tenant's own rows). Each answer: never
 * a 5xx; a refusal is problem+json and leaves the whole database as it was (every table's
 * digest, not one client's rows); a success is JSON that parses. The share of requests that got
 * past validation (cost a database round trip) is measured and held to a floor, so a generator
 * that only feeds the validator fails. Afterwards every read of the tenant still answers, and a
 * `next_cursor` of the tenant's lists, used by another tenant, shows none of its rows.
 */

/** Fixed, so that a failure replays; bump it deliberately to explore further. */
const SEED = 20261129;
/** Requests per operation with a body or query, bounded in time (each costs a request and a digest or two). */
const RUNS = 8;
/** Requests per operation whose only inputs are ids in its path (a random id is "not found" after one round trip). */
const PATH_ONLY_RUNS = 2;
/** Least share of fuzz requests that must reach the database (validation let them through): of all, and of those with a body or query. */
const MIN_SHARE_REACHING_DATABASE = 0.6;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const document = createApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'suite', version: '0' } }) as unknown as Document;
const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op })),
);
type Op = (typeof operations)[number];

const bodySchema = (op: Operation) => op.requestBody?.content?.['application/json']?.schema;
const parameters = (op: Operation, where: Parameter['in']) => (op.parameters ?? []).filter((p) => p.in === where);
const hasInputs = ({ op }: Op) => Boolean(bodySchema(op)) || (op.parameters ?? []).some((p) => p.in === 'query' || p.in === 'path');
const fuzzed = operations.filter(hasInputs);
/** Operations the suite can call (the coverage test names those it cannot). */
const fuzzable = fuzzed.filter((o) => ROUTES[o.key] && ROLE_MATRIX[o.key]);
const systemOnly = (key: string) => {
  const roles = ROLE_MATRIX[key];
  return Array.isArray(roles) && roles.length === 1 && roles[0] === 'system';
};

const globals = useGlobalRowCleanup(); // clients, users and skills the system operations create
const fixtures = useTenantFixtures('fz', { afterDeleteAll: globals.deleteNew });
let a: FixtureIds; // the tenant fuzzed, read back afterwards
let other: FixtureIds; // what system operations name in their path (one may deactivate it)
let b: FixtureIds; // another tenant, reusing the fuzzed tenant's cursors
beforeAll(async () => {
  a = await fixtures.create('a');
  other = await fixtures.create('sys');
  b = await fixtures.create('b');
});

/** The caller's own rows, by the field naming them (`post_id`, `knowledge_base_ids`, `user_id`, …). */
function idsFor(field: string): string[] {
  const base = field.replace(/_ids?$/, '');
  const table = ({ actor: 'users', entity: 'posts', chunk: 'knowledge_chunks', id: '' } as Record<string, string>)[base] ?? `${base}s`;
  const id = (a as Record<string, string>)[table];
  return id ? [id] : [];
}

const context: SchemaContext = {
  resolve: (ref) => document.components.schemas[ref.split('/').pop()!] ?? {},
  idsFor,
};

interface Drawn {
  body?: unknown;
  /**
   * Which of the valid body's top-level fields replace the drawn ones: none, a random subset (by
   * position), or all but one (one drawn field among valid ones, so that rules across fields the
   * schema cannot state, like weights summing to 1, still let the drawn value through).
   */
  keep: 'none' | boolean[] | { allBut: number };
  query: Record<string, unknown>;
  /** Path parameters replaced by a drawn value (the others keep the valid request's). */
  path: Record<string, unknown>;
}

/** A query value: the schema's, never null (a query has no null), absent half the time when optional. */
function queryValue(p: Parameter): fc.Arbitrary<unknown> {
  const schema = { ...p.schema, type: [p.schema?.type ?? []].flat().filter((t) => t !== 'null') };
  const value = arbitraryOf(schema.type.length ? schema : (p.schema ?? {}), context, p.name);
  if (p.required) return value;
  // A cursor the API did not issue is refused before any work (pagination's own tests cover it): rarely.
  const [absent, present] = p.name === 'cursor' ? [9, 1] : [3, 2];
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: value.map((v) => (v === null ? undefined : v)), weight: present });
}

/** What to draw for an operation: its body, each query parameter, sometimes a path parameter. */
function drawOf({ op }: Op): fc.Arbitrary<Drawn> {
  const schema = bodySchema(op);
  const query = parameters(op, 'query');
  const path = parameters(op, 'path');
  // A path keeps the valid request's ids most of the time: a random one only tests "not found".
  const pathArbitrary = fc.oneof(
    { arbitrary: fc.constant({}), weight: 4 },
    { arbitrary: fc.record(Object.fromEntries(path.map((p) => [p.name, arbitraryOf(p.schema ?? {}, context, p.name)])), { requiredKeys: [] }), weight: path.length ? 1 : 0 },
  );
  return fc.record({
    body: schema ? arbitraryOf(schema, context) : fc.constant(undefined),
    // Mostly drawn; some fields from the valid request, so that a value the schema cannot describe
    // (an API key, a signature the brand requires) does not stop every request at the door.
    keep: fc.oneof(
      { arbitrary: fc.constant('none' as const), weight: 2 },
      { arbitrary: fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }), weight: 1 },
      { arbitrary: fc.nat(31).map((allBut) => ({ allBut })), weight: 2 },
    ),
    query: fc.record(Object.fromEntries(query.map((p) => [p.name, queryValue(p)]))),
    path: pathArbitrary,
  });
}

/** The drawn body, with the fields `keep` names taken from the valid request's body. */
function bodyOf(drawn: Drawn, valid: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(drawn.body) || !isObject(valid)) return drawn.body;
  const { keep } = drawn;
  if (keep === 'none') return drawn.body;
  const fields = Object.entries(valid);
  if (Array.isArray(keep)) return { ...drawn.body, ...Object.fromEntries(fields.filter((_, i) => keep[i % keep.length])) };
  const [name] = Object.keys(drawn.body).length ? Object.entries(drawn.body)[keep.allBut % Object.keys(drawn.body).length]! : [''];
  return { ...Object.fromEntries(fields.filter(([k]) => k !== name)), ...(name ? { [name]: drawn.body[name] } : {}) };
}

/** The valid request's path with drawn path parameters put in and its query replaced by the drawn one. */
function requestPath(template: string, validPath: string, drawn: Drawn): string {
  const validSegments = validPath.split('?')[0]!.split('/');
  const segments = template.split('/').map((segment, i) => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    return name && name in drawn.path ? encodeParameter(drawn.path[name]) : validSegments[i]!;
  });
  const query = Object.entries(drawn.query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeParameter(v)}`);
  return `${segments.join('/')}${query.length ? `?${query.join('&')}` : ''}`;
}

async function tokenFor(key: string): Promise<string | undefined> {
  const roles = ROLE_MATRIX[key];
  if (!roles || roles === 'public') return undefined;
  return roles.includes('system') ? systemToken() : tokenAs(a, roles[0] as Role);
}

/** A JSON body (`undefined` fields dropped). */
const serialize = (body: unknown) => (body === undefined ? undefined : JSON.stringify(body));

interface Tally {
  /** The valid request carries a signature over its body: a drawn body is refused before any database work, by design. */
  signed: boolean;
  sent: number;
  reachedDatabase: number;
  succeeded: number;
  refusedByDatabase: number;
  statuses: Record<number, number>;
}
const tallies: Record<string, Tally> = {};
const databaseState = databaseStates();

describe('schema-aware fuzzing', () => {
  it('covers every operation with a body, query or path parameters, each with a valid request and a role', () => {
    expect(fuzzed.length).toBeGreaterThanOrEqual(90);
    const missing = fuzzed.filter((o) => !ROUTES[o.key] || !ROLE_MATRIX[o.key]).map((o) => o.key);
    expect(missing, 'operations without a valid request (routes/) or a role (role-matrix.ts)').toEqual([]);
  });

  describe.each(fuzzable)('$key', (operation) => {
    it('never answers 5xx; a refusal is problem+json and writes nothing anywhere', { timeout: 120_000 }, async () => {
      const token = await tokenFor(operation.key);
      const tally: Tally = (tallies[operation.key] = { signed: false, sent: 0, reachedDatabase: 0, succeeded: 0, refusedByDatabase: 0, statuses: {} });
      await fc.assert(
        fc.asyncProperty(drawOf(operation), async (drawn) => {
          const valid = await ROUTES[operation.key]!.valid(systemOnly(operation.key) ? other : a); // makes what the request changes, before the snapshot
          const path = requestPath(operation.path, valid.path, drawn);
          tally.signed ||= Boolean(valid.headers);
          const before = await databaseState();
          const body = bodyOf(drawn, valid.body);
          const { result: response, roundTrips } = await countRoundTrips(() => call(operation.method, path, { token, rawBody: serialize(body), headers: valid.headers }));
          const text = await response.clone().text();
          const what = `${operation.method} ${path.slice(0, 300)} ${serialize(body)?.slice(0, 300) ?? ''} → ${response.status}: ${text.slice(0, 300)}`;
          tally.sent += 1;
          tally.statuses[response.status] = (tally.statuses[response.status] ?? 0) + 1;
          if (roundTrips > 0) tally.reachedDatabase += 1;
          expect(response.status, what).toBeLessThan(500);
          if (response.status >= 400) {
            if (roundTrips > 0) tally.refusedByDatabase += 1;
            await expectProblem(response, response.status);
            const after = await databaseState();
            expect(changedTables(before.digest, after.digest), `written on a refusal: ${what}`).toEqual([]);
          } else {
            tally.succeeded += 1;
            if (response.headers.get('content-type')?.includes('json')) await response.json();
            else await response.arrayBuffer();
          }
        }),
        { seed: SEED, numRuns: bodySchema(operation.op) || parameters(operation.op, 'query').length ? RUNS : PATH_ONLY_RUNS, endOnFailure: true },
      );
    });
  });

  it(`gets at least ${MIN_SHARE_REACHING_DATABASE * 100}% of the requests past validation, and some of every operation`, () => {
    const all = Object.values(tallies);
    expect(all.length, 'every operation was fuzzed').toBe(fuzzable.length);
    const share = (ts: Tally[]) => ts.reduce((n, t) => n + t.reachedDatabase, 0) / ts.reduce((n, t) => n + t.sent, 0);
    // Operations whose inputs are more than ids in the path (those reach the database by construction).
    const drawnInputs = fuzzable.filter(({ op }) => bodySchema(op) || parameters(op, 'query').length).map((o) => tallies[o.key]!);
    const sent = all.reduce((n, t) => n + t.sent, 0);
    const reached = all.reduce((n, t) => n + t.reachedDatabase, 0);
    console.info(
      `fuzz: ${sent} requests, ${reached} past validation (${(100 * share(all)).toFixed(1)}%; with a body or query: ${(100 * share(drawnInputs)).toFixed(1)}%),`,
      `${all.reduce((n, t) => n + t.succeeded, 0)} succeeded, ${all.reduce((n, t) => n + t.refusedByDatabase, 0)} refused after database work`,
    );
    expect(share(drawnInputs)).toBeGreaterThanOrEqual(MIN_SHARE_REACHING_DATABASE);
    expect(reached / sent).toBeGreaterThanOrEqual(MIN_SHARE_REACHING_DATABASE);
    const never = Object.entries(tallies).filter(([, t]) => t.reachedDatabase === 0 && !t.signed).map(([k]) => k);
    expect(never, 'operations none of whose requests reached the database').toEqual([]);
  });
});

const paged = (o: Op) => parameters(o.op, 'query').some((p) => p.name === 'cursor');

/** A list's rows, page by page to the end (at most `pages` pages of 100). */
async function allPages(base: string, token: string, pages = 1000): Promise<{ ids: string[]; pages: number; cursor: string | null }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let read = 0;
  do {
    const page: Response = await call('GET', `${base}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(page.status, `${base} page ${read}: ${await page.clone().text()}`).toBe(200);
    const body: { data: { id?: string }[]; next_cursor: string | null } = await json(page);
    ids.push(...body.data.flatMap((row) => (row.id ? [row.id] : [])));
    cursor = body.next_cursor;
    read += 1;
  } while (cursor && read < pages);
  return { ids, pages: read, cursor };
}

describe('after the fuzzing, every read of the tenant still works', () => {
  const reads = operations.filter((o) => o.method === 'GET' && ROUTES[o.key] && ROLE_MATRIX[o.key] !== 'public');

  it.each(reads)('$key answers 200 (and a list pages to its end)', { timeout: 60_000 }, async (operation) => {
    const token = await tokenFor(operation.key);
    const valid = await ROUTES[operation.key]!.valid(a);
    const response = await call('GET', valid.path, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    if (response.headers.get('content-type')?.includes('json')) await response.json();
    if (!paged(operation)) return;
    // Unfiltered, a full page at a time, to the end: every stored row is read and serialized once.
    const required = parameters(operation.op, 'query').filter((p) => p.required);
    expect(required, 'a paged list with required parameters').toEqual([]);
    const { cursor } = await allPages(valid.path.split('?')[0]!, token!);
    expect(cursor).toBeNull();
  });
});

describe('a next_cursor of the fuzzed tenant’s list, used by another tenant', () => {
  // Lists of tenant rows (the skill catalog is the same for everyone), each read as its owner's role.
  const lists = operations.filter((o) => {
    const roles = ROLE_MATRIX[o.key];
    return o.method === 'GET' && paged(o) && ROUTES[o.key] && Array.isArray(roles) && !roles.includes('system') && !GLOBAL_LISTS.includes(o.key);
  });

  // Every list needs two rows of the owner for a next_cursor. The fuzzing made most; every write's
  // valid request once more, and a list's own create request on its own path (a knowledge base's
  // chunks), make sure of the rest.
  beforeAll(async () => {
    const writes = operations.filter((o) => (o.method === 'POST' || o.method === 'PUT') && ROUTES[o.key] && !systemOnly(o.key));
    for (const write of writes) {
      const valid = await ROUTES[write.key]!.valid(a);
      await call(write.method, valid.path, { token: await tokenFor(write.key), body: valid.body, headers: valid.headers });
    }
    for (const list of lists.filter((o) => o.path.includes('{'))) {
      const create = operations.find((o) => o.key === `POST ${list.path}` && ROUTES[o.key]);
      if (!create) continue;
      const path = (await ROUTES[list.key]!.valid(a)).path.split('?')[0]!;
      const valid = await ROUTES[create.key]!.valid(a);
      // Drawn bodies until the list has two rows: the valid one may only upsert the row it has.
      for (const drawn of fc.sample(drawOf(create), { seed: SEED, numRuns: 20 })) {
        const page = await json<{ next_cursor: string | null }>(await call('GET', `${path}?limit=1`, { token: await tokenFor(list.key) }));
        if (page.next_cursor) break;
        await call('POST', path, { token: await tokenFor(create.key), rawBody: serialize(bodyOf(drawn, valid.body)) });
      }
    }
  }, 120_000);

  it('covers every paged tenant list', () => {
    expect(lists.length).toBeGreaterThanOrEqual(20);
  });

  it.each(lists)('$key: shows none of the owner’s rows, or refuses with a 4xx; the owner’s own next page follows', async (operation) => {
    const roles = ROLE_MATRIX[operation.key] as Role[];
    const [ownerToken, otherToken] = [await tokenAs(a, roles[0]!), await tokenAs(b, roles[0]!)];
    const ownBase = (await ROUTES[operation.key]!.valid(a)).path.split('?')[0]!;
    const otherBase = (await ROUTES[operation.key]!.valid(b)).path.split('?')[0]!; // its own parent, where the path names one
    const owned = await allPages(ownBase, ownerToken);
    const first = await json<{ data: { id: string }[]; next_cursor: string | null }>(await call('GET', `${ownBase}?limit=1`, { token: ownerToken }));
    expect(first.next_cursor, `the owner has one row in ${ownBase}: the fuzzing made none here`).not.toBeNull();
    const cursor = encodeURIComponent(first.next_cursor!);

    const response = await call('GET', `${otherBase}?limit=100&cursor=${cursor}`, { token: otherToken });
    const text = await response.clone().text();
    expect(response.status, text).toBeLessThan(500);
    if (response.status >= 400) await expectProblem(response, response.status);
    else {
      expect(owned.ids.filter((id) => text.includes(id)), 'the owner’s rows in the other tenant’s page').toEqual([]);
    }

    // The control: the same cursor as the owner gives its next page, rows of its own past the first.
    const own = await json<{ data: { id: string }[] }>(await call('GET', `${ownBase}?limit=100&cursor=${cursor}`, { token: ownerToken }));
    expect(own.data.length).toBeGreaterThan(0);
    expect(own.data.every((row) => owned.ids.includes(row.id) && row.id !== first.data[0]!.id)).toBe(true);
  });
});

