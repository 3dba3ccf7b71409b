import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantContext } from '../../../src/db/context';
import { asSystem, asTenant, asTenantWithoutContext, sqlState } from '../../helpers/db';
import {
  createTenantFixture,
  deleteTenantFixture,
  fixtureStatements,
  TENANT_TABLES,
  type FixtureIds,
} from '../../helpers/tenant-fixture';
import { NOT_TRIGGERED, readCatalog, tenantTables } from './catalog-checks';

const INSUFFICIENT_PRIVILEGE = '42501';
/** Tenant tables a tenant may read but never write (the retention ledger: the system path writes it). */
const TENANT_READ_ONLY: string[] = ['retention_archives'];
let a: FixtureIds;
let b: FixtureIds;
const ctx = (ids: FixtureIds): TenantContext => ({ clientId: ids.clients, userId: ids.users, role: 'owner' });

beforeAll(async () => {
  a = await createTenantFixture('iso-a');
  b = await createTenantFixture('iso-b');
});
afterAll(async () => {
  await deleteTenantFixture(a);
  await deleteTenantFixture(b);
});

const keyColumn = (table: string) => (table === 'clients' ? 'id' : 'client_id');

describe('the tables these tests cover', () => {
  it('are exactly the catalog’s tenant tables: every table with client_id, and clients', async () => {
    // The fixture writes one row in each of TENANT_TABLES; audit_logs gets its rows from the triggers.
    const catalog = await readCatalog('public');
    const withClientId = tenantTables(catalog).map((t) => t.table);
    expect(['clients', ...withClientId].sort()).toEqual([...TENANT_TABLES, ...NOT_TRIGGERED].sort());
  });
});

describe('row-level security isolates tenants in the audit trail (rows only the triggers write)', () => {
  it.each(NOT_TRIGGERED)('%s: tenant A sees its own rows and none of B; with no tenant set, none', async (table) => {
    const t = sql.identifier(table);
    const [bRows] = await asSystem(sql`select id from ${t} where client_id = ${b.clients} limit 1`);
    expect(bRows, 'B has rows (its fixture was written)').toHaveLength(1);
    const [own, others, byId] = await asTenant(
      ctx(a),
      sql`select count(*)::int as n from ${t} where client_id = ${a.clients}`,
      sql`select count(*)::int as n from ${t} where client_id <> ${a.clients}`,
      sql`select count(*)::int as n from ${t} where id = ${bRows![0]!.id as string}`,
    );
    expect([own![0]!.n, others![0]!.n, byId![0]!.n]).toEqual([expect.any(Number), 0, 0]);
    expect(own![0]!.n).toBeGreaterThanOrEqual(1);
    const [none] = await asTenantWithoutContext(sql`select count(*)::int as n from ${t}`);
    expect(none![0]!.n).toBe(0);
  });
});

describe('row-level security isolates tenants in every tenant table', () => {
  it.each(TENANT_TABLES)('%s: tenant A sees its own row and none of B', async (table) => {
    const t = sql.identifier(table);
    const key = sql.identifier(keyColumn(table));
    const [own, others, byId] = await asTenant(
      ctx(a),
      sql`select count(*)::int as n from ${t} where ${key} = ${a.clients}`,
      sql`select count(*)::int as n from ${t} where ${key} <> ${a.clients}`,
      sql`select count(*)::int as n from ${t} where id = ${b[table]}`,
    );
    expect(own![0]!.n).toBeGreaterThanOrEqual(1);
    expect(others![0]!.n).toBe(0);
    expect(byId![0]!.n).toBe(0);
  });

  it.each(TENANT_TABLES)('%s: tenant A cannot update or delete B’s row (0 rows)', async (table) => {
    const t = sql.identifier(table);
    if (TENANT_READ_ONLY.includes(table)) {
      expect(await sqlState(asTenant(ctx(a), sql`update ${t} set updated_at = now() where id = ${b[table]}`))).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await sqlState(asTenant(ctx(a), sql`delete from ${t} where id = ${b[table]}`))).toBe(INSUFFICIENT_PRIVILEGE);
      const [kept] = await asSystem(sql`select count(*)::int as n from ${t} where id = ${b[table]}`);
      expect(kept![0]!.n).toBe(1);
      return;
    }
    const [updated, deleted] = await asTenant(
      ctx(a),
      // clients: the tenant may update only name, description and settings of its own row.
      table === 'clients'
        ? sql`update ${t} set name = name where id = ${b[table]} returning id`
        : sql`update ${t} set updated_at = now() where id = ${b[table]} returning id`,
      table === 'clients' ? sql`select 1 where false` : sql`delete from ${t} where id = ${b[table]} returning id`,
    );
    expect(updated).toHaveLength(0);
    expect(deleted).toHaveLength(0);
    const [still] = await asSystem(sql`select count(*)::int as n from ${t} where id = ${b[table]}`);
    expect(still![0]!.n).toBe(1);
  });

  it.each(TENANT_TABLES.filter((t) => t !== 'clients'))('%s: tenant A cannot move its row into B', async (table) => {
    const t = sql.identifier(table);
    const state = await sqlState(asTenant(ctx(a), sql`update ${t} set client_id = ${b.clients} where id = ${a[table]}`));
    expect(state).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('tenant A cannot insert rows for tenant B in any table', async () => {
    // A full set of rows claiming B's client id, replayed under A's context: the policy refuses each.
    const { statements } = fixtureStatements('iso-forged', b.clients);
    const tenantInserts = statements.slice(3); // skip the global skill, the client row and the user row
    expect(tenantInserts).toHaveLength(TENANT_TABLES.length - 1);
    const failures = await Promise.all(tenantInserts.map((statement) => sqlState(asTenant(ctx(a), statement))));
    expect(failures).toEqual(tenantInserts.map(() => INSUFFICIENT_PRIVILEGE));
  });

  it.each(TENANT_TABLES)('%s: with no tenant set, nothing is visible', async (table) => {
    const [rows] = await asTenantWithoutContext(sql`select count(*)::int as n from ${sql.identifier(table)}`);
    expect(rows![0]!.n).toBe(0);
  });

  it('the tenant role cannot create clients or touch global catalogs', async () => {
    expect(await sqlState(asTenant(ctx(a), sql`insert into clients (name, slug, storage_prefix) values ('x', 'x', 'clients/x/')`))).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
    expect(await sqlState(asTenant(ctx(a), sql`update skills set description = 'hijacked'`))).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await sqlState(asTenant(ctx(a), sql`select * from user_channels`))).toBe(INSUFFICIENT_PRIVILEGE);
    const [skills] = await asTenant(ctx(a), sql`select count(*)::int as n from skills`);
    expect(skills![0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('users: a tenant sees its own members only', async () => {
    const [visible] = await asTenant(ctx(a), sql`select id from users where id in (${a.users}, ${b.users})`);
    expect(visible!.map((r) => r.id)).toEqual([a.users]);
  });
});
