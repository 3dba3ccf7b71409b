import { sql } from 'drizzle-orm';
import { asOwner } from '../../helpers/db';

// The schema conventions as functions over a catalog read from any schema: catalog.test.ts runs
// them against `public`, catalog-planted.test.ts against a throwaway schema with one planted
// violation a table, to prove that each check reports what it is meant to (not a test file itself).

/** Tables that legitimately have no `client_id`. */
export const GLOBAL_TABLES = ['chat_deliveries', 'clients', 'skills', 'user_channels', 'users'];
/** Tenant tables (with `client_id`) that are not written through secure_tenant_table's triggers. */
export const NOT_TRIGGERED = ['audit_logs'];
/** Triggers every other tenant table has, as name:function:tgtype (tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update). */
export const EXPECTED_TRIGGERS = [
  'audit_delete:app_private.audit_capture:8',
  'audit_insert:app_private.audit_capture:4',
  'audit_update:app_private.audit_capture:16',
  'set_updated_at:app_private.set_updated_at:23', // before insert or update, per row
];

export interface PolicyRow {
  name: string;
  /** r select, a insert, w update, d delete, * all. */
  cmd: string;
  permissive: boolean;
  using: string | null;
  check: string | null;
}

export interface TableRow {
  table: string;
  has_client_id: boolean;
  rls: boolean;
  forced: boolean;
  client_index: boolean;
  /** Policies that apply to app_tenant (by name or through PUBLIC). */
  tenant_policies: PolicyRow[];
  triggers: string[];
}

export interface ForeignKeyRow {
  constraint: string;
  table: string;
  parent: string;
  columns: string[];
  parent_columns: string[];
  indexed: boolean;
  child_has_client_id: boolean;
  parent_has_client_id: boolean;
  keyed_by_client: boolean;
}

export interface DefinerRow {
  fn: string;
  pinned: boolean;
  public_execute: boolean;
}

export interface Catalog {
  tables: TableRow[];
  foreignKeys: ForeignKeyRow[];
  definers: DefinerRow[];
}

/** Reads the tables, foreign keys and SECURITY DEFINER functions of `schema` (as the owner). */
export async function readCatalog(schema: string, functionSchemas: string[] = [schema]): Promise<Catalog> {
  const tables = await asOwner<TableRow>(sql`
    select c.relname::text as table,
           ca.attnum is not null as has_client_id,
           c.relrowsecurity as rls,
           c.relforcerowsecurity as forced,
           exists (select 1 from pg_index i where i.indrelid = c.oid and ca.attnum is not null and i.indkey[0] = ca.attnum) as client_index,
           coalesce((select json_agg(json_build_object(
                        'name', p.polname, 'cmd', p.polcmd, 'permissive', p.polpermissive,
                        'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid))
                      order by p.polname)
                     from pg_policy p
                     where p.polrelid = c.oid
                       and (p.polroles @> array[(select oid from pg_roles where rolname = 'app_tenant')] or p.polroles @> array[0::oid])),
                    '[]'::json) as tenant_policies,
           array(select t.tgname || ':' || t.tgfoid::regproc::text || ':' || t.tgtype
                 from pg_trigger t
                 where t.tgrelid = c.oid and not t.tgisinternal and t.tgenabled <> 'D'
                 order by t.tgname)::text[] as triggers
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute ca on ca.attrelid = c.oid and ca.attname = 'client_id' and not ca.attisdropped
    where n.nspname = ${schema} and c.relkind in ('r', 'p')
    order by c.relname`);

  const foreignKeys = await asOwner<ForeignKeyRow>(sql`
    with fk as (
      select c.oid, c.conname, c.conrelid, c.confrelid, c.conkey, c.confkey
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = ${schema}
    )
    select fk.conname::text as constraint,
           child.relname::text as table,
           parent.relname::text as parent,
           array(select a.attname::text from unnest(fk.conkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = fk.conrelid and a.attnum = k.attnum order by k.ord)::text[] as columns,
           array(select a.attname::text from unnest(fk.confkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = fk.confrelid and a.attnum = k.attnum order by k.ord)::text[] as parent_columns,
           -- Some valid, non-partial index starts with exactly the FK's columns (in any order).
           exists (select 1 from pg_index i
                   where i.indrelid = fk.conrelid and i.indisvalid and i.indpred is null
                     and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(fk.conkey)] @> fk.conkey
                     and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(fk.conkey)] <@ fk.conkey) as indexed,
           exists (select 1 from pg_attribute a where a.attrelid = fk.conrelid and a.attname = 'client_id' and not a.attisdropped)
             as child_has_client_id,
           exists (select 1 from pg_attribute a where a.attrelid = fk.confrelid and a.attname = 'client_id' and not a.attisdropped)
             as parent_has_client_id,
           -- client_id of the child is paired with client_id of the parent.
           exists (select 1 from unnest(fk.conkey, fk.confkey) as k(child_col, parent_col)
                   join pg_attribute ca on ca.attrelid = fk.conrelid and ca.attnum = k.child_col
                   join pg_attribute pa on pa.attrelid = fk.confrelid and pa.attnum = k.parent_col
                   where ca.attname = 'client_id' and pa.attname = 'client_id') as keyed_by_client
    from fk
    join pg_class child on child.oid = fk.conrelid
    join pg_class parent on parent.oid = fk.confrelid
    order by fk.conname`);

  const definers = await asOwner<DefinerRow>(sql`
    select p.oid::regprocedure::text as fn,
           coalesce(exists (select 1 from unnest(p.proconfig) as c where c like 'search_path=%'), false) as pinned,
           p.proacl is null or exists (select 1 from aclexplode(p.proacl) as x where x.grantee = 0 and x.privilege_type = 'EXECUTE')
             as public_execute
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prosecdef and n.nspname = any(${sql.param(functionSchemas)}::text[])
    order by 1`);

  return { tables, foreignKeys, definers };
}

// ---------------------------------------------------------------------------------------------
// The checks: each returns its violations, one readable line each (empty: none).

/** The tables with `client_id` (the tenant tables but the root, `clients`). */
export const tenantTables = (c: Catalog) => c.tables.filter((t) => t.has_client_id);

/** Tables without client_id outside the allow-list of global tables. */
export const unlistedGlobalTables = (c: Catalog) =>
  c.tables.filter((t) => !t.has_client_id && !GLOBAL_TABLES.includes(t.table)).map((t) => `${t.table}: no client_id, not an allow-listed global table`);

/** Tenant tables with no index led by client_id. */
export const withoutClientIndex = (c: Catalog) => tenantTables(c).filter((t) => !t.client_index).map((t) => `${t.table}: no index led by client_id`);

/** Tenant tables (and clients) where row-level security is not enabled and forced. */
export const withoutForcedRls = (c: Catalog) =>
  c.tables
    .filter((t) => t.has_client_id || t.table === 'clients')
    .filter((t) => !t.rls || !t.forced)
    .map((t) => `${t.table}: relrowsecurity=${t.rls} relforcerowsecurity=${t.forced}`);

/** The one expression a tenant policy may have: the row's key equals the request's tenant. */
const tenantExpression = (key: string) => `(${key} = (NULLIF(current_setting('app.client_id'::text, true), ''::text))::uuid)`;

/**
 * Tenant tables (and clients) whose app_tenant policies do not all confine rows to `app.client_id`:
 * none at all, or a permissive one (permissive policies add up) whose USING or WITH CHECK is
 * anything but `<key> = nullif(current_setting('app.client_id', true), '')::uuid`.
 */
export const withoutTenantPolicy = (c: Catalog) =>
  c.tables
    .filter((t) => t.has_client_id || t.table === 'clients')
    .flatMap((t) => {
      const expected = tenantExpression(t.table === 'clients' ? 'id' : 'client_id');
      const permissive = t.tenant_policies.filter((p) => p.permissive);
      if (permissive.length === 0) return [`${t.table}: no policy for app_tenant`];
      return permissive.flatMap((p) => {
        const writes = p.cmd !== 'r' && p.cmd !== 'd';
        const reads = p.cmd !== 'a';
        const wrong = [
          ...(reads && p.using !== expected ? [`USING ${p.using ?? '(none)'}`] : []),
          ...(writes && (p.check ?? p.using) !== expected ? [`WITH CHECK ${p.check ?? '(none)'}`] : []),
        ];
        return wrong.length ? [`${t.table}: policy ${p.name} does not confine rows to app.client_id (${wrong.join('; ')})`] : [];
      });
    });

/** Tenant tables (but those not triggered) missing the updated_at or audit triggers. */
export const withoutTriggers = (c: Catalog) =>
  tenantTables(c)
    .filter((t) => !NOT_TRIGGERED.includes(t.table))
    .flatMap((t) => {
      const missing = EXPECTED_TRIGGERS.filter((trigger) => !t.triggers.includes(trigger));
      return missing.length === 0 ? [] : [`${t.table}: missing ${missing.join(', ')} (has ${t.triggers.join(', ') || 'none'})`];
    });

/** Foreign keys no index starts with. */
export const unindexedForeignKeys = (c: Catalog) =>
  c.foreignKeys.filter((fk) => !fk.indexed).map((fk) => `${fk.constraint} on ${fk.table}(${fk.columns.join(', ')})`);

/** Foreign keys between two tenant tables that do not pair client_id with client_id. */
export const foreignKeysAcrossTenants = (c: Catalog) =>
  c.foreignKeys
    .filter((fk) => fk.child_has_client_id && fk.parent_has_client_id && !fk.keyed_by_client)
    .map((fk) => `${fk.constraint}: ${fk.table}(${fk.columns.join(', ')}) → ${fk.parent}(${fk.parent_columns.join(', ')})`);

/** Tenant tables without a `client_id → clients(id)` key. */
export const withoutClientReference = (c: Catalog) =>
  tenantTables(c)
    .filter((t) => !c.foreignKeys.some((fk) => fk.table === t.table && fk.parent === 'clients' && fk.columns.join() === 'client_id'))
    .map((t) => `${t.table}: no client_id → clients(id) key`);

/** SECURITY DEFINER functions that do not pin search_path, or that PUBLIC may execute. */
export const unsafeDefiners = (c: Catalog) =>
  c.definers.filter((r) => !r.pinned || r.public_execute).map((r) => `${r.fn}: search_path pinned=${r.pinned} PUBLIC execute=${r.public_execute}`);

/** Every check, by what it enforces. */
export const CHECKS = {
  'tables without client_id are allow-listed': unlistedGlobalTables,
  'an index led by client_id': withoutClientIndex,
  'row-level security enabled and forced': withoutForcedRls,
  'app_tenant policies confine rows to app.client_id': withoutTenantPolicy,
  'updated_at and audit triggers': withoutTriggers,
  'indexed foreign keys': unindexedForeignKeys,
  'composite keys between tenant tables': foreignKeysAcrossTenants,
  'client_id references clients': withoutClientReference,
  'SECURITY DEFINER pins search_path, not executable by PUBLIC': unsafeDefiners,
} satisfies Record<string, (c: Catalog) => string[]>;
