import { NeonDbError } from '@neondatabase/serverless';
import type { SQL } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { Env } from '../env';
import { ApiError } from '../lib/problem';
import { createDatabase, type Database } from './client';
import { authorizeStatement, systemPrelude, tenantPrelude, type TenantAccess, type TenantRole } from './context';

type Statements = [BatchItem<'pg'>, ...BatchItem<'pg'>[]];

export interface RunOptions {
  /** The batch runs as a READ ONLY transaction (every GET). */
  readOnly?: boolean;
}

/**
 * The one way request code reaches the database: `run` sends ONE Neon transaction batch — the
 * context statements, then the statements `build` makes with the query builder — and returns
 * the results of the caller's statements. One call, one round trip, all or nothing.
 */
export interface Executor {
  run<T extends Statements>(build: (db: Database) => T, options?: RunOptions): Promise<BatchResponse<T>>;
}

/** A tenant executor also tells the role the database let the caller act with in its last batch. */
export interface TenantExecutor extends Executor {
  actingRole(): TenantRole | undefined;
}

const invalidToken = (detail: string, cause: unknown) =>
  new ApiError(401, 'INVALID_TOKEN', detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, cause });

/** The refusals the access check in the batch raises (SQLSTATEs of drizzle/0008_access_by_membership.sql). */
const ACCESS_REFUSALS: Record<string, (cause: unknown) => ApiError> = {
  TN401: (cause) => invalidToken('The token names a client that does not exist.', cause),
  TN410: (cause) => invalidToken('The API key behind this token is revoked or expired, or its client is deactivated.', cause),
  TN403: (cause) => new ApiError(403, 'CLIENT_INACTIVE', 'This client is deactivated.', { cause }),
  TN404: (cause) => new ApiError(403, 'NOT_A_MEMBER', 'The caller is not a member of this client.', { cause }),
  TN413: (cause) => new ApiError(403, 'FORBIDDEN', 'The caller’s current role may not do this.', { cause }),
  TNO03: (cause) => new ApiError(403, 'OWNER_REQUIRED', 'Only an owner can change an owner or grant the owner role.', { cause }),
};

function createExecutor(config: Env, prelude: SQL[], onPrelude?: (results: unknown[]) => void): Executor {
  return {
    async run(build, options = {}) {
      const db = createDatabase(config, { readOnly: options.readOnly ?? false });
      const items = [...prelude.map((statement) => db.execute(statement)), ...build(db)] as unknown as Statements;
      try {
        const results = await db.batch(items);
        onPrelude?.(results.slice(0, prelude.length));
        return results.slice(prelude.length) as never;
      } catch (error) {
        const refusal = error instanceof NeonDbError && error.code ? ACCESS_REFUSALS[error.code] : undefined;
        if (refusal) throw refusal(error);
        throw error;
      }
    },
  };
}

/**
 * Executor for a tenant request: RLS context, role switch, then the access check (active client,
 * current membership or API key, acting role admitted by the route) come first in every batch.
 */
export function createTenantExecutor(config: Env, access: TenantAccess): TenantExecutor {
  let acting: TenantRole | undefined;
  const prelude = [...tenantPrelude(access, config.DB_TIMEOUT_MS), authorizeStatement(access)];
  const executor = createExecutor(config, prelude, (results) => {
    const check = results.at(-1) as { rows: { acting_role: TenantRole }[] };
    acting = check.rows[0]?.acting_role;
  });
  return { ...executor, actingRole: () => acting };
}

/** The explicit cross-tenant path (system routes, API-key exchange, jobs). Never given to tenant routes. */
export function createSystemExecutor(config: Env, actorId: string | null = null): Executor {
  return createExecutor(config, systemPrelude(actorId, config.DB_TIMEOUT_MS));
}
