import { env } from 'cloudflare:workers';
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { createDatabase, type Database } from '../../src/db/client';
import { systemPrelude, tenantPrelude, type TenantContext } from '../../src/db/context';
import { loadEnv } from '../../src/env';

/** A database client through the Worker's own code path (Neon HTTP driver → local server). */
export function testDb(): Database {
  return createDatabase(loadEnv(env as Record<string, unknown>));
}

type Item = BatchItem<'pg'>;

/** One transaction as the table owner (no role switch): schema inspection only. */
export async function asOwner<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
  const result = await testDb().execute(query);
  return result.rows as T[];
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: unknown[] }).rows ?? []) as Record<string, unknown>[];
}

/** One transaction: the prelude's statements, then `statements`; returns the rows of each of `statements`. */
async function runBatch(prelude: SQL[], statements: SQL[]): Promise<Record<string, unknown>[][]> {
  const db = testDb();
  const items = [...prelude, ...statements].map((s) => db.execute(s)) as unknown as [Item, ...Item[]];
  const results = await db.batch(items);
  return results.slice(prelude.length).map(rowsOf);
}

/** Runs statements in one transaction under a tenant's context. */
export const asTenant = (context: TenantContext, ...statements: SQL[]) => runBatch(tenantPrelude(context), statements);

/** Runs statements in one transaction on the system path. */
export const asSystem = (...statements: SQL[]) => runBatch(systemPrelude(), statements);

/** Runs statements as app_tenant with no tenant set at all. */
export const asTenantWithoutContext = (...statements: SQL[]) => runBatch([sql.raw('set local role app_tenant')], statements);

/** The SQLSTATE a database call failed with (the driver copies Postgres' error fields). */
export async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? `no code: ${String(error)}`;
  }
}
