import type { NeonQueryFunction } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../scripts/db/migrate';
import { seedDatabase } from '../../scripts/db/seed';
import type { AnalyzeEvent, NeonLocalServer } from '../../scripts/neon-local/server.js';
import { driverFor, startWithDriver } from './helpers.js';

// Neon's autovacuum analyzes a table once more of it has changed than autovacuum_analyze_threshold
// + autovacuum_analyze_scale_factor × reltuples (50 + 10%); PGlite has no autovacuum, so the local
// server does it after the request that crossed the line, before it takes the next one.

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;
const analyzed: AnalyzeEvent[] = [];

beforeAll(async () => {
  ({ server, sql } = await startWithDriver({ onAnalyze: (event) => analyzed.push(event) }));
});
afterAll(async () => {
  await server?.close();
});

async function statsOf(table: string) {
  driverFor(server);
  const [row] = (await sql`
    select c.reltuples, s.n_mod_since_analyze::int as modified, s.last_analyze
    from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.oid = ${table}::regclass`) as {
    reltuples: number;
    modified: number;
    last_analyze: Date | null;
  }[];
  return row!;
}

describe('autoanalyze', () => {
  it('makes reltuples current after a request that inserts many rows (it was -1: never analyzed)', async () => {
    driverFor(server);
    await sql`create table aa_large (id int primary key, v text)`;
    expect((await statsOf('aa_large')).reltuples).toBe(-1);

    await sql`insert into aa_large select g, 'x' from generate_series(1, 5000) g`;
    expect(await statsOf('aa_large')).toMatchObject({ reltuples: 5000, modified: 0, last_analyze: expect.any(Date) });
    expect(analyzed.filter((e) => e.table === 'public.aa_large')).toEqual([
      { table: 'public.aa_large', modified: 5000, reltuples: -1, ms: expect.any(Number) },
    ]);
  });

  it('leaves a table alone while its changes stay under 50 + 10% of its rows, and analyzes it once they pass', async () => {
    const before = await statsOf('aa_large');
    const count = () => analyzed.filter((e) => e.table === 'public.aa_large').length;
    const runs = count();

    // 5,000 rows: the line is 50 + 500 = 550 changed rows.
    await sql`update aa_large set v = 'y' where id <= 300`;
    await sql`delete from aa_large where id > 4750`;
    expect(await statsOf('aa_large')).toEqual({ reltuples: 5000, modified: 550, last_analyze: before.last_analyze });
    expect(count()).toBe(runs);

    await sql`update aa_large set v = 'z' where id = 1`;
    expect(await statsOf('aa_large')).toMatchObject({ reltuples: 4750, modified: 0 });
    expect(count()).toBe(runs + 1);
  });

  it('counts the rows a transaction batch changes in data-modifying CTEs (a SELECT by its command tag)', async () => {
    await sql`create table aa_cte (id int primary key)`;
    const [, counted] = await sql.transaction([
      sql`select set_config('app.client_id', 'x', true)`,
      sql`with inserted as (insert into aa_cte select generate_series(1, 800) returning id) select count(*)::int as n from inserted`,
    ]);
    expect(counted).toEqual([{ n: 800 }]);
    expect((await statsOf('aa_cte')).reltuples).toBe(800);
  });

  it('does not count the changes of a rolled-back batch, and is never started by a read-only one', async () => {
    await sql`create table aa_rolled_back (id int primary key)`;
    await expect(
      sql.transaction([sql`insert into aa_rolled_back select generate_series(1, 1000)`, sql`select 1 / 0`]),
    ).rejects.toThrow(/division by zero/);
    await sql.transaction([sql`select count(*) from aa_large`], { readOnly: true });
    // Postgres counts no changed rows for an aborted transaction, so the server need not look.
    expect(await statsOf('aa_rolled_back')).toEqual({ reltuples: -1, modified: 0, last_analyze: null });
    expect(analyzed.filter((e) => e.table === 'public.aa_rolled_back')).toEqual([]);
  });

  it('can be turned off (autoanalyze: false): statistics then stay as they are', async () => {
    const quiet = await startWithDriver({ autoanalyze: false });
    try {
      await quiet.sql`create table aa_off (id int primary key)`;
      await quiet.sql`insert into aa_off select generate_series(1, 2000)`;
      const [row] = (await quiet.sql`select reltuples from pg_class where oid = 'aa_off'::regclass`) as { reltuples: number }[];
      expect(row!.reltuples).toBe(-1);
    } finally {
      await quiet.server.close();
      driverFor(server);
    }
  });
});

describe('migrations and the development seed analyze what they create and load', () => {
  it('every table of the schema has statistics after db:migrate, and the seeded rows are counted after db:seed', async () => {
    // Without autoanalyze, so only the scripts' own ANALYZE can have gathered them.
    const quiet = await startWithDriver({ autoanalyze: false });
    try {
      await applyMigrations(quiet.sql);
      const neverAnalyzed = (await quiet.sql`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'drizzle') and c.relkind = 'r' and c.reltuples < 0`) as { relname: string }[];
      expect(neverAnalyzed).toEqual([]);

      await seedDatabase(quiet.sql);
      const [counts] = (await quiet.sql`
        select (select reltuples from pg_class where oid = 'public.authors'::regclass) as estimated,
               (select count(*)::int from authors) as actual`) as { estimated: number; actual: number }[];
      expect(counts!.actual).toBeGreaterThan(0);
      expect(counts!.estimated).toBe(counts!.actual);
    } finally {
      await quiet.server.close();
      driverFor(server);
    }
  });
});
