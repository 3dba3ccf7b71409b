import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantContext } from '../../../src/db/context';
import { EMBEDDING_DIMENSIONS } from '../../../src/db/schema';
import { asSystem, asTenant } from '../../helpers/db';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from '../../helpers/tenant-fixture';
import { hex64, tag, uuid, violation } from './support';

// The audit trail written by app_private.audit_capture (statement-level triggers, same transaction
// as the change) and the updated_at trigger. Writes go through the tenant role with app.user_id
// set, as a request does; every test works on rows it creates itself.

const INSUFFICIENT_PRIVILEGE = '42501';

interface AuditRow {
  client_id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_id: string | null;
  changed_columns: string[];
  details: Record<string, unknown>;
}

let a: FixtureIds;
let b: FixtureIds;
const ctx = (ids: FixtureIds): TenantContext => ({ clientId: ids.clients, userId: ids.users, role: 'owner' });

beforeAll(async () => {
  a = await createTenantFixture(`audit-a-${tag()}`);
  b = await createTenantFixture(`audit-b-${tag()}`);
});
afterAll(async () => {
  await deleteTenantFixture(a);
  await deleteTenantFixture(b);
});

/** Audit rows of some entities, read on the system path. */
async function auditOf(...entityIds: string[]): Promise<AuditRow[]> {
  const [rows] = await asSystem(sql`
    select client_id, entity_type, entity_id, action::text as action, actor_id, changed_columns, details
    from audit_logs where entity_id in ${entityIds.length > 0 ? sql`(${sql.join(entityIds.map((e) => sql`${e}`), sql`, `)})` : sql`(null)`}
    order by created_at, action`);
  return rows as unknown as AuditRow[];
}

const byAction = (rows: AuditRow[], action: string) => rows.filter((r) => r.action === action);

const insertCompetitor = (clientId: string, competitorId: string, name: string) =>
  sql`insert into competitors (id, client_id, name, category, brand_keywords) values (${competitorId}, ${clientId}, ${name}, 'direct', '{alpha}')`;

describe('audit rows for tenant writes', () => {
  it('an INSERT writes one insert row with the entity, the actor and the new values', async () => {
    const id = uuid();
    const name = `Audited ${tag()}`;
    await asTenant(ctx(a), insertCompetitor(a.clients, id, name));

    const rows = await auditOf(id);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ client_id: a.clients, entity_type: 'competitors', entity_id: id, action: 'insert', actor_id: a.users });
    expect(row!.details).toMatchObject({ id, client_id: a.clients, name, category: 'direct', brand_keywords: ['alpha'] });
    expect(row!.details).not.toHaveProperty('created_at');
    expect(row!.details).not.toHaveProperty('updated_at');
    expect(row!.changed_columns).toEqual(expect.arrayContaining(['brand_keywords', 'category', 'client_id', 'id', 'name']));
    expect(row!.changed_columns).not.toContain('updated_at');
  });

  it('an UPDATE writes one update row listing exactly the changed columns, with old and new values', async () => {
    const id = uuid();
    const name = `Before ${tag()}`;
    await asTenant(ctx(a), insertCompetitor(a.clients, id, name));
    await asTenant(ctx(a), sql`update competitors set name = ${`${name} (renamed)`}, category = 'indirect', primary_mechanism = null where id = ${id}`);

    const updates = byAction(await auditOf(id), 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ client_id: a.clients, entity_type: 'competitors', entity_id: id, actor_id: a.users });
    // primary_mechanism was NULL and stays NULL: not a change. updated_at moved but is not listed.
    expect(updates[0]!.changed_columns).toEqual(['category', 'name']);
    expect(updates[0]!.details).toEqual({
      category: { old: 'direct', new: 'indirect' },
      name: { old: name, new: `${name} (renamed)` },
    });
  });

  it('a DELETE writes one delete row with the old values', async () => {
    const id = uuid();
    const name = `Doomed ${tag()}`;
    await asTenant(ctx(a), insertCompetitor(a.clients, id, name));
    const [deleted] = await asTenant(ctx(a), sql`delete from competitors where id = ${id} returning id`);
    expect(deleted).toHaveLength(1);

    const deletes = byAction(await auditOf(id), 'delete');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({ client_id: a.clients, entity_type: 'competitors', entity_id: id, actor_id: a.users, changed_columns: [] });
    expect(deletes[0]!.details).toMatchObject({ id, name, category: 'direct' });
    expect(deletes[0]!.details).not.toHaveProperty('updated_at');
  });

  it('a bulk INSERT of 50 rows in one statement writes 50 insert rows (and bulk UPDATE/DELETE 50 each)', async () => {
    const prefix = `bulk-${tag()}`;
    const [inserted] = await asTenant(
      ctx(a),
      sql`insert into competitors (client_id, name, category)
          select ${a.clients}, ${prefix} || '-' || g, 'substitute' from generate_series(1, 50) as g
          returning id`,
    );
    const ids = inserted!.map((r) => r.id as string);
    expect(ids).toHaveLength(50);
    expect(byAction(await auditOf(...ids), 'insert').map((r) => r.entity_id).sort()).toEqual([...ids].sort());

    await asTenant(ctx(a), sql`update competitors set category = 'indirect' where name like ${`${prefix}-%`}`);
    await asTenant(ctx(a), sql`delete from competitors where name like ${`${prefix}-%`}`);
    const rows = await auditOf(...ids);
    expect({ update: byAction(rows, 'update').length, delete: byAction(rows, 'delete').length }).toEqual({ update: 50, delete: 50 });
    expect(new Set(byAction(rows, 'update').map((r) => r.entity_id)).size).toBe(50);
  });

  it('an UPDATE that changes nothing but updated_at writes no audit row', async () => {
    const id = uuid();
    await asTenant(ctx(a), insertCompetitor(a.clients, id, `Idle ${tag()}`));
    const [touched, same] = await asTenant(
      ctx(a),
      sql`update competitors set updated_at = now() where id = ${id} returning id`,
      sql`update competitors set name = name, category = category where id = ${id} returning id`,
    );
    expect([touched!.length, same!.length]).toEqual([1, 1]);
    expect(byAction(await auditOf(id), 'update')).toEqual([]);
  });

  it('system work (no app.user_id) is audited with a NULL actor', async () => {
    const id = uuid();
    await asSystem(insertCompetitor(a.clients, id, `System ${tag()}`));
    expect(await auditOf(id)).toMatchObject([{ action: 'insert', actor_id: null, client_id: a.clients }]);
  });
});

describe('updated_at is maintained by the database', () => {
  it('moves when another column changes, and overrides a caller-supplied value', async () => {
    const id = uuid();
    await asTenant(ctx(a), insertCompetitor(a.clients, id, `Clock ${tag()}`));
    const [moved] = await asTenant(
      ctx(a),
      sql`update competitors set primary_mechanism = 'magnesium' where id = ${id}
          returning updated_at > created_at as moved, updated_at = date_trunc('milliseconds', now()) as is_now`,
    );
    expect(moved).toEqual([{ moved: true, is_now: true }]);

    const [forged] = await asTenant(
      ctx(a),
      sql`update competitors set updated_at = '2000-01-01T00:00:00Z', price_point = 'budget' where id = ${id}
          returning updated_at = '2000-01-01T00:00:00Z'::timestamptz as kept_callers, updated_at = date_trunc('milliseconds', now()) as is_now`,
    );
    expect(forged).toEqual([{ kept_callers: false, is_now: true }]);
  });

  // Timestamps belong to the database (0004): created_at/updated_at are now() on INSERT,
  // created_at is kept and updated_at moved on UPDATE, whatever the caller sends.
  it('callers cannot backdate the timestamps (created_at/updated_at on INSERT, created_at on UPDATE)', async () => {
    const id = uuid();
    const [inserted] = await asTenant(
      ctx(a),
      sql`insert into competitors (id, client_id, name, category, created_at, updated_at)
          values (${id}, ${a.clients}, ${`Backdated ${tag()}`}, 'direct', '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z')
          returning created_at = date_trunc('milliseconds', now()) as created_now, updated_at = date_trunc('milliseconds', now()) as updated_now`,
    );
    const [updated] = await asTenant(
      ctx(a),
      sql`update competitors set created_at = '2000-01-01T00:00:00Z' where id = ${id}
          returning created_at <> '2000-01-01T00:00:00Z'::timestamptz as created_kept`,
    );
    expect({ ...inserted![0], ...updated![0] }).toEqual({ created_now: true, updated_now: true, created_kept: true });
  });
});

describe('hidden columns', () => {
  it('api_keys: key_hash never appears in details (insert, update, delete), only in changed_columns', async () => {
    const id = uuid();
    const first = hex64();
    const second = hex64();
    const third = hex64();
    await asTenant(
      ctx(a),
      sql`insert into api_keys (id, client_id, name, prefix, key_hash, role) values (${id}, ${a.clients}, 'audited key', 'eda_aud', ${first}, 'viewer')`,
    );
    await asTenant(ctx(a), sql`update api_keys set key_hash = ${second}, name = 'renamed key' where id = ${id}`);
    await asTenant(ctx(a), sql`update api_keys set key_hash = ${third} where id = ${id}`);
    await asTenant(ctx(a), sql`delete from api_keys where id = ${id}`);

    const rows = await auditOf(id);
    expect(rows.map((r) => r.action).sort()).toEqual(['delete', 'insert', 'update', 'update']);
    for (const row of rows) {
      expect(row.details).not.toHaveProperty('key_hash');
      const text = JSON.stringify(row.details);
      for (const hash of [first, second, third]) expect(text).not.toContain(hash);
    }
    const updates = byAction(rows, 'update');
    const rename = updates.find((r) => r.changed_columns.includes('name'))!;
    expect(rename.changed_columns).toEqual(['key_hash', 'name']);
    expect(rename.details).toEqual({ name: { old: 'audited key', new: 'renamed key' } });
    // A rotation that changes only the hash is still recorded, with nothing to show.
    const rotation = updates.find((r) => !r.changed_columns.includes('name'))!;
    expect({ changed: rotation.changed_columns, details: rotation.details }).toEqual({ changed: ['key_hash'], details: {} });
  });

  it('knowledge_chunks: embedding, search_vector and content stay out of details but are listed when they change', async () => {
    const id = uuid();
    const vector = (seed: number) => `[${Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (Math.sin(seed + i) / 10).toFixed(4)).join(',')}]`;
    await asTenant(
      ctx(a),
      sql`insert into knowledge_chunks (id, client_id, knowledge_base_id, content, embedding, chunk_index, token_count)
          values (${id}, ${a.clients}, ${a.knowledge_bases}, 'Secret sauce recipe', ${vector(1)}, 42, 3)`,
    );
    await asTenant(
      ctx(a),
      sql`update knowledge_chunks set content = 'Another secret text', embedding = ${vector(2)}, token_count = 4 where id = ${id}`,
    );

    const rows = await auditOf(id);
    const [insert] = byAction(rows, 'insert');
    const [update] = byAction(rows, 'update');
    for (const row of [insert!, update!]) {
      for (const hidden of ['embedding', 'search_vector', 'content']) expect(row.details).not.toHaveProperty(hidden);
      expect(JSON.stringify(row.details)).not.toContain('secret');
    }
    expect(insert!.details).toMatchObject({ id, chunk_index: 42, token_count: 3 });
    expect(update!.changed_columns).toEqual(['content', 'embedding', 'search_vector', 'token_count']);
    expect(update!.details).toEqual({ token_count: { old: 3, new: 4 } });
  });
});

describe('the tenant role and the audit table', () => {
  it('cannot INSERT, UPDATE, DELETE or TRUNCATE audit_logs (42501)', async () => {
    const attempts = [
      sql`insert into audit_logs (client_id, entity_type, entity_id, action) values (${a.clients}, 'competitors', ${uuid()}, 'insert')`,
      sql`update audit_logs set action = 'delete' where client_id = ${a.clients}`,
      sql`delete from audit_logs where client_id = ${a.clients}`,
      sql`truncate audit_logs`,
    ];
    const states = [];
    for (const attempt of attempts) states.push((await violation(asTenant(ctx(a), attempt)))?.code);
    expect(states).toEqual(attempts.map(() => INSUFFICIENT_PRIVILEGE));
  });

  it('reads its own client’s audit rows only', async () => {
    const ownId = uuid();
    const otherId = uuid();
    await asTenant(ctx(a), insertCompetitor(a.clients, ownId, `Mine ${tag()}`));
    await asTenant(ctx(b), insertCompetitor(b.clients, otherId, `Theirs ${tag()}`));

    const [own, other, foreign] = await asTenant(
      ctx(a),
      sql`select count(*)::int as n from audit_logs where entity_id = ${ownId}`,
      sql`select count(*)::int as n from audit_logs where entity_id = ${otherId}`,
      sql`select count(*)::int as n from audit_logs where client_id <> ${a.clients}`,
    );
    expect({ own: own![0]!.n, other: other![0]!.n, foreign: foreign![0]!.n }).toEqual({ own: 1, other: 0, foreign: 0 });
    // B's row does exist.
    expect(await auditOf(otherId)).toHaveLength(1);
  });
});

describe('the audit row shares the change’s transaction', () => {
  it('a batch whose last statement fails leaves neither the change nor its audit row', async () => {
    const id = uuid();
    const failed = await violation(asTenant(ctx(a), insertCompetitor(a.clients, id, `Rolled back ${tag()}`), sql`select 1 / 0`));
    expect(failed?.code).toBe('22012');
    const [rows] = await asSystem(sql`select count(*)::int as n from competitors where id = ${id}`);
    expect(rows![0]!.n).toBe(0);
    expect(await auditOf(id)).toEqual([]);

    // The same batch without the failure keeps both.
    await asTenant(ctx(a), insertCompetitor(a.clients, id, `Kept ${tag()}`), sql`select 1`);
    expect(await auditOf(id)).toHaveLength(1);
  });
});
