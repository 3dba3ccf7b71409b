import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  created_by: string | null;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
}
type CreatedApiKey = ApiKey & { key: string };
interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

const { create: fixture } = useTenantFixtures('key');

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function decodePayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1]!;
  const padded = part.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (part.length % 4)) % 4);
  return JSON.parse(atob(padded)) as Record<string, unknown>;
}

async function createKey(ids: FixtureIds, body: Record<string, unknown>, as: Role = 'admin'): Promise<CreatedApiKey> {
  const response = await call('POST', '/v1/api-keys', { token: await tokenAs(ids, as), body });
  expect(response.status).toBe(201);
  return json<CreatedApiKey>(response);
}

const exchange = (apiKey: string) => call('POST', '/v1/auth/token', { body: { api_key: apiKey } });

async function keyRow(id: string) {
  const [rows] = await asSystem(sql`select k.*, to_jsonb(k)::text as row_json from api_keys k where id = ${id}`);
  return rows![0]!;
}

describe('api keys: create and list', () => {
  it('an admin creates a key: shown once, only its SHA-256 stored, in one round trip', async () => {
    const ids = await fixture('create');
    const { result: response, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/api-keys', { token: await tokenAs(ids, 'admin'), body: { name: '  CI deploys  ', role: 'editor' } }),
    );
    expect(response.status).toBe(201);
    expect(roundTrips).toBe(1);
    const created = await json<CreatedApiKey>(response);
    expect(created.key).toMatch(/^eda_[A-Za-z0-9_-]{43}$/);
    expect(created).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      name: 'CI deploys',
      prefix: created.key.slice(0, 12),
      role: 'editor',
      created_by: ids.users,
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      key: created.key,
    });
    expect(created).not.toHaveProperty('key_hash');

    const row = await keyRow(created.id);
    expect(row.key_hash).toBe(await sha256Hex(created.key));
    expect(row.client_id).toBe(ids.clients);
    expect(row.role).toBe('editor');
    expect(row.row_json as string).not.toContain(created.key);
    // Not even the part after the display prefix is stored anywhere in the row.
    expect(row.row_json as string).not.toContain(created.key.slice(12));

    // The audit trail records the insert without the hash (and never the key).
    const [audit] = await asSystem(
      sql`select changed_columns, details::text as details from audit_logs where entity_type = 'api_keys' and entity_id = ${created.id}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit![0]!.details as string).not.toContain(created.key.slice(12));
    expect(audit![0]!.details as string).not.toContain(row.key_hash as string);

    // Two keys never collide.
    const other = await createKey(ids, { name: 'other', role: 'viewer' });
    expect(other.key).not.toBe(created.key);
    expect(other.key).toMatch(/^eda_[A-Za-z0-9_-]{43}$/);
  });

  it('an owner may create keys too; editors, viewers and service tokens may not (403)', async () => {
    const ids = await fixture('create-roles');
    const byOwner = await createKey(ids, { name: 'by owner', role: 'admin' }, 'owner');
    expect(byOwner.role).toBe('admin');
    for (const role of ['editor', 'viewer', 'service'] as const) {
      const { result, roundTrips } = await countRoundTrips(async () =>
        call('POST', '/v1/api-keys', { token: await tokenAs(ids, role), body: { name: 'nope', role: 'viewer' } }),
      );
      await expectProblem(result, 403, 'FORBIDDEN');
      expect(roundTrips).toBe(0);
      await expectProblem(await call('GET', '/v1/api-keys', { token: await tokenAs(ids, role) }), 403, 'FORBIDDEN');
    }
    const [count] = await asSystem(sql`select count(*)::int as n from api_keys where client_id = ${ids.clients}`);
    expect(count![0]!.n).toBe(2); // the fixture key and the owner's
  });

  it('refuses invalid creations with 422: owner/system roles, expires_at in the past, unknown fields, bad names', async () => {
    const ids = await fixture('create-422');
    const admin = await tokenAs(ids, 'admin');
    const cases: Record<string, unknown>[] = [
      { name: 'k', role: 'owner' },
      { name: 'k', role: 'system' },
      { name: 'k', role: 'viewer', expires_at: new Date(Date.now() - 60_000).toISOString() },
      { name: 'k', role: 'viewer', expires_at: 'tomorrow' },
      { name: 'k', role: 'viewer', key_hash: '0'.repeat(64) },
      { name: '   ', role: 'viewer' },
      { name: 'x'.repeat(101), role: 'viewer' },
      { role: 'viewer' },
    ];
    for (const body of cases) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/api-keys', { token: admin, body }));
      const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^body/) })]));
      expect(roundTrips).toBe(0);
    }
    const past = await expectProblem(
      await call('POST', '/v1/api-keys', {
        token: admin,
        body: { name: 'k', role: 'viewer', expires_at: new Date(Date.now() - 60_000).toISOString() },
      }),
      422,
      'VALIDATION_FAILED',
    );
    expect(JSON.stringify(past.errors)).toContain('expires_at');
    const [count] = await asSystem(sql`select count(*)::int as n from api_keys where client_id = ${ids.clients}`);
    expect(count![0]!.n).toBe(1);

    const future = await createKey(ids, { name: 'expiring', role: 'viewer', expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    expect(Date.parse(future.expires_at!)).toBeGreaterThan(Date.now());
  });

  it('lists the client’s keys, newest first, without the key or its hash', async () => {
    const ids = await fixture('list');
    const other = await fixture('list-other');
    const first = await createKey(ids, { name: 'first', role: 'viewer' });
    const second = await createKey(ids, { name: 'second', role: 'service' });
    const otherKey = await createKey(other, { name: 'theirs', role: 'viewer' });
    const [hashes] = await asSystem(sql`select key_hash from api_keys where client_id = ${ids.clients}`);

    const { result, roundTrips } = await countRoundTrips(async () => call('GET', '/v1/api-keys', { token: await tokenAs(ids, 'admin') }));
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    const text = await result.text();
    const page = JSON.parse(text) as { data: Record<string, unknown>[]; next_cursor: string | null };
    expect(page.data.map((k) => k.id)).toEqual([second.id, first.id, ids.api_keys]);
    expect(page.next_cursor).toBeNull();
    for (const item of page.data) {
      expect(item).not.toHaveProperty('key');
      expect(item).not.toHaveProperty('key_hash');
      expect(Object.keys(item).sort()).toEqual(
        ['client_id', 'created_at', 'created_by', 'expires_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at', 'role', 'updated_at'].sort(),
      );
    }
    expect(text).not.toContain(first.key);
    expect(text).not.toContain(second.key);
    for (const h of hashes!) expect(text).not.toContain(h.key_hash as string);
    expect(text).not.toContain(otherKey.id);
    expect(page.data[0]).toMatchObject({ name: 'second', role: 'service', prefix: second.prefix });

    const one = await json<{ data: ApiKey[]; next_cursor: string | null }>(
      await call('GET', '/v1/api-keys?limit=1', { token: await tokenAs(ids, 'owner') }),
    );
    expect(one.data.map((k) => k.id)).toEqual([second.id]);
    expect(one.next_cursor).toEqual(expect.any(String));
    const next = await json<{ data: ApiKey[] }>(
      await call('GET', `/v1/api-keys?limit=1&cursor=${one.next_cursor}`, { token: await tokenAs(ids, 'owner') }),
    );
    expect(next.data.map((k) => k.id)).toEqual([first.id]);
  });
});

describe('api keys: token exchange', () => {
  it('exchanges a key for a short-lived tenant token that works on /v1/me and records last_used_at', async () => {
    const ids = await fixture('exchange');
    const key = await createKey(ids, { name: 'bot', role: 'editor' });
    expect((await keyRow(key.id)).last_used_at).toBeNull();

    const before = Math.floor(Date.now() / 1000);
    const { result: response, roundTrips } = await countRoundTrips(() => exchange(key.key));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
    const body = await json<TokenResponse>(response);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.expires_in).toBeLessThanOrEqual(900);

    const payload = decodePayload(body.access_token);
    expect(payload).toMatchObject({ sub: key.id, client_id: ids.clients, role: 'editor', kind: 'api_key' });
    expect(payload.role).not.toBe('system');
    expect((payload.exp as number) - (payload.iat as number)).toBe(body.expires_in);
    expect(payload.iat as number).toBeGreaterThanOrEqual(before - 1);

    const me = await call('GET', '/v1/me', { token: body.access_token });
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ subject: key.id, kind: 'api_key', role: 'editor', client: { id: ids.clients } });

    const used = await keyRow(key.id);
    expect(used.last_used_at).not.toBeNull();
    expect(Date.parse(String(used.last_used_at))).toBeGreaterThan(Date.now() - 60_000);

    // An editor key's token writes content (its role is what the API trusts)…
    const kit = await call('POST', '/v1/brand-kits', {
      token: body.access_token,
      body: { name: 'From a key', tone: { voice: 'casual', personality: [], do_list: [], dont_list: [] }, colors: { primary: '#abcdef' } },
    });
    expect(kit.status).toBe(201);
    // …but does not administer.
    await expectProblem(await call('GET', '/v1/api-keys', { token: body.access_token }), 403, 'FORBIDDEN');
  });

  it('a service key’s token identifies itself but cannot create API keys (403); the minted token is never system', async () => {
    const ids = await fixture('service');
    for (const role of ['admin', 'editor', 'viewer', 'service'] as const) {
      const key = await createKey(ids, { name: `k-${role}`, role });
      const token = (await json<TokenResponse>(await exchange(key.key))).access_token;
      const payload = decodePayload(token);
      expect(payload.role).toBe(role);
      expect(payload.role).not.toBe('system');
      expect(payload.client_id).toBe(ids.clients);
      expect(payload.kind).toBe('api_key');
      const me = await json(await call('GET', '/v1/me', { token }));
      expect(me).toMatchObject({ kind: 'api_key', role, subject: key.id });
      if (role === 'service') {
        const { result, roundTrips } = await countRoundTrips(() =>
          call('POST', '/v1/api-keys', { token, body: { name: 'escalate', role: 'admin' } }),
        );
        await expectProblem(result, 403, 'FORBIDDEN');
        expect(roundTrips).toBe(0);
        await expectProblem(await call('GET', '/v1/clients', { token }), 403, 'FORBIDDEN');
      }
      if (role === 'admin') {
        // An admin key may mint further keys; there is no user behind it.
        const minted = await call('POST', '/v1/api-keys', { token, body: { name: 'by key', role: 'viewer' } });
        expect(minted.status).toBe(201);
        expect(await json(minted)).toMatchObject({ created_by: null, role: 'viewer' });
      }
    }
    const [roles] = await asSystem(sql`select role::text as role, count(*)::int as n from api_keys where client_id = ${ids.clients} group by 1 order by 1`);
    expect(roles).toEqual([
      { role: 'admin', n: 1 },
      { role: 'editor', n: 1 },
      { role: 'service', n: 2 },
      { role: 'viewer', n: 2 },
    ]);
  });

  it('a revoked key is refused (401 INVALID_API_KEY); revoking is idempotent (204 twice)', async () => {
    const ids = await fixture('revoke');
    const key = await createKey(ids, { name: 'to revoke', role: 'viewer' });
    expect((await exchange(key.key)).status).toBe(200);

    const admin = await tokenAs(ids, 'admin');
    const { result, roundTrips } = await countRoundTrips(() => call('DELETE', `/v1/api-keys/${key.id}`, { token: admin }));
    expect(result.status).toBe(204);
    expect(roundTrips).toBe(1);
    const revokedAt = (await keyRow(key.id)).revoked_at;
    expect(revokedAt).not.toBeNull();

    const again = await call('DELETE', `/v1/api-keys/${key.id}`, { token: admin });
    expect(again.status).toBe(204);
    expect((await keyRow(key.id)).revoked_at).toEqual(revokedAt); // the first revocation time stays

    const refused = await exchange(key.key);
    const problem = await expectProblem(refused, 401, 'INVALID_API_KEY');
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect(JSON.stringify(problem)).not.toContain(key.key);

    const listed = await json<{ data: ApiKey[] }>(await call('GET', '/v1/api-keys', { token: admin }));
    expect(listed.data.find((k) => k.id === key.id)?.revoked_at).toEqual(expect.any(String));
  });

  it('revoking an unknown key or another client’s key is 404 and leaves it usable', async () => {
    const a = await fixture('revoke-a');
    const b = await fixture('revoke-b');
    const theirs = await createKey(b, { name: 'theirs', role: 'viewer' });
    const admin = await tokenAs(a, 'admin');
    await expectProblem(await call('DELETE', `/v1/api-keys/${crypto.randomUUID()}`, { token: admin }), 404, 'API_KEY_NOT_FOUND');
    await expectProblem(await call('DELETE', `/v1/api-keys/${theirs.id}`, { token: admin }), 404, 'API_KEY_NOT_FOUND');
    await expectProblem(await call('DELETE', '/v1/api-keys/not-a-uuid', { token: admin }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('DELETE', `/v1/api-keys/${theirs.id}`, { token: await tokenAs(b, 'editor') }), 403, 'FORBIDDEN');
    expect((await keyRow(theirs.id)).revoked_at).toBeNull();
    expect((await exchange(theirs.key)).status).toBe(200);
  });

  it('an expired key is refused (401)', async () => {
    const ids = await fixture('expired');
    const key = await createKey(ids, { name: 'short', role: 'viewer', expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await exchange(key.key)).status).toBe(200);
    await asSystem(sql`update api_keys set expires_at = now() - interval '1 second' where id = ${key.id}`);
    const { result, roundTrips } = await countRoundTrips(() => exchange(key.key));
    await expectProblem(result, 401, 'INVALID_API_KEY');
    expect(roundTrips).toBe(1);
  });

  it('a key of a deactivated client is refused (401)', async () => {
    const ids = await fixture('inactive');
    const key = await createKey(ids, { name: 'k', role: 'admin' });
    expect((await exchange(key.key)).status).toBe(200);
    await asSystem(sql`update clients set is_active = false where id = ${ids.clients}`);
    const before = (await keyRow(key.id)).last_used_at;
    await expectProblem(await exchange(key.key), 401, 'INVALID_API_KEY');
    expect((await keyRow(key.id)).last_used_at).toEqual(before); // a refused exchange records nothing
    await asSystem(sql`update clients set is_active = true where id = ${ids.clients}`);
    expect((await exchange(key.key)).status).toBe(200);
  });

  it('a malformed key is refused (401) without touching the database', async () => {
    const valid = `eda_${'A'.repeat(43)}`;
    const malformed = [
      'not-a-key',
      'eda_',
      `eda_${'A'.repeat(42)}`,
      `eda_${'A'.repeat(44)}`,
      `EDA_${'A'.repeat(43)}`,
      `xyz_${'A'.repeat(43)}`,
      `eda_${'A'.repeat(42)}+`,
      `eda_${'A'.repeat(42)}=`,
      `eda_${'A'.repeat(42)}/`,
      ` ${valid}`,
      `${valid}\n`,
      `eda_${'A'.repeat(21)}' or 1=1 --${'A'.repeat(11)}`,
    ];
    for (const apiKey of malformed) {
      const { result, roundTrips } = await countRoundTrips(() => exchange(apiKey));
      await expectProblem(result, 401, 'INVALID_API_KEY');
      expect(roundTrips).toBe(0);
    }
    // Not even a string, empty, or too long: a validation failure, still without the database.
    for (const body of [{ api_key: '' }, { api_key: 'x'.repeat(201) }, { api_key: 42 }, {}, { api_key: valid, extra: 1 }]) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/auth/token', { body }));
      await expectProblem(result, 422, 'VALIDATION_FAILED');
      expect(roundTrips).toBe(0);
    }
  });

  it('an unknown well-formed key is refused (401) in exactly one round trip', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const unknown = `eda_${btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}`;
    expect(unknown).toMatch(/^eda_[A-Za-z0-9_-]{43}$/);
    const { result, roundTrips } = await countRoundTrips(() => exchange(unknown));
    await expectProblem(result, 401, 'INVALID_API_KEY');
    expect(roundTrips).toBe(1);
  });

  it('the stored hash is not a key: sending the hash or a fixture key’s hash is refused', async () => {
    const ids = await fixture('hash');
    const key = await createKey(ids, { name: 'k', role: 'viewer' });
    const row = await keyRow(key.id);
    await expectProblem(await exchange(row.key_hash as string), 401, 'INVALID_API_KEY');
    await expectProblem(await exchange(`eda_${(row.key_hash as string).slice(0, 43)}`), 401, 'INVALID_API_KEY');
  });
});
