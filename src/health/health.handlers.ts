import { NeonDbError } from '@neondatabase/serverless';
import journal from '../../drizzle/meta/_journal.json';
import { createSql } from '../db/client';
import { ApiError } from '../lib/problem';
import type { AppRouteHandler } from '../lib/create-router';
import { readDatabaseHealth } from './health.queries';
import type { health } from './health.routes';

interface JournalEntry {
  when: number;
  tag: string;
}

const known: JournalEntry[] = [...(journal.entries as JournalEntry[])].sort((a, b) => a.when - b.when);
const UNDEFINED_TABLE = '42P01';

export const getHealth: AppRouteHandler<typeof health> = async (c) => {
  const sql = createSql(c.var.config, { readOnly: true });
  let db;
  try {
    db = await readDatabaseHealth(sql);
  } catch (error) {
    if (error instanceof NeonDbError && error.code === UNDEFINED_TABLE) {
      throw new ApiError(503, 'DATABASE_NOT_MIGRATED', 'The database has no migrations applied; run `npm run db:migrate`.', {
        headers: { 'retry-after': '30' },
        cause: error,
      });
    }
    throw error;
  }
  const applied = db.lastMigrationMillis;
  const appliedEntry = applied === null ? undefined : known.find((entry) => entry.when === applied);
  const pending = known.filter((entry) => applied === null || entry.when > applied).length;
  return c.json(
    {
      status: pending === 0 ? ('ok' as const) : ('degraded' as const),
      database: { status: 'ok' as const, latency_ms: db.latencyMs, server_time: db.serverTime.toISOString() },
      migrations: {
        applied: appliedEntry?.tag ?? (applied === null ? null : `unknown (${applied})`),
        expected: known.at(-1)?.tag ?? null,
        pending,
      },
    },
    200,
  );
};
