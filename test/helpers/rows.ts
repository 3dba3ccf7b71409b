import { sql, type SQL } from 'drizzle-orm';
import { asSystem } from './db';
import type { FixtureIds } from './tenant-fixture';

/** One row of `table` as JSON (`to_jsonb`), read on the system path; `undefined` when there is none. */
export async function rowOf(table: string, id: string): Promise<Record<string, unknown> | undefined> {
  const [rows] = await asSystem(sql`select to_jsonb(t) as row from ${sql.identifier(table)} t where id = ${id}`);
  return rows![0]?.row as Record<string, unknown> | undefined;
}

/** How many rows of `table` belong to the fixture's client (and match `where`), read on the system path. */
export async function countOf(table: string, ids: FixtureIds, where: SQL = sql`true`): Promise<number> {
  const [rows] = await asSystem(sql`select count(*)::int as n from ${sql.identifier(table)} where client_id = ${ids.clients} and ${where}`);
  return rows![0]!.n as number;
}
