import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { asOwner } from '../../helpers/db';
import { TENANT_TABLES } from '../../helpers/tenant-fixture';
import {
  GLOBAL_TABLES,
  NOT_TRIGGERED,
  foreignKeysAcrossTenants,
  readCatalog,
  tenantTables,
  unindexedForeignKeys,
  unlistedGlobalTables,
  unsafeDefiners,
  withoutClientIndex,
  withoutClientReference,
  withoutForcedRls,
  withoutTenantPolicy,
  withoutTriggers,
  type Catalog,
} from './catalog-checks';

// Walks the live catalog (as the owner) and fails with the list of offending tables/constraints,
// so a new table or foreign key that skips the tenancy conventions is caught by name. Each check
// also asserts how many objects it inspected, so it cannot pass on an empty result; each is proven
// against planted violations in catalog-planted.test.ts.

let catalog: Catalog;

beforeAll(async () => {
  catalog = await readCatalog('public', ['public', 'app_private']);
});

const tenantNames = () => tenantTables(catalog).map((t) => t.table);

describe('tenant tables (every table of public with client_id)', () => {
  it('are exactly the fixture tables (but the root, clients) and audit_logs: the tables the isolation tests cover', () => {
    expect(tenantNames().length).toBeGreaterThanOrEqual(24);
    expect([...tenantNames()].sort()).toEqual([...TENANT_TABLES.filter((t) => t !== 'clients'), ...NOT_TRIGGERED].sort());
  });

  it('each has an index whose first column is client_id', () => {
    expect(tenantNames().length).toBeGreaterThanOrEqual(24);
    expect(withoutClientIndex(catalog)).toEqual([]);
  });

  it('each (and clients) has row-level security enabled and forced', () => {
    expect(tenantNames().length).toBeGreaterThanOrEqual(24);
    expect(withoutForcedRls(catalog)).toEqual([]);
  });

  it('each (and clients) has app_tenant policies, every one confining rows to app.client_id', () => {
    expect(tenantTables(catalog).filter((t) => t.tenant_policies.length > 0).length).toBeGreaterThanOrEqual(24);
    expect(withoutTenantPolicy(catalog)).toEqual([]);
  });

  it('each (but audit_logs) has the set_updated_at and statement-level audit triggers', () => {
    expect(tenantTables(catalog).filter((t) => !NOT_TRIGGERED.includes(t.table)).length).toBeGreaterThanOrEqual(23);
    expect(withoutTriggers(catalog)).toEqual([]);
  });
});

describe('tables without client_id', () => {
  it('are only the allow-listed global tables', () => {
    const globals = catalog.tables.filter((t) => !t.has_client_id).map((t) => t.table);
    expect(globals.length).toBeGreaterThanOrEqual(GLOBAL_TABLES.length);
    expect(unlistedGlobalTables(catalog)).toEqual([]);
    expect(catalog.tables.length).toBeGreaterThanOrEqual(28);
  });

  it('clients (the tenant root) has RLS enabled, forced and an app_tenant policy on its id', () => {
    const clients = catalog.tables.find((t) => t.table === 'clients');
    expect(clients).toBeDefined();
    expect({ rls: clients!.rls, forced: clients!.forced }).toEqual({ rls: true, forced: true });
    expect(clients!.tenant_policies.length).toBeGreaterThanOrEqual(1);
  });
});

describe('foreign keys', () => {
  it('every foreign key is backed by an index that starts with its columns', () => {
    expect(catalog.foreignKeys.length).toBeGreaterThanOrEqual(40);
    expect(unindexedForeignKeys(catalog)).toEqual([]);
  });

  it('every foreign key between two tenant tables includes client_id on both sides', () => {
    expect(catalog.foreignKeys.filter((fk) => fk.child_has_client_id && fk.parent_has_client_id).length).toBeGreaterThanOrEqual(14);
    expect(foreignKeysAcrossTenants(catalog)).toEqual([]);
  });

  it('every tenant table references clients through client_id', () => {
    expect(tenantNames().length).toBeGreaterThanOrEqual(24);
    expect(withoutClientReference(catalog)).toEqual([]);
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

  it('every SECURITY DEFINER function pins its search_path and is not executable by PUBLIC', () => {
    expect(catalog.definers.map((r) => r.fn)).toContain('app_private.audit_capture()');
    expect(unsafeDefiners(catalog)).toEqual([]);
  });
});
