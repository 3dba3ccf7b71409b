import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, asSystem } from '../../helpers/db';
import { createTenantFixture, deleteTenantFixture, TENANT_TABLES, type FixtureIds, type TenantTableName } from '../../helpers/tenant-fixture';
import { violation } from './support';

// Every composite foreign key `(client_id, X) → parent(client_id, id)` of the live catalog, tried on
// the system path (no row-level security): pointing A's child row at B's parent row must be refused
// by the key itself, while pointing it at A's own parent row is accepted.

const FOREIGN_KEY_VIOLATION = '23503';

interface CompositeKey {
  constraint: string;
  table: string;
  parent: string;
  columns: string[];
  parent_columns: string[];
}

let a: FixtureIds;
let b: FixtureIds;
let keys: CompositeKey[];

beforeAll(async () => {
  a = await createTenantFixture(`ck-a-${crypto.randomUUID().slice(0, 6)}`);
  b = await createTenantFixture(`ck-b-${crypto.randomUUID().slice(0, 6)}`);
  const all = await asOwner<CompositeKey>(sql`
    select c.conname::text as constraint, child.relname::text as table, parent.relname::text as parent,
           array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.ord)::text[] as columns,
           array(select a.attname::text from unnest(c.confkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum order by k.ord)::text[] as parent_columns
    from pg_constraint c
    join pg_namespace n on n.oid = c.connamespace
    join pg_class child on child.oid = c.conrelid
    join pg_class parent on parent.oid = c.confrelid
    where c.contype = 'f' and n.nspname = 'public' and cardinality(c.conkey) = 2
    order by c.conname`);
  keys = all.filter((k) => {
    const i = k.columns.indexOf('client_id');
    return i >= 0 && k.parent_columns[i] === 'client_id' && k.parent_columns[1 - i] === 'id';
  });
  // B only supplies parent rows. Its rows in pure child tables would make some updates fail on a
  // unique index first (feedback (output_id), knowledge_chunks (knowledge_base_id, chunk_index)):
  // unique indexes are checked as the row is written, foreign keys after the statement.
  const parents = new Set(keys.map((k) => k.parent));
  const leaves = [...new Set(keys.map((k) => k.table))].filter((t) => !parents.has(t));
  await asSystem(...leaves.map((t) => sql`delete from ${sql.identifier(t)} where id = ${b[t as TenantTableName]}`));
});

afterAll(async () => {
  await deleteTenantFixture(a);
  await deleteTenantFixture(b);
});

/** The non-client column of a composite key. */
const referencing = (key: CompositeKey) => key.columns.find((c) => c !== 'client_id')!;

const isFixtureTable = (table: string): table is TenantTableName => (TENANT_TABLES as readonly string[]).includes(table);

describe('composite tenant foreign keys', () => {
  it('are found in the catalog, each between two fixture tables', () => {
    // The schema declares 15 tenantReference() keys (knowledge_chunks, outputs, feedback, posts,
    // decisions ×2, replies, escalations ×3, competitive_mentions ×2, community_champions,
    // randomized_experiments, runs → api_keys).
    expect(keys.length).toBeGreaterThanOrEqual(15);
    const uncovered = keys.filter((k) => !isFixtureTable(k.table) || !isFixtureTable(k.parent)).map((k) => k.constraint);
    expect(uncovered).toEqual([]);
  });

  it('refuse pointing a child of A at a parent of B (23503), accept A’s own parent', async () => {
    expect(keys.length).toBeGreaterThanOrEqual(14);
    const results = [];
    for (const key of keys) {
      const child = key.table as TenantTableName;
      const parent = key.parent as TenantTableName;
      const table = sql.identifier(child);
      const column = sql.identifier(referencing(key));

      // runs name exactly one requester: pointing a run at an API key clears its user.
      const also = key.constraint === 'runs_api_key_id_fkey' ? sql`, user_id = null` : sql``;
      const crossTenant = await violation(asSystem(sql`update ${table} set ${column} = ${b[parent]}${also} where id = ${a[child]}`));
      const [own] = await asSystem(sql`update ${table} set ${column} = ${a[parent]}${also} where id = ${a[child]} returning id`);
      results.push({
        key: key.constraint,
        crossTenant: crossTenant ? `${crossTenant.code} ${crossTenant.constraint}` : 'accepted',
        ownParent: own!.length === 1 ? 'updated' : `${own!.length} rows`,
      });
    }
    expect(results).toEqual(
      keys.map((key) => ({ key: key.constraint, crossTenant: `${FOREIGN_KEY_VIOLATION} ${key.constraint}`, ownParent: 'updated' })),
    );
  });
});
