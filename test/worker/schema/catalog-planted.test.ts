import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../helpers/db';
import { CHECKS, readCatalog, type Catalog } from './catalog-checks';

/**
 * The catalog checks (catalog-checks.ts), proven: a throwaway schema gets one conforming tenant
 * table made the way the migrations make theirs (app_private.secure_tenant_table), then one table
 * (or function) a violation, and every check must report exactly the planted objects it is
 * meant to catch — and nothing conforming. A check that passes everything fails here.
 */

const schema = `planted_${crypto.randomUUID().slice(0, 8)}`;
const q = (name: string) => `${schema}.${name}`;
const TENANT_EXPR = `client_id = nullif(current_setting('app.client_id', true), '')::uuid`;

/** A tenant table as the conventions want it: client_id → clients, indexed, secured (RLS forced, policies, triggers). */
function tenantTable(name: string, extra = ''): string[] {
  return [
    `create table ${q(name)} (id uuid primary key, client_id uuid not null references ${q('clients')} (id) on delete cascade,
       updated_at timestamptz, unique (client_id, id)${extra})`,
    `create index ${name}_client_idx on ${q(name)} (client_id)`,
    `select app_private.secure_tenant_table('${q(name)}')`,
  ];
}

type CheckName = keyof typeof CHECKS;

/** What is planted, and which checks must report it (by its name in their lines). */
const PLANTED: { name: string; ddl: string[]; caughtBy: CheckName[] }[] = [
  { name: 'plant_conforming', ddl: tenantTable('plant_conforming'), caughtBy: [] },
  {
    name: 'plant_rls_not_forced',
    ddl: [...tenantTable('plant_rls_not_forced'), `alter table ${q('plant_rls_not_forced')} no force row level security`],
    caughtBy: ['row-level security enabled and forced'],
  },
  {
    name: 'plant_rls_disabled',
    ddl: [...tenantTable('plant_rls_disabled'), `alter table ${q('plant_rls_disabled')} disable row level security`],
    caughtBy: ['row-level security enabled and forced'],
  },
  {
    name: 'plant_policy_dropped',
    ddl: [...tenantTable('plant_policy_dropped'), `drop policy tenant_isolation on ${q('plant_policy_dropped')}`],
    caughtBy: ['app_tenant policies confine rows to app.client_id'],
  },
  {
    name: 'plant_policy_open',
    ddl: [
      ...tenantTable('plant_policy_open'),
      `drop policy tenant_isolation on ${q('plant_policy_open')}`,
      `create policy tenant_isolation on ${q('plant_policy_open')} for all to app_tenant using (true) with check (true)`,
    ],
    caughtBy: ['app_tenant policies confine rows to app.client_id'],
  },
  {
    name: 'plant_policy_user_setting',
    ddl: [
      ...tenantTable('plant_policy_user_setting'),
      `drop policy tenant_isolation on ${q('plant_policy_user_setting')}`,
      `create policy tenant_isolation on ${q('plant_policy_user_setting')} for all to app_tenant
         using (client_id = nullif(current_setting('app.user_id', true), '')::uuid)
         with check (client_id = nullif(current_setting('app.user_id', true), '')::uuid)`,
    ],
    caughtBy: ['app_tenant policies confine rows to app.client_id'],
  },
  {
    name: 'plant_policy_extra_public',
    ddl: [
      ...tenantTable('plant_policy_extra_public'),
      `create policy peek on ${q('plant_policy_extra_public')} for select to public using (true)`,
    ],
    caughtBy: ['app_tenant policies confine rows to app.client_id'],
  },
  {
    name: 'plant_policy_unchecked_writes',
    ddl: [
      ...tenantTable('plant_policy_unchecked_writes'),
      `drop policy tenant_isolation on ${q('plant_policy_unchecked_writes')}`,
      `create policy tenant_isolation on ${q('plant_policy_unchecked_writes')} for all to app_tenant using (${TENANT_EXPR}) with check (true)`,
    ],
    caughtBy: ['app_tenant policies confine rows to app.client_id'],
  },
  {
    name: 'plant_no_client_index',
    ddl: [
      `create table ${q('plant_no_client_index')} (id uuid primary key, client_id uuid not null references ${q('clients')} (id), updated_at timestamptz)`,
      `select app_private.secure_tenant_table('${q('plant_no_client_index')}')`,
    ],
    // Its client_id → clients key has no index either.
    caughtBy: ['an index led by client_id', 'indexed foreign keys'],
  },
  {
    name: 'plant_fk_unindexed',
    ddl: tenantTable('plant_fk_unindexed', `, parent_id uuid, foreign key (client_id, parent_id) references ${q('plant_conforming')} (client_id, id)`),
    caughtBy: ['indexed foreign keys'],
  },
  {
    name: 'plant_fk_plain',
    ddl: [
      ...tenantTable('plant_fk_plain', `, parent_id uuid references ${q('plant_conforming')} (id)`),
      `create index plant_fk_plain_parent_idx on ${q('plant_fk_plain')} (parent_id)`,
    ],
    caughtBy: ['composite keys between tenant tables'],
  },
  {
    name: 'plant_no_client_fk',
    ddl: [
      `create table ${q('plant_no_client_fk')} (id uuid primary key, client_id uuid not null, updated_at timestamptz)`,
      `create index plant_no_client_fk_client_idx on ${q('plant_no_client_fk')} (client_id)`,
      `select app_private.secure_tenant_table('${q('plant_no_client_fk')}')`,
    ],
    caughtBy: ['client_id references clients'],
  },
  {
    name: 'plant_trigger_dropped',
    ddl: [...tenantTable('plant_trigger_dropped'), `drop trigger audit_update on ${q('plant_trigger_dropped')}`],
    caughtBy: ['updated_at and audit triggers'],
  },
  {
    name: 'plant_stray_global',
    ddl: [`create table ${q('plant_stray_global')} (id uuid primary key, note text)`],
    caughtBy: ['tables without client_id are allow-listed'],
  },
  {
    name: 'plant_definer_unpinned',
    ddl: [`create function ${q('plant_definer_unpinned')}() returns int language sql security definer as 'select 1'`],
    caughtBy: ['SECURITY DEFINER pins search_path, not executable by PUBLIC'],
  },
  {
    name: 'plant_definer_public',
    ddl: [`create function ${q('plant_definer_public')}() returns int language sql security definer set search_path = pg_catalog as 'select 1'`],
    caughtBy: ['SECURITY DEFINER pins search_path, not executable by PUBLIC'],
  },
  {
    name: 'plant_definer_conforming',
    ddl: [
      `create function ${q('plant_definer_conforming')}() returns int language sql security definer set search_path = pg_catalog as 'select 1'`,
      `revoke all on function ${q('plant_definer_conforming')}() from public`,
    ],
    caughtBy: [],
  },
];

type Item = BatchItem<'pg'>;

/** DDL as the owner (the migrations' role), in one transaction. */
async function asOwnerBatch(statements: string[]): Promise<void> {
  const db = testDb();
  await db.batch(statements.map((s) => db.execute(sql.raw(s))) as unknown as [Item, ...Item[]]);
}

let catalog: Catalog;

beforeAll(async () => {
  await asOwnerBatch([
    `create schema ${schema}`,
    // The tenant root, keyed by id, secured by hand (secure_tenant_table knows only public.clients by name).
    `create table ${q('clients')} (id uuid primary key, updated_at timestamptz)`,
    `alter table ${q('clients')} enable row level security`,
    `alter table ${q('clients')} force row level security`,
    `create policy tenant_isolation on ${q('clients')} for all to app_tenant
       using (id = nullif(current_setting('app.client_id', true), '')::uuid)
       with check (id = nullif(current_setting('app.client_id', true), '')::uuid)`,
    ...PLANTED.flatMap((p) => p.ddl),
  ]);
  catalog = await readCatalog(schema);
});

afterAll(async () => {
  await asOwnerBatch([`drop schema if exists ${schema} cascade`]);
});

describe('the planted schema', () => {
  it('is read whole: every planted table and function, the conforming tenant table with its policy and triggers', () => {
    const tables = PLANTED.filter((p) => !p.name.startsWith('plant_definer')).map((p) => p.name);
    expect(catalog.tables.map((t) => t.table).sort()).toEqual(['clients', ...tables].sort());
    expect(catalog.definers.map((d) => d.fn).sort()).toEqual(PLANTED.filter((p) => p.name.startsWith('plant_definer')).map((p) => `${q(p.name)}()`).sort());
    const conforming = catalog.tables.find((t) => t.table === 'plant_conforming')!;
    expect(conforming).toMatchObject({ has_client_id: true, rls: true, forced: true, client_index: true });
    expect(conforming.tenant_policies.map((p) => p.name)).toEqual(['tenant_isolation']);
    expect(conforming.triggers).toHaveLength(4);
  });
});

describe.each(Object.entries(CHECKS))('the check “%s”', (name, check) => {
  const expected = PLANTED.filter((p) => p.caughtBy.includes(name as CheckName)).map((p) => p.name);
  // A line names its subject before any `→ parent` (a foreign key's parent is not what violates).
  const mentions = (lines: string[], planted: string) => lines.some((line) => new RegExp(`\\b${planted}\\b`).test(line.split('→')[0]!));

  it(`reports what was planted for it: ${expected.join(', ') || '(checked through the others)'}`, () => {
    const lines = check(catalog);
    expect(expected.length, 'a check with nothing planted for it is not proven').toBeGreaterThan(0);
    expect(expected.filter((planted) => !mentions(lines, planted)), `not reported; it said: ${lines.join(' | ')}`).toEqual([]);
  });

  it('reports nothing else: neither the conforming objects nor violations of other rules', () => {
    const lines = check(catalog);
    const others = PLANTED.filter((p) => !expected.includes(p.name)).map((p) => p.name);
    expect(others.filter((planted) => mentions(lines, planted))).toEqual([]);
    expect(lines.filter((line) => !expected.some((planted) => mentions([line], planted)))).toEqual([]);
  });
});
