import type { Sql } from '../db/client';

export interface DatabaseHealth {
  serverTime: Date;
  latencyMs: number;
  /** `folderMillis` of the newest applied migration, as drizzle records it; null when none. */
  lastMigrationMillis: number | null;
}

/** One round trip: the server clock and the newest row of drizzle's migration journal table. */
export async function readDatabaseHealth(sql: Sql): Promise<DatabaseHealth> {
  const started = Date.now();
  const rows = (await sql.query(
    `select to_json(now()) #>> '{}' as server_time,
            (select max(created_at) from drizzle.__drizzle_migrations) as last_migration`,
  )) as { server_time: string; last_migration: string | null }[];
  const latencyMs = Date.now() - started;
  const row = rows[0];
  return {
    serverTime: row ? new Date(row.server_time) : new Date(),
    latencyMs,
    lastMigrationMillis: row?.last_migration == null ? null : Number(row.last_migration),
  };
}
