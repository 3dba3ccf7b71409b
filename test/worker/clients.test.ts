import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { systemToken, tokenFor } from '../helpers/tokens';

const created: string[] = [];
afterAll(async () => {
  for (const id of created) await asSystem(sql`delete from clients where id = ${id}`);
});

async function createClient(slug: string, extra: Record<string, unknown> = {}) {
  const response = await call('POST', '/v1/clients', {
    token: await systemToken(),
    body: { name: `Client ${slug}`, slug, owner: { email: `owner-${slug}@example.test`, display_name: 'Owner' }, ...extra },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const body = await json<{ client: { id: string; name: string; slug: string; storage_prefix: string }; owner: { user_id: string } }>(response);
  created.push(body.client.id);
  return body;
}

const slug = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}`;

describe('clients', () => {
  it('system creates a client with its first owner in one round trip; a duplicate slug is 409', async () => {
    const s = slug('acme');
    const { result: response, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/clients', {
        token: await systemToken(),
        body: { name: 'Acme', slug: s, owner: { email: `Owner-${s}@Example.test` } },
      }),
    );
    expect(response.status).toBe(201);
    expect(roundTrips).toBe(1);
    const body = await json<{ client: { id: string; storage_prefix: string; is_active: boolean }; owner: { email: string } }>(response);
    created.push(body.client.id);
    expect(body.client).toMatchObject({ storage_prefix: `clients/${s}/`, is_active: true });
    const [members] = await asSystem(sql`select role from memberships where client_id = ${body.client.id}`);
    expect(members).toEqual([{ role: 'owner' }]);

    const again = await call('POST', '/v1/clients', {
      token: await systemToken(),
      body: { name: 'Acme again', slug: s, owner: { email: 'someone@example.test' } },
    });
    await expectProblem(again, 409, 'CONFLICT');
    const [count] = await asSystem(sql`select count(*)::int as n from clients where slug = ${s}`);
    expect(count![0]!.n).toBe(1);
  });

  it('GET /v1/me and /v1/client answer for the token’s client in one round trip', async () => {
    const { client, owner } = await createClient(slug('me'));
    const token = await tokenFor({ clientId: client.id, userId: owner.user_id, role: 'owner' });
    const { result, roundTrips } = await countRoundTrips(() => call('GET', '/v1/me', { token }));
    expect(roundTrips).toBe(1);
    expect(await json(result)).toMatchObject({ subject: owner.user_id, role: 'owner', kind: 'user', client: { id: client.id } });
    const own = await json(await call('GET', '/v1/client', { token }));
    expect(own).toMatchObject({ id: client.id, slug: client.slug });
  });

  it('PATCH /v1/client merges settings (admin) and is refused to a viewer', async () => {
    const { client, owner } = await createClient(slug('patch'));
    const admin = await tokenFor({ clientId: client.id, userId: owner.user_id, role: 'admin' });
    await call('PATCH', '/v1/client', { token: admin, body: { settings: { timezone: 'Europe/Paris' } } });
    const response = await call('PATCH', '/v1/client', { token: admin, body: { settings: { default_language: 'fr' }, name: 'Renamed' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ name: 'Renamed', settings: { timezone: 'Europe/Paris', default_language: 'fr' } });
    const viewer = await tokenFor({ clientId: client.id, userId: owner.user_id, role: 'viewer' });
    await expectProblem(await call('PATCH', '/v1/client', { token: viewer, body: { name: 'Nope' } }), 403, 'FORBIDDEN');
    await expectProblem(await call('PATCH', '/v1/client', { token: admin, body: {} }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', '/v1/client', { token: admin, body: { name: 'x', is_active: false } }), 422, 'VALIDATION_FAILED');
  });

  it('a deactivated client is refused (403) in the same round trip; a token for an unknown client is 401', async () => {
    const { client, owner } = await createClient(slug('inactive'));
    const token = await tokenFor({ clientId: client.id, userId: owner.user_id, role: 'owner' });
    const off = await call('PATCH', `/v1/clients/${client.id}`, { token: await systemToken(), body: { is_active: false } });
    expect(await json(off)).toMatchObject({ is_active: false });
    const { result, roundTrips } = await countRoundTrips(() => call('GET', '/v1/me', { token }));
    await expectProblem(result, 403, 'CLIENT_INACTIVE');
    expect(roundTrips).toBe(1);
    const ghost = await tokenFor({ clientId: crypto.randomUUID(), userId: owner.user_id, role: 'owner' });
    await expectProblem(await call('GET', '/v1/client', { token: ghost }), 401, 'INVALID_TOKEN');
  });

  it('system lists clients with cursor pagination', async () => {
    const mine = [await createClient(slug('page')), await createClient(slug('page')), await createClient(slug('page'))];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page: { data: { id: string }[]; next_cursor: string | null } = await json(
        await call('GET', `/v1/clients${query}`, { token: await systemToken() }),
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    for (const c of mine) expect(seen).toContain(c.client.id);
    expect(new Set(seen).size).toBe(seen.length);
    await expectProblem(await call('GET', '/v1/clients?cursor=bogus', { token: await systemToken() }), 400, 'INVALID_CURSOR');
  });
});

describe('client settings: limits and features belong to the system path', () => {
  it('a tenant admin or owner writing settings.limits or settings.features is 422 with the field named; nothing changes', async () => {
    const { client, owner } = await createClient(slug('settings'), { settings: { limits: { max_brand_kits: 3 }, features: { engagement: true } } });
    for (const role of ['admin', 'owner'] as const) {
      const token = await tokenFor({ clientId: client.id, userId: owner.user_id, role });
      for (const [key, value] of [
        ['limits', { max_brand_kits: 10_000 }],
        ['features', { browser_lane: true }],
        ['limits', {}],
      ] as const) {
        const body = { name: 'Taken over', settings: { timezone: 'UTC', [key]: value } };
        const problem = await expectProblem(await call('PATCH', '/v1/client', { token, body }), 422, 'VALIDATION_FAILED');
        expect(problem.errors, `${role} ${key}`).toEqual([{ path: `body.settings.${key}`, message: expect.any(String) }]);
      }
    }
    const [rows] = await asSystem(sql`select name, settings from clients where id = ${client.id}`);
    expect(rows).toEqual([{ name: client.name, settings: { limits: { max_brand_kits: 3 }, features: { engagement: true } } }]);
    // Other settings still merge, leaving limits and features as they are.
    const admin = await tokenFor({ clientId: client.id, userId: owner.user_id, role: 'admin' });
    const ok = await call('PATCH', '/v1/client', { token: admin, body: { settings: { timezone: 'UTC' } } });
    expect(await json(ok)).toMatchObject({ settings: { timezone: 'UTC', limits: { max_brand_kits: 3 }, features: { engagement: true } } });
  });

  it('the system sets them, on creation and with PATCH /v1/clients/{id} (merged key by key)', async () => {
    const { client } = await createClient(slug('sys-settings'), { settings: { timezone: 'UTC' } });
    const response = await call('PATCH', `/v1/clients/${client.id}`, {
      token: await systemToken(),
      body: { settings: { limits: { max_brand_kits: 5 }, features: { publishing: false } } },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await json(response)).toMatchObject({ settings: { timezone: 'UTC', limits: { max_brand_kits: 5 }, features: { publishing: false } } });
  });
});
