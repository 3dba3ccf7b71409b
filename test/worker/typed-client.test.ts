import { exports } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from '../helpers/tenant-fixture';
import { tokenFor } from '../helpers/tokens';

let a: FixtureIds;
beforeAll(async () => {
  a = await createTenantFixture('typed-client');
});
afterAll(async () => {
  await deleteTenantFixture(a);
});

describe('the typed client (hc<AppType>)', () => {
  it('calls routes with typed paths, parameters and responses', async () => {
    const token = await tokenFor({ clientId: a.clients, userId: a.users, role: 'editor' });
    const client = createApiClient('http://api.test', {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
      headers: { authorization: `Bearer ${token}` },
    });
    const me = await client.v1.me.$get();
    expect(me.status).toBe(200);
    if (me.status === 200) {
      const body = await me.json();
      expect(body.client.id).toBe(a.clients);
      expect(body.role).toBe('editor');
    }
    const kit = await client.v1['brand-kits'][':id'].$get({ param: { id: a.brand_kits } });
    expect(kit.status).toBe(200);
    if (kit.status === 200) expect((await kit.json()).is_default).toBe(true);
  });
});
