import { sql } from 'drizzle-orm';
import { generateApiKey } from '../../../../src/auth/api-keys';
import { asSystem } from '../../../helpers/db';
import { newApiKey, newMember } from '../../../helpers/fixtures';
import type { FixtureIds } from '../../../helpers/tenant-fixture';
import type { RouteSpec } from './types';

const BRAND_KIT = {
  name: 'Spring campaign',
  tone: { voice: 'friendly', personality: ['warm'], do_list: ['be brief'], dont_list: ['hype'] },
  colors: { primary: '#336699' },
};

async function newBrandKit(a: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(
    sql`insert into brand_kits (id, client_id, name, tone, colors)
        values (${id}, ${a.clients}, 'Extra kit', ${JSON.stringify(BRAND_KIT.tone)}::jsonb, ${JSON.stringify(BRAND_KIT.colors)}::jsonb)`,
  );
  return id;
}

/** Health, auth, clients, members, API keys, brand kits. */
export const CORE_ROUTES: Record<string, RouteSpec> = {
  'GET /health': { public: true, valid: async () => ({ path: '/health' }) },
  'POST /v1/auth/token': {
    public: true,
    valid: async (a) => {
      const { key, prefix, hash } = await generateApiKey();
      await asSystem(
        sql`insert into api_keys (client_id, name, prefix, key_hash, role) values (${a.clients}, 'exchange', ${prefix}, ${hash}, 'service')`,
      );
      return { path: '/v1/auth/token', body: { api_key: key } };
    },
  },
  'GET /v1/me': { valid: async () => ({ path: '/v1/me' }) },
  'GET /v1/client': { valid: async () => ({ path: '/v1/client' }) },
  'PATCH /v1/client': { valid: async () => ({ path: '/v1/client', body: { description: 'Updated by the suite' } }) },
  'POST /v1/clients': {
    valid: async () => {
      const slug = `suite-${crypto.randomUUID().slice(0, 8)}`;
      return { path: '/v1/clients', body: { name: 'Suite client', slug, owner: { email: `${slug}@example.test` } } };
    },
  },
  'GET /v1/clients': { valid: async () => ({ path: '/v1/clients?limit=5' }) },
  'PATCH /v1/clients/{id}': { valid: async (a) => ({ path: `/v1/clients/${a.clients}`, body: { name: 'Renamed by the suite' } }) },
  'GET /v1/members': { valid: async () => ({ path: '/v1/members' }) },
  'POST /v1/members': { valid: async () => ({ path: '/v1/members', body: { email: `new-${crypto.randomUUID()}@example.test`, role: 'viewer' } }) },
  'PATCH /v1/members/{id}': {
    valid: async (a) => ({ path: `/v1/members/${(await newMember(a, 'viewer')).membershipId}`, body: { role: 'editor' } }),
  },
  'DELETE /v1/members/{id}': { valid: async (a) => ({ path: `/v1/members/${(await newMember(a, 'viewer')).membershipId}` }) },
  'GET /v1/api-keys': { valid: async () => ({ path: '/v1/api-keys' }) },
  'POST /v1/api-keys': { valid: async () => ({ path: '/v1/api-keys', body: { name: 'Suite key', role: 'service' } }) },
  'DELETE /v1/api-keys/{id}': { valid: async (a) => ({ path: `/v1/api-keys/${await newApiKey(a, 'service')}` }) },
  'GET /v1/brand-kits': { valid: async () => ({ path: '/v1/brand-kits' }) },
  'POST /v1/brand-kits': { valid: async () => ({ path: '/v1/brand-kits', body: BRAND_KIT }) },
  'GET /v1/brand-kits/default': { valid: async () => ({ path: '/v1/brand-kits/default' }) },
  'GET /v1/brand-kits/{id}': { valid: async (a) => ({ path: `/v1/brand-kits/${a.brand_kits}` }) },
  'PATCH /v1/brand-kits/{id}': { valid: async (a) => ({ path: `/v1/brand-kits/${a.brand_kits}`, body: { description: 'Suite edit' } }) },
  'DELETE /v1/brand-kits/{id}': { valid: async (a) => ({ path: `/v1/brand-kits/${await newBrandKit(a)}` }) },
  'POST /v1/brand-kits/{id}/default': { valid: async (a) => ({ path: `/v1/brand-kits/${a.brand_kits}/default` }) },
};
