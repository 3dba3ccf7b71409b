import { sql, type SQL } from 'drizzle-orm';
import { asSystem } from './db';
import { TENANT_TABLES, type FixtureIds } from './tenant-fixture';

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

/** Tables whose rows carry a client_id (the tenant tables but `clients`, and the audit trail). */
const CLIENT_TABLES = [...TENANT_TABLES.filter((t) => t !== 'clients'), 'audit_logs'];
/** Tables without a client: the clients themselves, people, the skill catalog. */
const GLOBAL_TABLES = ['clients', 'users', 'skills'];

const digest = (rows: SQL) => sql`(select count(*) || ':' || md5(coalesce(string_agg(to_jsonb(t)::text, ',' order by t.id), '')) from ${rows})`;

/**
 * A digest of everything the given clients own, table by table (`0.posts`, `1.audit_logs`, …), and
 * of the global tables, in one read on the system path: two equal digests mean nothing was
 * written, changed or deleted there in between (the audit trail included).
 */
export async function dataDigest(...clientIds: string[]): Promise<Record<string, string>> {
  const columns = [
    ...clientIds.flatMap((clientId, i) =>
      CLIENT_TABLES.map((table) => sql`${digest(sql`${sql.identifier(table)} t where t.client_id = ${clientId}`)} as ${sql.identifier(`${i}.${table}`)}`),
    ),
    ...GLOBAL_TABLES.map((table) => sql`${digest(sql`${sql.identifier(table)} t`)} as ${sql.identifier(table)}`),
  ];
  const [rows] = await asSystem(sql`select ${sql.join(columns, sql`, `)}`);
  return rows![0] as Record<string, string>;
}
