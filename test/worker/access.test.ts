import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MemberSchema } from '../../src/members/members.schemas';
import { createTenantExecutor, createSystemExecutor } from '../../src/db/executor';
import { loadEnv } from '../../src/env';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { identityProviderToken } from '../helpers/forged-tokens';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { tokenFor } from '../helpers/tokens';

const { run: RUN, create: fixture } = useTenantFixtures('access', {
  async afterDeleteAll() {
    await asSystem(sql`delete from users where email ilike ${`%-${RUN}-%`}`);
  },
});
const email = (name: string) => `${name}-${RUN}-${crypto.randomUUID().slice(0, 8)}@example.test`;

type Member = z.infer<typeof MemberSchema>;

async function addMember(ids: FixtureIds, role: string, address = email(role), displayName?: string): Promise<Member> {
  const response = await call('POST', '/v1/members', {
    token: await tokenAs(ids, 'owner'),
    body: { email: address, role, ...(displayName ? { display_name: displayName } : {}) },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return json<Member>(response);
}

async function memberRoles(ids: FixtureIds): Promise<Record<string, string>> {
  const [rows] = await asSystem(sql`select user_id, role::text as role from memberships where client_id = ${ids.clients}`);
  return Object.fromEntries(rows!.map((r) => [r.user_id as string, r.role as string]));
}

async function apiKeyCount(ids: FixtureIds): Promise<number> {
  const [rows] = await asSystem(sql`select count(*)::int as n from api_keys where client_id = ${ids.clients}`);
  return rows![0]!.n as number;
}

/** A refusal decided by the database: the problem, in exactly one round trip. */
async function refusedInOneTrip(request: () => Promise<Response>, status: number, code: string): Promise<void> {
  const { result, roundTrips } = await countRoundTrips(request);
  await expectProblem(result, status, code);
  expect(roundTrips).toBe(1);
}

describe('membership is the source of truth', () => {
  it('a removed owner cannot re-add themselves nor remove the remaining owner (the takeover)', async () => {
    const ids = await fixture('takeover');
    const second = await addMember(ids, 'owner');
    const firstOwner = await tokenAs(ids, 'owner');
    const secondOwner = await tokenAs(ids, 'owner', second.user_id);

    expect((await call('DELETE', `/v1/members/${second.id}`, { token: firstOwner })).status).toBe(204);

    const [secondEmail] = await asSystem(sql`select email from users where id = ${second.user_id}`);
    await refusedInOneTrip(
      () => call('POST', '/v1/members', { token: secondOwner, body: { email: secondEmail![0]!.email, role: 'owner' } }),
      403,
      'NOT_A_MEMBER',
    );
    await refusedInOneTrip(() => call('DELETE', `/v1/members/${ids.memberships}`, { token: secondOwner }), 403, 'NOT_A_MEMBER');
    await refusedInOneTrip(() => call('GET', '/v1/members', { token: secondOwner }), 403, 'NOT_A_MEMBER');
    expect(await memberRoles(ids)).toEqual({ [ids.users]: 'owner' });
  });

  it('a removed admin’s token cannot create an API key (no backdoor outlives the removal)', async () => {
    const ids = await fixture('backdoor');
    const admin = await addMember(ids, 'admin');
    const adminToken = await tokenAs(ids, 'admin', admin.user_id);
    expect((await call('DELETE', `/v1/members/${admin.id}`, { token: await tokenAs(ids, 'owner') })).status).toBe(204);

    const before = await apiKeyCount(ids);
    await refusedInOneTrip(() => call('POST', '/v1/api-keys', { token: adminToken, body: { name: 'backdoor', role: 'admin' } }), 403, 'NOT_A_MEMBER');
    expect(await apiKeyCount(ids)).toBe(before);
  });

  it('a demoted member acts with the role they have now, on the very next request', async () => {
    const ids = await fixture('demoted');
    const admin = await addMember(ids, 'admin');
    const adminToken = await tokenAs(ids, 'admin', admin.user_id);
    expect((await call('GET', '/v1/api-keys', { token: adminToken })).status).toBe(200);

    const demote = await call('PATCH', `/v1/members/${admin.id}`, { token: await tokenAs(ids, 'owner'), body: { role: 'viewer' } });
    expect(demote.status).toBe(200);

    const before = await apiKeyCount(ids);
    await refusedInOneTrip(() => call('GET', '/v1/api-keys', { token: adminToken }), 403, 'FORBIDDEN');
    await refusedInOneTrip(() => call('POST', '/v1/api-keys', { token: adminToken, body: { name: 'k', role: 'viewer' } }), 403, 'FORBIDDEN');
    expect(await apiKeyCount(ids)).toBe(before);
    // What a viewer may do still works, and the API says which role the caller acts with.
    expect((await call('GET', '/v1/members', { token: adminToken })).status).toBe(200);
    const me = await json<{ role: string }>(await call('GET', '/v1/me', { token: adminToken }));
    expect(me.role).toBe('viewer');
  });

  it('a token’s role narrows the membership, never widens it', async () => {
    const ids = await fixture('narrow');
    // The fixture user is an owner; a viewer token acts as a viewer.
    const viewerToken = await tokenAs(ids, 'viewer');
    expect((await json<{ role: string }>(await call('GET', '/v1/me', { token: viewerToken }))).role).toBe('viewer');
    const { result, roundTrips } = await countRoundTrips(() =>
      call('POST', '/v1/brand-kits', { token: viewerToken, body: { name: 'n', tone: { voice: 'v' }, colors: { primary: '#000000' } } }),
    );
    await expectProblem(result, 403, 'FORBIDDEN');
    expect(roundTrips).toBe(0);

    // A viewer member holding an owner token acts as a viewer.
    const viewer = await addMember(ids, 'viewer');
    const widened = await tokenAs(ids, 'owner', viewer.user_id);
    expect((await json<{ role: string }>(await call('GET', '/v1/me', { token: widened }))).role).toBe('viewer');
    await refusedInOneTrip(() => call('POST', '/v1/members', { token: widened, body: { email: email('x'), role: 'owner' } }), 403, 'FORBIDDEN');
    await refusedInOneTrip(() => call('DELETE', `/v1/members/${ids.memberships}`, { token: widened }), 403, 'FORBIDDEN');
    expect((await memberRoles(ids))[ids.users]).toBe('owner');

    // An admin member with an owner token acts as an admin: owner-only changes are refused.
    const admin = await addMember(ids, 'admin');
    const adminAsOwner = await tokenAs(ids, 'owner', admin.user_id);
    await refusedInOneTrip(() => call('POST', '/v1/members', { token: adminAsOwner, body: { email: email('y'), role: 'owner' } }), 403, 'OWNER_REQUIRED');
    await refusedInOneTrip(() => call('DELETE', `/v1/members/${ids.memberships}`, { token: adminAsOwner }), 403, 'OWNER_REQUIRED');
    await refusedInOneTrip(
      () => call('PATCH', `/v1/members/${admin.id}`, { token: adminAsOwner, body: { role: 'owner' } }),
      403,
      'OWNER_REQUIRED',
    );
    expect(await memberRoles(ids)).toMatchObject({ [ids.users]: 'owner', [admin.user_id]: 'admin' });

    // A viewer member cannot act as a machine client, nor the other way round.
    const serviceClaim = await tokenAs(ids, 'service', viewer.user_id);
    await refusedInOneTrip(() => call('GET', '/v1/me', { token: serviceClaim }), 403, 'FORBIDDEN');
  });

  it('a user of another client, or of none, is not a member', async () => {
    const ids = await fixture('outsider');
    const other = await fixture('outsider-b');
    const outsider = await tokenAs(ids, 'owner', other.users);
    await refusedInOneTrip(() => call('GET', '/v1/brand-kits', { token: outsider }), 403, 'NOT_A_MEMBER');
    const nobody = await tokenAs(ids, 'viewer', crypto.randomUUID());
    await refusedInOneTrip(() => call('GET', '/v1/brand-kits', { token: nobody }), 403, 'NOT_A_MEMBER');
  });
});

describe('API-key tokens are checked against the key row', () => {
  async function keyAndToken(ids: FixtureIds, role = 'service') {
    const created = await call('POST', '/v1/api-keys', { token: await tokenAs(ids, 'admin'), body: { name: 'bot', role } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { id, key } = await json<{ id: string; key: string }>(created);
    const exchanged = await call('POST', '/v1/auth/token', { body: { api_key: key } });
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('cache-control')).toBe('no-store');
    const { access_token } = await json<{ access_token: string }>(exchanged);
    expect((await call('GET', '/v1/me', { token: access_token })).status).toBe(200);
    return { id, token: access_token };
  }

  it('a revoked key’s exchanged token is refused at once', async () => {
    const ids = await fixture('revoked');
    const { id, token } = await keyAndToken(ids);
    expect((await call('DELETE', `/v1/api-keys/${id}`, { token: await tokenAs(ids, 'admin') })).status).toBe(204);
    await refusedInOneTrip(() => call('GET', '/v1/me', { token }), 401, 'INVALID_TOKEN');
    await refusedInOneTrip(
      () =>
        call('POST', '/v1/posts/bulk', {
          token,
          body: { platform: 'twitter', posts: [{ platform_post_id: `p-${RUN}`, author: { platform_id: `a-${RUN}`, handle: 'h' }, content: 'hi', keyword_matches: ['hi'] }] },
        }),
      401,
      'INVALID_TOKEN',
    );
  });

  it('an expired key, or a key of a deactivated client, is refused with 401', async () => {
    const ids = await fixture('expired');
    const expired = await keyAndToken(ids);
    await asSystem(sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expired.id}`);
    await refusedInOneTrip(() => call('GET', '/v1/me', { token: expired.token }), 401, 'INVALID_TOKEN');

    const live = await keyAndToken(ids);
    await asSystem(sql`update clients set is_active = false where id = ${ids.clients}`);
    await refusedInOneTrip(() => call('GET', '/v1/me', { token: live.token }), 401, 'INVALID_TOKEN');
    // A user of the deactivated client is told why.
    await refusedInOneTrip(async () => call('GET', '/v1/me', { token: await tokenAs(ids, 'owner') }), 403, 'CLIENT_INACTIVE');
  });

  it('a token naming a key of another client is refused', async () => {
    const a = await fixture('key-a');
    const b = await fixture('key-b');
    const { id } = await keyAndToken(a);
    const forged = await tokenFor({ clientId: b.clients, userId: id, role: 'service', kind: 'api_key' });
    await refusedInOneTrip(() => call('GET', '/v1/me', { token: forged }), 401, 'INVALID_TOKEN');
  });
});

describe('token rules', () => {
  it('the identity provider cannot issue system tokens', async () => {
    const token = await identityProviderToken({ sub: crypto.randomUUID(), role: 'system' });
    const { result, roundTrips } = await countRoundTrips(() => call('GET', '/v1/clients', { token }));
    await expectProblem(result, 401, 'INVALID_TOKEN');
    expect(roundTrips).toBe(0);
  });

  it('tokens live at most TOKEN_MAX_LIFETIME_SECONDS (24 h by default)', async () => {
    const ids = await fixture('lifetime');
    const now = Math.floor(Date.now() / 1000);
    const day = await tokenFor({ clientId: ids.clients, userId: ids.users, role: 'owner' }, { iat: now, exp: now + 86_400 });
    expect((await call('GET', '/v1/me', { token: day })).status).toBe(200);
    const longer = await tokenFor({ clientId: ids.clients, userId: ids.users, role: 'owner' }, { iat: now, exp: now + 86_401 });
    await expectProblem(await call('GET', '/v1/me', { token: longer }), 401, 'INVALID_TOKEN');
    const fromIdp = await identityProviderToken({ sub: ids.users, client_id: ids.clients, role: 'owner' }, { iat: now, exp: now + 7 * 86_400 });
    await expectProblem(await call('GET', '/v1/me', { token: fromIdp }), 401, 'INVALID_TOKEN');
  });
});

describe('shared users reveal nothing across clients', () => {
  it('adding another client’s owner by email shows only what this client wrote', async () => {
    const c = await fixture('users-c');
    const d = await fixture('users-d');
    const address = email('alice');
    await addMember(c, 'admin', address, 'Alice from C');

    const inD = await addMember(d, 'viewer', address.toUpperCase());
    expect(inD.display_name).toBeNull();
    expect(inD.email).toBe(address);
    const listed = await json<{ data: Member[] }>(await call('GET', '/v1/members', { token: await tokenAs(d, 'viewer') }));
    expect(JSON.stringify(listed)).not.toContain('Alice from C');
  });

  it('a display name written by one client is never shown to another', async () => {
    const c = await fixture('names-c');
    const d = await fixture('names-d');
    const address = email('bob');
    await addMember(d, 'viewer', address, 'IT Helpdesk (send password here)');

    const inC = await addMember(c, 'editor', address);
    expect(inC.display_name).toBeNull();
    const named = await addMember(await fixture('names-e'), 'editor', address, 'Bob');
    expect(named.display_name).toBe('Bob');
    const listed = await call('GET', '/v1/members', { token: await tokenAs(c, 'viewer') });
    expect(await listed.text()).not.toContain('IT Helpdesk');
    const [user] = await asSystem(sql`select display_name from users where lower(email) = ${address}`);
    expect(user![0]!.display_name).toBeNull();
  });
});

describe('every batch carries the database deadline', () => {
  it('sets statement_timeout from DB_TIMEOUT_MS on the tenant and the system path', async () => {
    const ids = await fixture('deadline');
    const config = loadEnv({ ...(env as Record<string, unknown>), DB_TIMEOUT_MS: '1234' });
    const tenant = createTenantExecutor(config, {
      kind: 'user',
      clientId: ids.clients,
      userId: ids.users,
      role: 'viewer',
      allowed: ['viewer'],
    });
    const [tenantSetting] = await tenant.run((db) => [db.execute(sql`select current_setting('statement_timeout') as value`)]);
    expect(tenantSetting.rows[0]).toEqual({ value: '1234ms' });
    expect(tenant.actingRole()).toBe('viewer');
    const [systemSetting] = await createSystemExecutor(config).run((db) => [db.execute(sql`select current_setting('statement_timeout') as value`)]);
    expect(systemSetting.rows[0]).toEqual({ value: '1234ms' });
  });
});
