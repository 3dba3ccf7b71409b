import { sql, type SQL } from 'drizzle-orm';

/** Postgres roles requests switch to (created by the tenancy migration). */
export const TENANT_DB_ROLE = 'app_tenant';
export const SYSTEM_DB_ROLE = 'app_system';

export type TenantRole = 'owner' | 'admin' | 'editor' | 'viewer' | 'service';

export interface TenantContext {
  clientId: string;
  userId: string | null;
  role: TenantRole;
}

/** Who a tenant request says it is, and what the route admits: checked by the database (`authorizeStatement`). */
export interface TenantAccess extends TenantContext {
  kind: 'user' | 'api_key';
  /** The route's roles; the acting role must be one of them. */
  allowed: readonly TenantRole[];
}

/** Session settings every batch starts with: the deadline, so a query the Worker abandons also ends in Postgres. */
function settings(statementTimeoutMs: number | undefined): SQL {
  return statementTimeoutMs === undefined ? sql`` : sql`, set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`;
}

/**
 * The statements that open every tenant transaction: the tenant, user and role as
 * transaction-local settings that the row-level security policies read, then the switch to the
 * non-owner tenant role. Both are `LOCAL`: they end with the batch's transaction.
 */
export function tenantPrelude(context: TenantContext, statementTimeoutMs?: number): SQL[] {
  return [
    sql`select set_config('app.client_id', ${context.clientId}, true),
               set_config('app.user_id', ${context.userId ?? ''}, true),
               set_config('app.role', ${context.role}, true)${settings(statementTimeoutMs)}`,
    sql.raw(`set local role ${TENANT_DB_ROLE}`),
  ];
}

/**
 * Decides access in the request's own batch (DESIGN §3.6): the client exists and is active, the
 * caller's current membership or API key row, the acting role (the token's role, narrowed to the
 * current one) and whether the route admits it. Fails the batch with a TN-class SQLSTATE otherwise;
 * on success `app.role` holds the acting role.
 */
export function authorizeStatement(access: TenantAccess): SQL {
  return sql`select app_private.authorize_request(${access.kind}, ${access.userId}::uuid, ${access.role},
                    ${`{${access.allowed.join(',')}}`}::text[]) as acting_role`;
}

/** The explicit cross-tenant path: no tenant setting, the system role's policies apply. */
export function systemPrelude(actorUserId: string | null = null, statementTimeoutMs?: number): SQL[] {
  return [
    sql`select set_config('app.client_id', '', true),
               set_config('app.user_id', ${actorUserId ?? ''}, true),
               set_config('app.role', 'system', true)${settings(statementTimeoutMs)}`,
    sql.raw(`set local role ${SYSTEM_DB_ROLE}`),
  ];
}
