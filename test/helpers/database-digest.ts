import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { systemPrelude } from '../../src/db/context';
import { testDb } from './db';

interface StoredTable {
  name: string;
  /** Row-level security applies to the owner too: read it on the system path, whose policy sees every row. */
  forced: boolean;
}

/** Every stored table of the database, all schemas but Postgres' own (a table a later migration adds included). */
async function storedTables(): Promise<StoredTable[]> {
  const result = await testDb().execute(sql`
    select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name, c.relforcerowsecurity as forced
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition
      and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
    order by 1`);
  return result.rows as unknown as StoredTable[];
}

let tables: Promise<StoredTable[]> | undefined;

/**
 * One row-version digest a table: its row count and an md5 of its rows' `ctid` and `xmin`. A
 * committed insert, update or delete changes them, a rolled-back one does not; no row is
 * serialized, so it stays cheap as the tables grow.
 */
const digestOf = (list: StoredTable[]): SQL =>
  list.length === 0
    ? sql`select null as "table", null as digest where false`
    : sql.join(
        list.map(
          (t) =>
            sql`select ${t.name} as "table", count(*) || ':' || md5(coalesce(string_agg(ctid::text || xmin::text, ',' order by ctid), '')) as digest from ${sql.raw(t.name)}`,
        ),
        sql` union all `,
      );

type Item = BatchItem<'pg'>;

/**
 * A digest of the whole database, table by table (`public.posts: '12:…'`), in one round trip and
 * one transaction: two equal digests mean no row anywhere was inserted, changed or deleted in
 * between (the audit trail, global tables and bookkeeping included). The table list is read once
 * (migrations run before the suite) and again if a table in it is gone; a table created since is
 * not in it.
 */
export async function databaseDigest(): Promise<Record<string, string>> {
  tables ??= storedTables();
  try {
    return await digestAll(await tables);
  } catch (error) {
    // A table dropped since the list was read (files share this module when isolates are reused): read it again.
    if ((error as { code?: string }).code !== '42P01') throw error;
    tables = storedTables();
    return digestAll(await tables);
  }
}

async function digestAll(list: StoredTable[]): Promise<Record<string, string>> {
  const db = testDb();
  const statements = [digestOf(list.filter((t) => !t.forced)), ...systemPrelude(), digestOf(list.filter((t) => t.forced))];
  const results = (await db.batch(statements.map((s) => db.execute(s)) as unknown as [Item, ...Item[]])) as unknown as {
    rows: { table: string; digest: string }[];
  }[];
  const rows = [...results[0]!.rows, ...results.at(-1)!.rows];
  return Object.fromEntries(rows.map((r) => [r.table, r.digest]));
}

/** The tables of two digests whose rows differ (for a readable failure). */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((t) => before[t] !== after[t]).sort();
}

/**
 * Where the database's transaction ids stand (the first one not yet completed): any write, committed
 * or rolled back, takes a transaction id and moves it; reads never do. Equal horizons prove that
 * nothing was written in between without reading a row.
 */
export async function transactionHorizon(): Promise<string> {
  const result = await testDb().execute(sql`select pg_snapshot_xmax(pg_current_snapshot())::text as xid`);
  return (result.rows[0] as { xid: string }).xid;
}

export interface DatabaseState {
  horizon: string;
  digest: Record<string, string>;
}

/**
 * `databaseDigest` that skips the digest when no transaction id was taken since the last one
 * (then nothing can have changed): for suites that snapshot around many requests that write nothing.
 */
export function databaseStates(): () => Promise<DatabaseState> {
  let last: DatabaseState | undefined;
  return async () => {
    const horizon = await transactionHorizon();
    if (last?.horizon !== horizon) last = { horizon, digest: await databaseDigest() };
    return last;
  };
}
