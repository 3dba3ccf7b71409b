import { NeonDbError } from '@neondatabase/serverless';
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { Env } from '../env';
import { ApiError } from '../lib/problem';
import { createDatabase, type Database } from './client';
import { systemPrelude, tenantPrelude, type TenantContext } from './context';

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

const CLIENT_UNKNOWN = 'TN401';
const CLIENT_INACTIVE = 'TN403';

function createExecutor(config: Env, prelude: SQL[]): Executor {
  return {
    async run(build, options = {}) {
      const db = createDatabase(config, { readOnly: options.readOnly ?? false });
      const items = [...prelude.map((statement) => db.execute(statement)), ...build(db)] as unknown as Statements;
      try {
        const results = await db.batch(items);
        return results.slice(prelude.length) as never;
      } catch (error) {
        if (error instanceof NeonDbError && error.code === CLIENT_UNKNOWN) {
          throw new ApiError(401, 'INVALID_TOKEN', 'The token names a client that does not exist.', { cause: error });
        }
        if (error instanceof NeonDbError && error.code === CLIENT_INACTIVE) {
          throw new ApiError(403, 'CLIENT_INACTIVE', 'This client is deactivated.', { cause: error });
        }
        throw error;
      }
    },
  };
}

/** Executor for a tenant request: RLS context, role switch and the active-client check come first. */
export function createTenantExecutor(config: Env, context: TenantContext): Executor {
  return createExecutor(config, [...tenantPrelude(context), sql`select app_private.require_active_client()`]);
}

/** The explicit cross-tenant path (system routes, API-key exchange, jobs). Never given to tenant routes. */
export function createSystemExecutor(config: Env, actorId: string | null = null): Executor {
  return createExecutor(config, systemPrelude(actorId));
}
