import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a Vite raw import: the README's route table is held to the matrix
import readme from '../../../README.md?raw';
import { call, json } from '../../helpers/api';
import { newApiKey, newMember, tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { useGlobalRowCleanup } from '../../helpers/global-rows';
import { expectProblem } from '../../helpers/problem';
import { countRoundTrips } from '../../helpers/round-trips';
import { dataDigest } from '../../helpers/rows';
import { systemToken, tokenFor } from '../../helpers/tokens';
import { ALL_ROLES, ROLE_MATRIX, type MatrixRole } from './role-matrix';
import { ROUTES, type ValidRequest } from './routes';

/**
 * The role policy, held to an independent, reviewed matrix (role-matrix.ts): the OpenAPI document
 * and the README's route table must say the same, and every role is tried against every
 * operation — the allowed ones succeed, the others are refused before any database work. Then
 * the database's half: a token claiming more than the caller's current role acts as that role.
 */

type Matrix = Readonly<Record<string, readonly string[] | 'public'>>;

/** What `actual` (named `name`) says differently from the matrix `expected`, one line a difference. */
function disagreements(expected: Matrix, actual: Matrix, name: string): string[] {
  const out: string[] = [];
  for (const key of Object.keys(expected)) if (!(key in actual)) out.push(`${key}: in the matrix, not in ${name}`);
  for (const [key, roles] of Object.entries(actual)) {
    const want = expected[key];
    if (want === undefined) out.push(`${key}: in ${name}, not in the matrix`);
    else if (roles === 'public' || want === 'public') {
      if (roles !== want) out.push(`${key}: ${name} says ${String(roles)}, the matrix ${String(want)}`);
    } else {
      for (const role of roles) if (!want.includes(role)) out.push(`${key}: ${name} admits ${role}, the matrix does not`);
      for (const role of want) if (!roles.includes(role)) out.push(`${key}: the matrix admits ${role}, ${name} does not`);
    }
  }
  return out;
}

/** The README's notation for role sets ("All routes, with the roles that may call them"). */
const README_ROLE_SETS: Record<string, readonly string[]> = {
  'viewer+': ['owner', 'admin', 'editor', 'viewer'],
  'editor+': ['owner', 'admin', 'editor'],
  'admin+': ['owner', 'admin'],
  service: ['service'],
  system: ['system'],
};

/** The README's route table as a matrix (its rows `| \`METHOD /path\` | roles | what |`). */
function readmeMatrix(text: string): Record<string, readonly string[] | 'public'> {
  const start = text.indexOf('\n| route | roles | what |');
  expect(start, 'the README route table').toBeGreaterThan(0);
  const rows = text.slice(start + 1).split('\n\n')[0]!.split('\n').slice(2);
  const out: Record<string, readonly string[] | 'public'> = {};
  for (const row of rows) {
    const match = /^\| `([A-Z]+ \S+)` \| ([^|]+) \|/.exec(row);
    expect(match, `a route row: ${row}`).not.toBeNull();
    const [, key, cell] = match!;
    expect(out[key!], `${key} listed twice`).toBeUndefined();
    out[key!] =
      cell!.trim() === 'public'
        ? 'public'
        : cell!.split(',').flatMap((token) => {
            const roles = README_ROLE_SETS[token.trim()];
            expect(roles, `${key}: unknown role notation "${token.trim()}"`).toBeDefined();
            return roles!;
          });
  }
  return out;
}

/** The roles the OpenAPI document publishes per operation (`x-roles`; none: public). */
function documentMatrix(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Record<string, readonly string[] | 'public'> {
  const out: Record<string, readonly string[] | 'public'> = {};
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const roles = op['x-roles'] as string[] | undefined;
      out[`${method.toUpperCase()} ${path}`] = roles ?? 'public';
    }
  }
  return out;
}

describe('the role matrix', () => {
  it('finds a widened or narrowed role, a missing or extra operation, a route made public', () => {
    const planted: Matrix = {
      ...ROLE_MATRIX,
      'DELETE /v1/api-keys/{id}': ['owner', 'admin', 'viewer'],
      'PATCH /v1/client': ['owner'],
      'GET /v1/renamed': ['owner'],
      'GET /v1/audit-logs': 'public',
    };
    delete (planted as Record<string, unknown>)['GET /v1/me'];
    expect(disagreements(ROLE_MATRIX, planted, 'the document').sort()).toEqual(
      [
        'DELETE /v1/api-keys/{id}: the document admits viewer, the matrix does not',
        'PATCH /v1/client: the matrix admits admin, the document does not',
        'GET /v1/renamed: in the document, not in the matrix',
        'GET /v1/me: in the matrix, not in the document',
        'GET /v1/audit-logs: the document says public, the matrix owner,admin',
      ].sort(),
    );
    expect(disagreements(ROLE_MATRIX, ROLE_MATRIX, 'itself')).toEqual([]);
  });

  it('is what the served OpenAPI document publishes (x-roles), operation by operation', async () => {
    const doc = await json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(await call('GET', '/openapi.json'));
    expect(disagreements(ROLE_MATRIX, documentMatrix(doc), 'the document')).toEqual([]);
  });

  it('is what the README’s route table says', () => {
    expect(disagreements(ROLE_MATRIX, readmeMatrix(readme as string), 'the README')).toEqual([]);
  });

  it('has a valid request for every operation (security/routes)', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(ROLE_MATRIX).sort());
  });
});

const globals = useGlobalRowCleanup();
const fixtures = useTenantFixtures('rm', { afterDeleteAll: globals.deleteNew });
type KeyRole = 'admin' | 'editor' | 'viewer' | 'service';
type MemberRole = 'admin' | 'editor' | 'viewer';
let a: FixtureIds;
/** Members (besides the fixture's owner) and API keys of client `a`, one per role; no test changes them. */
const members = {} as Record<MemberRole, string>;
const keys = {} as Record<KeyRole, string>;

beforeAll(async () => {
  a = await fixtures.create('a');
  for (const role of ['admin', 'editor', 'viewer'] as const) members[role] = (await newMember(a, role)).userId;
  for (const role of ['admin', 'editor', 'viewer', 'service'] as const) keys[role] = await newApiKey(a, role);
});

/** A token of client `a` in `role` whose holder currently has that very role (a service role is an API key). */
function tokenOf(role: MatrixRole): Promise<string> {
  if (role === 'system') return systemToken();
  if (role === 'service') return tokenFor({ clientId: a.clients, userId: keys.service, role, kind: 'api_key' });
  return tokenAs(a, role, role === 'owner' ? a.users : members[role]);
}

const [publicOps, guardedOps] = [
  Object.entries(ROLE_MATRIX).filter(([, roles]) => roles === 'public'),
  Object.entries(ROLE_MATRIX).flatMap(([key, roles]) => (roles === 'public' ? [] : [{ key, roles }])),
];

/** The operation's valid request (made for client `a`) with `token`, and the database round trips it cost. */
async function send(key: string, request: ValidRequest, token?: string) {
  return countRoundTrips(() => call(key.split(' ')[0]!, request.path, { token, body: request.body, headers: request.headers }));
}

describe.each(publicOps)('%s (public)', (key) => {
  it('answers its valid request without a token', async () => {
    const { result } = await send(key, await ROUTES[key]!.valid(a));
    expect(result.status, await result.clone().text()).toBeLessThan(300);
  });
});

/**
 * A caller whose current role the operation refuses, holding a token that claims a role it admits:
 * the database decides the acting role (the lesser of the two) in the request's one round trip and
 * refuses it. Users are members; API keys have a role of their own.
 */
interface Mismatch {
  holder: 'member' | 'API key';
  current: 'owner' | MemberRole | KeyRole;
  claims: MatrixRole;
}

/** The mismatches worth trying for a tenant operation admitting `roles` (all of them admit owner and admin). */
function mismatches(roles: readonly MatrixRole[]): Mismatch[] {
  if (roles.includes('system')) return [];
  const out: Mismatch[] = [];
  const refused = <R extends MatrixRole>(current: readonly R[]) => current.filter((role) => !roles.includes(role));
  for (const current of refused(['admin', 'editor', 'viewer'] as const)) out.push({ holder: 'member', current, claims: 'owner' });
  for (const current of refused(['admin', 'editor', 'viewer', 'service'] as const)) out.push({ holder: 'API key', current, claims: 'admin' });
  // The other branch: viewer and service are not comparable, so neither may act as the other.
  if (roles.includes('service') && !roles.includes('viewer')) {
    out.push({ holder: 'member', current: 'viewer', claims: 'service' }, { holder: 'API key', current: 'viewer', claims: 'service' });
  }
  if (roles.includes('viewer') && !roles.includes('service')) out.push({ holder: 'API key', current: 'service', claims: 'viewer' });
  return out;
}

const describeMismatch = (m: Mismatch) => `${/^[aeiou]/.test(m.current) ? 'an' : 'a'} ${m.current} ${m.holder} claiming ${m.claims}`;

/** The token of a member or API key of client `a` whose current role is `current`, claiming `claims`. */
function mismatchToken(m: Mismatch): Promise<string> {
  if (m.holder === 'API key') return tokenFor({ clientId: a.clients, userId: keys[m.current as KeyRole], role: m.claims, kind: 'api_key' });
  return tokenAs(a, m.claims, m.current === 'owner' ? a.users : members[m.current as MemberRole]);
}

/** The README's order of roles: owner > admin > editor > {viewer, service}; viewer and service are not comparable. */
const RANK: Record<string, number> = { owner: 4, admin: 3, editor: 2, viewer: 1, service: 1 };
const covers = (holder: string, claimed: string) => holder === claimed || RANK[holder]! > RANK[claimed]!;

it('GET /v1/me: a token acts with the lesser of its role and the caller’s current one (another branch is refused)', async () => {
  const holders: Pick<Mismatch, 'holder' | 'current'>[] = [
    ...(['owner', 'admin', 'editor', 'viewer'] as const).map((current) => ({ holder: 'member' as const, current })),
    ...(['admin', 'editor', 'viewer', 'service'] as const).map((current) => ({ holder: 'API key' as const, current })),
  ];
  for (const holder of holders) {
    for (const claims of ['owner', 'admin', 'editor', 'viewer', 'service'] as const) {
      const m = { ...holder, claims };
      const acting = covers(m.current, claims) ? claims : covers(claims, m.current) ? m.current : null;
      const response = await call('GET', '/v1/me', { token: await mismatchToken(m) });
      if (acting) expect(await json<{ role: string }>(response), describeMismatch(m)).toMatchObject({ role: acting });
      else await expectProblem(response, 403, 'FORBIDDEN');
    }
  }
});

/** Operations only a person may call: there an API key is refused before any database work (403 USER_REQUIRED). */
const PEOPLE_ONLY = new Set([
  'POST /v1/replies/{id}/approve',
  'POST /v1/replies/approve',
  'POST /v1/escalations/{id}/resolve',
  'POST /v1/me/channel-links',
  'GET /v1/me/channels',
  'DELETE /v1/me/channels/{id}',
]);

describe.each(guardedOps)('$key', ({ key, roles }) => {
  const admitted = ALL_ROLES.filter((role) => roles.includes(role));
  const refused = ALL_ROLES.filter((role) => !roles.includes(role));
  const mismatched = mismatches(roles);

  it(`admits ${admitted.join(', ')}: the valid request succeeds for each`, async () => {
    for (const role of admitted) {
      const caller = role === 'owner' ? a.users : (members as Record<string, string>)[role];
      const { result } = await send(key, await ROUTES[key]!.valid(a, caller), await tokenOf(role));
      expect(result.status, `${role}: ${await result.clone().text()}`).toBeLessThan(300);
    }
  });

  it(`refuses ${refused.join(', ')}: 403 FORBIDDEN, no database work, nothing written`, async () => {
    const request = await ROUTES[key]!.valid(a);
    const before = await dataDigest(a.clients);
    for (const role of refused) {
      const { result, roundTrips } = await send(key, request, await tokenOf(role));
      expect(result.status, role).toBe(403);
      await expectProblem(result, 403, 'FORBIDDEN');
      expect(roundTrips, role).toBe(0);
    }
    expect(await dataDigest(a.clients)).toEqual(before);
  });

  const title = mismatched.map(describeMismatch).join(', ');
  if (mismatched.length === 0) return; // system operations, and those every tenant role may call
  it(`acts with the lesser role and refuses ${title}: 403 in one round trip, nothing written`, async () => {
    const request = await ROUTES[key]!.valid(a);
    const before = await dataDigest(a.clients);
    for (const m of mismatched) {
      const what = describeMismatch(m);
      const { result, roundTrips } = await send(key, request, await mismatchToken(m));
      const [code, trips] = m.holder === 'API key' && PEOPLE_ONLY.has(key) ? ['USER_REQUIRED', 0] : ['FORBIDDEN', 1];
      expect(result.status, what).toBe(403);
      expect(((await expectProblem(result, 403)) as { code: string }).code, what).toBe(code);
      expect(roundTrips, what).toBe(trips);
    }
    expect(await dataDigest(a.clients)).toEqual(before);
  });
});
