import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { asOwner } from '../../helpers/db';
import { TENANT_TABLES } from '../../helpers/tenant-fixture';

// Walks the live catalog (as the owner) and fails with the list of offending tables/constraints,
// so a new table or foreign key that skips the tenancy conventions is caught by name. Each check
// also asserts how many objects it inspected, so it cannot pass on an empty result.

/** Tables of `public` that legitimately have no `client_id`. */
const GLOBAL_TABLES = ['clients', 'skills', 'user_channels', 'users'];
/** Tenant tables (with `client_id`) that are not written through secure_tenant_table's triggers. */
const NOT_TRIGGERED = ['audit_logs'];

interface TableRow {
  table: string;
  has_client_id: boolean;
  rls: boolean;
  forced: boolean;
  client_index: boolean;
  tenant_policy: boolean;
  triggers: string[];
}

interface ForeignKeyRow {
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

let tables: TableRow[];
let foreignKeys: ForeignKeyRow[];

beforeAll(async () => {
  tables = await asOwner<TableRow>(sql`
    select c.relname::text as table,
           ca.attnum is not null as has_client_id,
           c.relrowsecurity as rls,
           c.relforcerowsecurity as forced,
           exists (select 1 from pg_index i where i.indrelid = c.oid and ca.attnum is not null and i.indkey[0] = ca.attnum) as client_index,
           exists (select 1 from pg_policy p
                   where p.polrelid = c.oid
                     and (p.polroles @> array[(select oid from pg_roles where rolname = 'app_tenant')] or p.polroles @> array[0::oid])) as tenant_policy,
           array(select t.tgname || ':' || t.tgfoid::regproc::text || ':' || t.tgtype
                 from pg_trigger t
                 where t.tgrelid = c.oid and not t.tgisinternal and t.tgenabled <> 'D'
                 order by t.tgname)::text[] as triggers
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute ca on ca.attrelid = c.oid and ca.attname = 'client_id' and not ca.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`);

  foreignKeys = await asOwner<ForeignKeyRow>(sql`
    with fk as (
      select c.oid, c.conname, c.conrelid, c.confrelid, c.conkey, c.confkey
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = 'public'
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
});

const tenantTables = () => tables.filter((t) => t.has_client_id);

describe('tenant tables (every table of public with client_id)', () => {
  it('all of them are found, including every fixture table and audit_logs', () => {
    const names = tenantTables().map((t) => t.table);
    expect(names.length).toBeGreaterThanOrEqual(24);
    expect(names).toEqual(expect.arrayContaining([...TENANT_TABLES.filter((t) => t !== 'clients'), 'audit_logs']));
  });

  it('each has an index whose first column is client_id', () => {
    expect(tenantTables().length).toBeGreaterThanOrEqual(24);
    const violations = tenantTables().filter((t) => !t.client_index).map((t) => t.table);
    expect(violations, `no index led by client_id: ${violations.join(', ')}`).toEqual([]);
  });

  it('each has row-level security enabled and forced', () => {
    expect(tenantTables().length).toBeGreaterThanOrEqual(24);
    const violations = tenantTables()
      .filter((t) => !t.rls || !t.forced)
      .map((t) => `${t.table}: relrowsecurity=${t.rls} relforcerowsecurity=${t.forced}`);
    expect(violations, violations.join('; ')).toEqual([]);
  });

  it('each has a policy that applies to app_tenant', () => {
    expect(tenantTables().length).toBeGreaterThanOrEqual(24);
    const violations = tenantTables().filter((t) => !t.tenant_policy).map((t) => t.table);
    expect(violations, `no app_tenant policy: ${violations.join(', ')}`).toEqual([]);
  });

  it('each (but audit_logs) has the set_updated_at and statement-level audit triggers', () => {
    // name:function:tgtype — tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update.
    const expected = [
      'audit_delete:app_private.audit_capture:8',
      'audit_insert:app_private.audit_capture:4',
      'audit_update:app_private.audit_capture:16',
      'set_updated_at:app_private.set_updated_at:23', // before insert or update, per row
    ];
    const checked = tenantTables().filter((t) => !NOT_TRIGGERED.includes(t.table));
    expect(checked.length).toBeGreaterThanOrEqual(23);
    const violations = checked.flatMap((t) => {
      const missing = expected.filter((trigger) => !t.triggers.includes(trigger));
      return missing.length === 0 ? [] : [`${t.table}: missing ${missing.join(', ')} (has ${t.triggers.join(', ') || 'none'})`];
    });
    expect(violations, violations.join('; ')).toEqual([]);
  });
});

describe('tables without client_id', () => {
  it('are only the allow-listed global tables', () => {
    const globals = tables.filter((t) => !t.has_client_id).map((t) => t.table);
    expect(globals.length).toBeGreaterThanOrEqual(GLOBAL_TABLES.length);
    const violations = globals.filter((t) => !GLOBAL_TABLES.includes(t));
    expect(violations, `tables without client_id outside the allow-list: ${violations.join(', ')}`).toEqual([]);
    expect(tables.length).toBeGreaterThanOrEqual(28);
  });

  it('clients (the tenant root) has RLS enabled, forced and an app_tenant policy', () => {
    const clients = tables.find((t) => t.table === 'clients');
    expect(clients).toBeDefined();
    expect({ rls: clients!.rls, forced: clients!.forced, tenantPolicy: clients!.tenant_policy }).toEqual({
      rls: true,
      forced: true,
      tenantPolicy: true,
    });
  });
});

describe('foreign keys', () => {
  it('every foreign key is backed by an index that starts with its columns', () => {
    expect(foreignKeys.length).toBeGreaterThanOrEqual(40);
    const violations = foreignKeys.filter((fk) => !fk.indexed).map((fk) => `${fk.constraint} on ${fk.table}(${fk.columns.join(', ')})`);
    expect(violations, violations.join('; ')).toEqual([]);
  });

  it('every foreign key between two tenant tables includes client_id on both sides', () => {
    const tenantToTenant = foreignKeys.filter((fk) => fk.child_has_client_id && fk.parent_has_client_id);
    expect(tenantToTenant.length).toBeGreaterThanOrEqual(14);
    const violations = tenantToTenant
      .filter((fk) => !fk.keyed_by_client)
      .map((fk) => `${fk.constraint}: ${fk.table}(${fk.columns.join(', ')}) → ${fk.parent}(${fk.parent_columns.join(', ')})`);
    expect(violations, violations.join('; ')).toEqual([]);
  });

  it('every tenant table references clients through client_id', () => {
    const checked = tenantTables();
    expect(checked.length).toBeGreaterThanOrEqual(24);
    const missing = checked
      .filter((t) => !foreignKeys.some((fk) => fk.table === t.table && fk.parent === 'clients' && fk.columns.join() === 'client_id'))
      .map((t) => t.table);
    expect(missing, `no client_id → clients(id) key: ${missing.join(', ')}`).toEqual([]);
  });
});

describe('database roles', () => {
  it('app_tenant, app_system and app_audit_writer cannot log in, bypass RLS or act as superuser', async () => {
    const roles = await asOwner<{ rolname: string; rolcanlogin: boolean; rolbypassrls: boolean; rolsuper: boolean }>(sql`
      select rolname::text, rolcanlogin, rolbypassrls, rolsuper
      from pg_roles where rolname in ('app_tenant', 'app_system', 'app_audit_writer') order by rolname`);
    expect(roles.map((r) => r.rolname)).toEqual(['app_audit_writer', 'app_system', 'app_tenant']);
    const violations = roles
      .filter((r) => r.rolcanlogin || r.rolbypassrls || r.rolsuper)
      .map((r) => `${r.rolname}: login=${r.rolcanlogin} bypassrls=${r.rolbypassrls} superuser=${r.rolsuper}`);
    expect(violations, violations.join('; ')).toEqual([]);
  });

  it('app_tenant may read audit_logs but not write, change or empty it', async () => {
    const privileges = await asOwner<{ privilege: string; granted: boolean }>(sql`
      select p as privilege, has_table_privilege('app_tenant', 'public.audit_logs', p) as granted
      from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) as p`);
    expect(Object.fromEntries(privileges.map((p) => [p.privilege, p.granted]))).toEqual({
      SELECT: true,
      INSERT: false,
      UPDATE: false,
      DELETE: false,
      TRUNCATE: false,
    });
  });
});

describe('privileges around the audit trail and the schemas', () => {
  it('only app_audit_writer inserts audit rows; nobody but the owner updates them; app_system may delete (retention)', async () => {
    const rows = await asOwner<{ role: string; privilege: string; granted: boolean }>(sql`
      select r as role, p as privilege, has_table_privilege(r, 'public.audit_logs', p) as granted
      from unnest(array['app_tenant', 'app_system', 'app_audit_writer']) as r,
           unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) as p
      order by 1, 2`);
    expect(rows).toHaveLength(12);
    const granted = rows.filter((r) => r.granted).map((r) => `${r.role} ${r.privilege}`);
    expect(granted).toEqual(['app_audit_writer INSERT', 'app_system DELETE']);
  });

  it('the application roles cannot create objects in public', async () => {
    const rows = await asOwner<{ role: string; can_create: boolean }>(sql`
      select r as role, has_schema_privilege(r, 'public', 'CREATE') as can_create
      from unnest(array['app_tenant', 'app_system', 'app_audit_writer']) as r order by 1`);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.can_create).map((r) => r.role)).toEqual([]);
  });

  it('every SECURITY DEFINER function pins its search_path and is not executable by PUBLIC', async () => {
    const rows = await asOwner<{ fn: string; pinned: boolean; public_execute: boolean }>(sql`
      select p.oid::regprocedure::text as fn,
             coalesce(exists (select 1 from unnest(p.proconfig) as c where c like 'search_path=%'), false) as pinned,
             p.proacl is null or exists (select 1 from aclexplode(p.proacl) as x where x.grantee = 0 and x.privilege_type = 'EXECUTE')
               as public_execute
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname in ('public', 'app_private')
      order by 1`);
    expect(rows.map((r) => r.fn)).toContain('app_private.audit_capture()');
    const violations = rows
      .filter((r) => !r.pinned || r.public_execute)
      .map((r) => `${r.fn}: search_path pinned=${r.pinned} PUBLIC execute=${r.public_execute}`);
    expect(violations, violations.join('; ')).toEqual([]);
  });
});
