import { sql, type SQL } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import type { Role } from '../../../src/auth/principal';
import { call, json } from '../../helpers/api';
import { asSystem } from '../../helpers/db';
import { nestedJson } from '../../helpers/extreme';
import { expectProblem } from '../../helpers/problem';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from '../../helpers/tenant-fixture';
import { systemToken, tokenFor } from '../../helpers/tokens';
import { documentedRoutes, ROUTES, type DocumentedRoute } from './routes';

/**
 * Extreme values, property-based, over every operation of the OpenAPI document: a valid request
 * (the attack suite's route table) with one to three of its body fields or query parameters —
 * chosen by their documented type — replaced by an extreme value. No answer may be a 5xx, every
 * error is problem+json, and afterwards every GET of the tenant still answers 200 and its lists
 * page to the end (nothing written broke a later read).
 */

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface Operation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const document = createApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'suite', version: '0' } }) as unknown as Document;
const routes = documentedRoutes(document as unknown as Parameters<typeof documentedRoutes>[0]);

// ---------------------------------------------------------------------------------------------
// The extreme values, by the kind of slot they go into

/** A number written into the JSON text as is (`1e309` parses to Infinity, `1e-400` to 0). */
class Raw {
  constructor(readonly text: string) {}
}

const LONG = 6000;
const ODD_STRINGS = [
  '𝕳𝖊𝖑𝖑𝖔 😀🏳️‍🌈'.repeat(LONG / 10), // astral and ZWJ sequences, long
  '\u202Eevil\u202C שלום مرحبا', // RTL override, Hebrew, Arabic
  `e${'\u0301'.repeat(LONG)}`, // one letter, thousands of combining marks
  'nul \u0000 inside',
  'lone \ud800 surrogate',
  '\ufeff\u200b\u2028\u2029',
  '',
  ' ',
  "'; drop table posts; --",
];
const TIMESTAMPS = [
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59-14:00',
  '9999-12-31T23:59:59+14:00',
  '+010000-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '-infinity',
  'infinity',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00+14:00',
  '1970-01-01T00:00:00-14:00',
  '2200-12-31T23:59:59-14:00',
  '2200-12-31T23:59:59.999Z',
  '2026-06-01T12:00:00+14:00',
  '2026-06-01T12:00:00-14:00',
  '2026-06-01T12:00:00+23:59',
  '2026-06-01T12:00:00.123456789Z',
  '2026-02-29T00:00:00Z',
];
const DATES = ['0001-01-01', '9999-12-31', '10000-01-01', '-infinity', 'infinity', '1969-12-31', '1970-01-01', '2200-12-31', '0000-00-00', '2024-02-29'];
const NUMBERS = [
  1e308,
  -1e308,
  1.7976931348623157e308,
  5e-324,
  -5e-324,
  1e15,
  -1e15,
  2 ** 53 + 2,
  'NaN',
  'Infinity',
  '-Infinity',
  new Raw('1e309'),
  new Raw('-1e309'),
  new Raw('1e-400'),
];
const QUERY_NUMBERS = ['1e308', '-1e308', '5e-324', 'NaN', 'Infinity', '-Infinity', '1e309', '9007199254740993', '0x10', ''];
const URLS = ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', `https://example.test/${'𝕏'.repeat(3000)}`];
/** Free-form JSON: deep, empty, odd keys. */
const JSON_VALUES = [
  nestedJson(1000),
  { deep: JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`) as unknown },
  {},
  { '': 1 },
  { 'nul\u0000key': 1 },
  { ['𝕂'.repeat(300)]: 'v' },
  { big: 1e308, tiny: 5e-324 },
];
/** Any slot may get these as well (the wrong type for most). */
const ANY = [{}, [], nestedJson(1000), null];

type Kind = 'timestamp' | 'date' | 'number' | 'string' | 'url' | 'json' | 'object' | 'array' | 'other';

const BODY_VALUES: Record<Kind, unknown[]> = {
  timestamp: [...TIMESTAMPS, ...ANY],
  date: [...DATES, ...ANY],
  number: [...NUMBERS, ...ANY],
  string: [...ODD_STRINGS, ...ANY],
  url: [...URLS, ...ODD_STRINGS.slice(0, 3)],
  json: [...JSON_VALUES, ...ANY],
  object: ANY,
  array: [[], [{}], ...ANY],
  other: ANY,
};

/** Query values, already URL-encoded (some deliberately not valid percent-encoding). */
const RAW_QUERY = ['%00', '%ED%A0%80', '%', '%zz', '%F0%9F%98'];
const encoded = (values: string[]) => values.filter((v) => !/[\ud800-\udfff]/.test(v) || /[\ud800-\udbff][\udc00-\udfff]/.test(v)).map(encodeURIComponent);
const QUERY_VALUES: Record<Kind, string[]> = {
  timestamp: [...encoded(TIMESTAMPS), ...RAW_QUERY],
  date: [...encoded(DATES), ...RAW_QUERY],
  number: [...encoded(QUERY_NUMBERS), ...RAW_QUERY],
  string: [...encoded(ODD_STRINGS.map((s) => s.slice(0, 300))), ...RAW_QUERY],
  url: encoded(URLS),
  json: RAW_QUERY,
  object: RAW_QUERY,
  array: RAW_QUERY,
  other: [...encoded(ODD_STRINGS.map((s) => s.slice(0, 300))), ...RAW_QUERY],
};

/** JSON text of a body, with `Raw` numbers written verbatim. */
function serialize(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Raw ? `\u0000raw${raws.push(v.text) - 1}` : v));
  return text.replace(/"\\u0000raw(\d+)"/g, (_, i: string) => raws[Number(i)]!);
}

// ---------------------------------------------------------------------------------------------
// Slots: where a documented body or query holds a value, and its kind

type Path = (string | number)[];
interface Slot {
  path: Path;
  kind: Kind;
}

function resolve(schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  while (current.$ref) current = document.components.schemas[current.$ref.split('/').pop()!] ?? {};
  return current;
}

function kindOf(schema: JsonSchema): Kind {
  const types = [schema.type ?? []].flat().filter((t) => t !== 'null');
  if (types.includes('string')) {
    if (schema.format === 'date-time') return 'timestamp';
    if (schema.format === 'date') return 'date';
    if (schema.format === 'uri') return 'url';
    return 'string';
  }
  if (types.includes('number') || types.includes('integer')) return 'number';
  if (types.includes('array')) return 'array';
  if (types.includes('object')) return schema.properties ? 'object' : 'json';
  return 'other';
}

/** Every slot of a body schema, to a few levels (array items through their first element). */
function slotsOf(schema: JsonSchema | undefined, path: Path = [], depth = 0): Slot[] {
  const s = resolve(schema);
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  if (branches.length > 0) return branches.flatMap((b) => slotsOf(b, path, depth));
  const own: Slot[] = path.length > 0 ? [{ path, kind: kindOf(s) }] : [];
  if (depth >= 4) return own;
  const nested = [
    ...Object.entries(s.properties ?? {}).flatMap(([key, child]) => slotsOf(child, [...path, key], depth + 1)),
    ...(s.items ? slotsOf(s.items, [...path, 0], depth + 1) : []),
  ];
  return [...own, ...nested];
}

/** A copy of `value` with `replacement` at `path`, creating what is missing on the way. */
function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[head] = setAt(list[head], rest, replacement);
    return list;
  }
  const object = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  object[head!] = setAt(object[head!], rest, replacement);
  return object;
}

/** A path with `name=value` set in its query (replacing the parameter if it is there). */
function withQuery(path: string, name: string, value: string): string {
  const [pathname, search = ''] = path.split('?');
  const kept = search.split('&').filter((pair) => pair && pair.split('=')[0] !== name);
  return `${pathname}?${[...kept, `${name}=${value}`].join('&')}`;
}

type Mutation = { in: 'body'; path: Path; value: unknown } | { in: 'query'; name: string; value: string };

/** Kinds whose every value is tried in every slot (as fast-check examples) before the random runs. */
const EXHAUSTIVE: Kind[] = ['timestamp', 'date', 'number', 'json', 'url'];

/** The mutations of a route: an arbitrary over all of them, and the single ones always tried. */
function mutationsOf(route: DocumentedRoute): { arbitrary: fc.Arbitrary<Mutation>; examples: Mutation[] } | null {
  const op = document.paths[route.path]![route.method.toLowerCase()]!;
  const inputs: { kind: Kind; mutations: Mutation[] }[] = [
    ...slotsOf(op.requestBody?.content?.['application/json']?.schema).map(({ path, kind }) => ({
      kind,
      mutations: BODY_VALUES[kind].map((value): Mutation => ({ in: 'body', path, value })),
    })),
    ...(op.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => {
        const kind = kindOf(resolve(p.schema));
        return { kind, mutations: QUERY_VALUES[kind].map((value): Mutation => ({ in: 'query', name: p.name, value })) };
      }),
  ];
  if (route.hasBody) inputs.push({ kind: 'object', mutations: [{ in: 'body', path: [], value: {} }] }); // the empty object
  if (inputs.length === 0) return null;
  return {
    arbitrary: fc.oneof(...inputs.map(({ mutations }) => fc.constantFrom(...mutations))),
    examples: inputs.filter(({ kind }) => EXHAUSTIVE.includes(kind)).flatMap(({ mutations }) => mutations),
  };
}

// ---------------------------------------------------------------------------------------------

let a: FixtureIds;
/** What system routes create outside the fixture, deleted afterwards. */
const created: SQL[] = [];
beforeAll(async () => {
  a = await createTenantFixture('xv');
});
afterAll(async () => {
  if (created.length > 0) await asSystem(...created);
  await deleteTenantFixture(a);
});

async function remember(route: DocumentedRoute, response: Response): Promise<void> {
  if (response.status !== 201) return;
  if (route.key === 'POST /v1/clients') {
    const { client, owner } = await json<{ client: { id: string }; owner: { user_id: string } }>(response.clone());
    created.push(sql`delete from clients where id = ${client.id}`, sql`delete from users where id = ${owner.user_id}`);
  }
  if (route.key === 'POST /v1/skills') created.push(sql`delete from skills where id = ${(await json<{ id: string }>(response.clone())).id}`);
}

const systemOnly = (route: DocumentedRoute) => route.roles?.length === 1 && route.roles[0] === 'system';

async function tokenOf(route: DocumentedRoute): Promise<string | undefined> {
  const role = route.roles?.[0] as Role | undefined;
  if (!role) return undefined;
  return role === 'system' ? systemToken() : tokenFor({ clientId: a.clients, userId: a.users, role });
}

/** No 5xx; an error is problem+json; a success is a body that parses. */
async function expectSound(response: Response, what: string): Promise<void> {
  expect(response.status, `${what} → ${response.status}: ${await response.clone().text().then((t) => t.slice(0, 300))}`).toBeLessThan(500);
  if (response.status >= 400) await expectProblem(response, response.status);
  else if (response.headers.get('content-type')?.includes('json')) await response.json();
  else await response.arrayBuffer();
}

const fuzzed = routes.filter((route) => ROUTES[route.key] && mutationsOf(route));

describe('extreme values never answer 5xx', () => {
  it('covers every operation with a body or query of the OpenAPI document', () => {
    expect(fuzzed.length).toBeGreaterThanOrEqual(60);
    const withInputs = routes.filter((r) => r.hasBody || (document.paths[r.path]![r.method.toLowerCase()]!.parameters ?? []).some((p) => p.in === 'query'));
    expect(fuzzed.map((r) => r.key).sort()).toEqual(withInputs.map((r) => r.key).sort());
  });

  describe.each(fuzzed)('$key', (route) => {
    it('answers < 500 and problem+json to valid-shaped requests with extreme values', { timeout: 120_000 }, async () => {
      const token = await tokenOf(route);
      const { arbitrary, examples } = mutationsOf(route)!;
      await fc.assert(
        fc.asyncProperty(fc.array(arbitrary, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const request = await ROUTES[route.key]!.valid(a);
          let path = request.path;
          let body = request.body;
          for (const m of mutations) {
            if (m.in === 'query') path = withQuery(path, m.name, m.value);
            else body = setAt(body, m.path, m.value);
          }
          const rawBody = body === undefined ? undefined : serialize(body);
          const response = await call(route.method, path, { token, rawBody });
          await remember(route, response);
          await expectSound(response, `${route.method} ${path}`);
        }),
        { numRuns: 25, examples: examples.map((m) => [[m]]) },
      );
    });
  });
});

describe('after the extreme values, every read of the tenant still works', () => {
  const reads = routes.filter((route) => route.method === 'GET' && ROUTES[route.key] && !systemOnly(route) && !ROUTES[route.key]!.public);
  const pages = (route: DocumentedRoute) =>
    (document.paths[route.path]!.get!.parameters ?? []).some((p) => p.in === 'query' && p.name === 'cursor');

  it.each(reads)('$key answers 200 (and a list pages to its end)', { timeout: 120_000 }, async (route) => {
    const token = await tokenOf(route);
    const request = await ROUTES[route.key]!.valid(a);
    const response = await call('GET', request.path, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    if (!pages(route)) return;
    // The whole list, unfiltered, one row a page to the end: every row's cursor is decoded once.
    const base = request.path.split('?')[0]!;
    let cursor: string | null = null;
    let seen = 0;
    do {
      const page: Response = await call('GET', `${base}?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(page.status, `${base} after ${seen}: ${await page.clone().text()}`).toBe(200);
      const body: { data: unknown[]; next_cursor: string | null } = await json(page);
      seen += body.data.length;
      cursor = body.next_cursor;
    } while (cursor);
  });
});
