import type { Role } from '../src/auth/principal';
import { signAccessToken } from '../src/auth/tokens';
import { loadEnv } from '../src/env';
import { connect } from './db/connection';

/**
 * A development token for a seeded client, signed with JWT_SECRET from .dev.vars. For a tenant
 * role it names the seeded member with that role (or the owner), so audit rows show a real user.
 * `system` gives a cross-tenant token with no client.
 */
export async function mintDevToken(devVars: Record<string, string>, clientSlug: string, role: Role, hours = 12): Promise<string> {
  if (!devVars.JWT_SECRET || !devVars.NEON_FETCH_ENDPOINT) {
    throw new Error('no local .dev.vars with JWT_SECRET and NEON_FETCH_ENDPOINT: run `npm run dev` first');
  }
  const config = loadEnv({ ...devVars, ENVIRONMENT: 'development' });
  const ttl = Math.round(hours * 3600);
  if (!(ttl > 0 && ttl <= config.TOKEN_MAX_LIFETIME_SECONDS)) {
    throw new Error(`--hours must be more than 0 and at most ${config.TOKEN_MAX_LIFETIME_SECONDS / 3600} (TOKEN_MAX_LIFETIME_SECONDS)`);
  }
  if (role === 'system') {
    return (await signAccessToken(config, { kind: 'system', subject: crypto.randomUUID(), clientId: null, role }, ttl)).token;
  }
  const sql = connect({ databaseUrl: config.DATABASE_URL, fetchEndpoint: config.NEON_FETCH_ENDPOINT });
  const [, rows] = (await sql.transaction([
    sql`set local role app_system`,
    sql`select c.id as client_id, m.user_id
        from clients c join memberships m on m.client_id = c.id
        where c.slug = ${clientSlug}
        order by (m.role::text = ${role}) desc, (m.role = 'owner') desc, m.created_at
        limit 1`,
  ])) as [unknown, { client_id: string; user_id: string }[]];
  const row = rows[0];
  if (!row) throw new Error(`no client with slug "${clientSlug}" (seeded: vita-wellness, northwind-coffee)`);
  return (await signAccessToken(config, { kind: 'user', subject: row.user_id, clientId: row.client_id, role }, ttl)).token;
}
