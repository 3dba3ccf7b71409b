import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import type { Role } from '../../../src/auth/principal';
import { call, json } from '../../helpers/api';
import { asSystem } from '../../helpers/db';
import { newApiKey, newMember } from '../../helpers/fixtures';
import { forgedTokens, identityProviderToken } from '../../helpers/forged-tokens';
import { useGlobalRowCleanup } from '../../helpers/global-rows';
import { expectProblem } from '../../helpers/problem';
import { countRoundTrips } from '../../helpers/round-trips';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from '../../helpers/tenant-fixture';
import { systemToken, tokenFor } from '../../helpers/tokens';
import { documentedRoutes, ROUTES, type DocumentedRoute } from './routes';

// The route table comes from the OpenAPI document the Worker generates (and serves, checked below).
const document = createApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'suite', version: '0' } }) as unknown as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
};
const documented = documentedRoutes(document);
const guarded = documented.filter((r) => !ROUTES[r.key]?.public);
const systemOnly = (r: DocumentedRoute) => r.roles?.length === 1 && r.roles[0] === 'system';
const tenantRoutes = guarded.filter((r) => !systemOnly(r));

// Roles are tried one by one against the reviewed matrix in role-matrix.test.ts, and another
// tenant's ids in cross-tenant.test.ts; here the tokens, the inputs and the access decisions.
let a: FixtureIds; // the victim
let inactive: FixtureIds;
const globals = useGlobalRowCleanup(); // clients, users and skills the valid requests create

beforeAll(async () => {
  [a, inactive] = await Promise.all([createTenantFixture('atk-a'), createTenantFixture('atk-off')]);
  await asSystem(sql`update clients set is_active = false where id = ${inactive.clients}`);
});
afterAll(async () => {
  await Promise.all([a, inactive].map((ids) => deleteTenantFixture(ids)));
  await globals.deleteNew();
});

function tokenAs(role: Role, ids: FixtureIds = a): Promise<string> {
  return role === 'system' ? systemToken() : tokenFor({ clientId: ids.clients, userId: ids.users, role });
}

const allowedRole = (route: DocumentedRoute): Role => route.roles![0] as Role;
const concrete = (route: DocumentedRoute) => route.path.replace('{id}', crypto.randomUUID()).replace(/\{[a-z_]+\}/g, 'x');

/** Whether a JSON value holds a string anywhere (the oversized-strings case needs one). */
function hasString(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.some(hasString);
  if (value && typeof value === 'object') return Object.values(value).some(hasString);
  return false;
}

/** The same JSON value with every string, at any depth, 100,000 characters long. */
function enlargeStrings(value: unknown): unknown {
  if (typeof value === 'string') return 'x'.repeat(100_000);
  if (Array.isArray(value)) return value.map(enlargeStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, enlargeStrings(v)]));
  return value;
}

async function auditCount(ids: FixtureIds): Promise<number> {
  const [rows] = await asSystem(sql`select count(*)::int as n from audit_logs where client_id = ${ids.clients}`);
  return rows![0]!.n as number;
}

describe('the route table', () => {
  it('covers exactly the operations of the OpenAPI document', () => {
    expect(documented.length).toBeGreaterThanOrEqual(20);
    expect(documented.map((r) => r.key).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('declares roles on every guarded operation, and the served document is the generated one', async () => {
    for (const route of guarded) expect(route.roles, route.key).not.toBeNull();
    const served = await json<{ paths: unknown }>(await call('GET', '/openapi.json'));
    expect(served.paths).toEqual(document.paths);
  });
});

describe.each(guarded)('$key', (route) => {
  const body = (r: DocumentedRoute) => (r.hasBody ? {} : undefined);

  it('refuses a missing or malformed Authorization header with 401', async () => {
    await expectProblem(await call(route.method, concrete(route), { body: body(route) }), 401, 'MISSING_TOKEN');
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'bearer abc.def.ghi', 'Bearer not-a-jwt', `Bearer ${'a'.repeat(5000)}`]) {
      const response = await call(route.method, concrete(route), { body: body(route), headers: { authorization: header } });
      await expectProblem(response, 401, 'INVALID_TOKEN');
    }
  });

  it('refuses every forged, bent or expired token with 401 and writes nothing', async () => {
    const role = allowedRole(route);
    const claims = role === 'system' ? { sub: a.users, role } : { sub: a.users, client_id: a.clients, role };
    const tokens = await forgedTokens(claims);
    if (role === 'system') delete tokens['missing client_id']; // system tokens carry no client
    const request = await ROUTES[route.key]!.valid(a);
    const before = await auditCount(a);
    for (const [name, token] of Object.entries(tokens)) {
      const response = await call(route.method, request.path, { token, body: request.body });
      expect(response.status, name).toBe(401);
      await expectProblem(response, 401, 'INVALID_TOKEN');
    }
    expect(await auditCount(a)).toBe(before);
  });

  it('costs exactly one database round trip for a valid request', async () => {
    const request = await ROUTES[route.key]!.valid(a);
    const token = await tokenAs(allowedRole(route));
    const { result, roundTrips } = await countRoundTrips(() => call(route.method, request.path, { token, body: request.body }));
    expect(result.status, await result.clone().text()).toBeLessThan(300);
    expect(roundTrips).toBe(1);
  });

  it.skipIf(!route.hasIdParam)('answers 400 for an id that is not a UUID, without touching the database', async () => {
    const request = await ROUTES[route.key]!.valid(a);
    const path = route.path.replace('{id}', 'not-a-uuid');
    const { result, roundTrips } = await countRoundTrips(async () =>
      call(route.method, path, { token: await tokenAs(allowedRole(route)), body: request.body }),
    );
    await expectProblem(result, 400, 'INVALID_REQUEST');
    expect(roundTrips).toBe(0);
  });

  it.skipIf(!route.hasBody)('answers 400/422 problem+json to malformed and invalid bodies, and writes nothing', async () => {
    const token = await tokenAs(allowedRole(route));
    const request = await ROUTES[route.key]!.valid(a);
    const before = await auditCount(a);
    type Variant = [string, { body?: unknown; rawBody?: string; headers?: Record<string, string> }];
    const oversized: Variant[] = hasString(request.body) ? [['oversized strings', { body: enlargeStrings(request.body) }]] : [];
    const bad: Variant[] = [
      ['malformed JSON', { rawBody: '{"name": ' }],
      ['array', { body: [] }],
      ['string', { body: 'hello' }],
      ['number', { body: 42 }],
      ['null', { body: null }],
      ['unknown field', { body: { ...(request.body as object), unexpected_field: true } }],
      ['wrong types', { body: Object.fromEntries(Object.keys(request.body as object).map((k) => [k, { nested: [1, 2] }])) }],
      ...oversized,
      ['not JSON content type', { rawBody: JSON.stringify(request.body), headers: { 'content-type': 'text/plain' } }],
    ];
    for (const [name, variant] of bad) {
      const response = await call(route.method, request.path, { token, ...variant });
      expect([400, 413, 415, 422], `${name}: ${response.status}`).toContain(response.status);
      await expectProblem(response, response.status);
    }
    expect(await auditCount(a)).toBe(before);
  });

  it.skipIf(!route.hasBody)('never answers 5xx to arbitrary JSON bodies (property-based)', async () => {
    const token = await tokenAs(allowedRole(route));
    const request = await ROUTES[route.key]!.valid(a);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const response = await call(route.method, request.path, { token, body: value });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) await expectProblem(response, response.status);
        else await response.arrayBuffer();
      }),
      { numRuns: 25 },
    );
  });
});

const MEMBER_ROLES = ['owner', 'admin', 'editor', 'viewer'];
const KEY_ROLES = ['admin', 'editor', 'viewer', 'service'];

describe.each(tenantRoutes)('$key (access decided by the database)', (route) => {
  const memberRole = route.roles!.find((role) => MEMBER_ROLES.includes(role));
  const keyRole = route.roles!.find((role) => KEY_ROLES.includes(role));

  /**
   * The route's valid request with `token`: the problem, one round trip, nothing written. Routes
   * that only a person may call refuse an API key before any database work (USER_REQUIRED).
   */
  async function expectRefused(token: string, status: number, code: string) {
    const request = await ROUTES[route.key]!.valid(a);
    const before = await auditCount(a);
    const { result, roundTrips } = await countRoundTrips(() => call(route.method, request.path, { token, body: request.body }));
    if (result.status === 403 && code === 'INVALID_TOKEN') {
      await expectProblem(result, 403, 'USER_REQUIRED');
      expect(roundTrips).toBe(0);
    } else {
      await expectProblem(result, status, code);
      expect(roundTrips).toBe(1);
    }
    expect(await auditCount(a)).toBe(before);
  }

  it.skipIf(!memberRole)('refuses a removed member’s still-valid token with 403 NOT_A_MEMBER', async () => {
    const member = await newMember(a, memberRole!);
    const token = await tokenFor({ clientId: a.clients, userId: member.userId, role: memberRole as Role });
    await asSystem(sql`delete from memberships where id = ${member.membershipId}`);
    await expectRefused(token, 403, 'NOT_A_MEMBER');
  });

  it.skipIf(!memberRole || route.roles!.includes('viewer'))('refuses a member demoted below the route’s roles with 403', async () => {
    const member = await newMember(a, memberRole!);
    const token = await tokenFor({ clientId: a.clients, userId: member.userId, role: memberRole as Role });
    await asSystem(sql`update memberships set role = 'viewer' where id = ${member.membershipId}`);
    await expectRefused(token, 403, 'FORBIDDEN');
  });

  it.skipIf(!keyRole)('refuses a revoked API key’s still-valid token with 401', async () => {
    const keyId = await newApiKey(a, keyRole!, { revoked: true });
    const token = await tokenFor({ clientId: a.clients, userId: keyId, role: keyRole as Role, kind: 'api_key' });
    await expectRefused(token, 401, 'INVALID_TOKEN');
  });
});

describe.each(tenantRoutes)('$key (tenant scoping)', (route) => {
  it('refuses a deactivated client with 403 in one round trip', async () => {
    const request = await ROUTES[route.key]!.valid(a);
    const { result, roundTrips } = await countRoundTrips(async () =>
      call(route.method, request.path, { token: await tokenAs(allowedRole(route), inactive), body: request.body }),
    );
    await expectProblem(result, 403, 'CLIENT_INACTIVE');
    expect(roundTrips).toBe(1);
  });

  it('refuses a token naming a client that does not exist with 401', async () => {
    const request = await ROUTES[route.key]!.valid(a);
    const token = await tokenFor({ clientId: crypto.randomUUID(), userId: a.users, role: allowedRole(route) });
    await expectProblem(await call(route.method, request.path, { token, body: request.body }), 401, 'INVALID_TOKEN');
  });

  it('accepts a token from the configured identity provider (ES256 via JWKS)', async () => {
    const request = await ROUTES[route.key]!.valid(a);
    const token = await identityProviderToken({ sub: a.users, client_id: a.clients, role: allowedRole(route) });
    const response = await call(route.method, request.path, { token, body: request.body });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  });

});
