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

/**
 * The statements that open every tenant transaction: the tenant, user and role as
 * transaction-local settings that the row-level security policies read, then the switch to the
 * non-owner tenant role. Both are `LOCAL`: they end with the batch's transaction.
 */
export function tenantPrelude(context: TenantContext): SQL[] {
  return [
    sql`select set_config('app.client_id', ${context.clientId}, true),
               set_config('app.user_id', ${context.userId ?? ''}, true),
               set_config('app.role', ${context.role}, true)`,
    sql.raw(`set local role ${TENANT_DB_ROLE}`),
  ];
}

/** The explicit cross-tenant path: no tenant setting, the system role's policies apply. */
export function systemPrelude(actorUserId: string | null = null): SQL[] {
  return [
    sql`select set_config('app.client_id', '', true),
               set_config('app.user_id', ${actorUserId ?? ''}, true),
               set_config('app.role', 'system', true)`,
    sql.raw(`set local role ${SYSTEM_DB_ROLE}`),
  ];
}
