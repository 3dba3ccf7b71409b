import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { asSystem, asTenant } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { sender } from '../helpers/requests';

interface AuditRow {
  id: string;
  client_id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_id: string | null;
  changed_columns: string[];
  details: Record<string, unknown>;
  created_at: string;
}

let a: FixtureIds;
let b: FixtureIds;
/** A competitor of `a` created, renamed and deleted through the API by `a`'s owner. */
let competitorId: string;
/** A second user of `a`, an editor, who changed the fixture competitor. */
let editorId: string;

const { run: RUN, create: fixture } = useTenantFixtures('aud', {
  async afterDeleteAll() {
    await asSystem(sql`delete from users where id = ${editorId}`);
  },
});

const send = sender(() => a, 'admin');

const list = async (query: string, options: { as?: Role; ids?: FixtureIds } = {}) => {
  const response = await send('GET', `/v1/audit-logs?${query}`, options);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<Page<AuditRow>>(response);
};

async function write(method: string, path: string, body?: unknown, token?: string) {
  const response = await call(method, path, { token: token ?? (await tokenAs(a, 'owner')), body });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response;
}

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
  const created = await json<{ id: string }>(await write('POST', '/v1/competitors', { name: `Audited ${RUN}`, category: 'direct' }));
  competitorId = created.id;
  await write('PATCH', `/v1/competitors/${competitorId}`, { name: `Renamed ${RUN}`, price_point: 'mid' });
  await write('DELETE', `/v1/competitors/${competitorId}`);

  editorId = crypto.randomUUID();
  await asSystem(
    sql`insert into users (id, email) values (${editorId}, ${`aud-editor-${RUN}@example.test`})`,
    sql`insert into memberships (client_id, user_id, role) values (${a.clients}, ${editorId}, 'editor')`,
  );
  await write('PATCH', `/v1/competitors/${a.competitors}`, { primary_mechanism: 'edited by the editor' }, await tokenAs(a, 'editor', editorId));
  // b changes its own data too: a must never see it.
  await write('PATCH', `/v1/competitors/${b.competitors}`, { primary_mechanism: 'b was here' }, await tokenAs(b, 'owner'));
});

describe('audit logs', () => {
  it('an admin reads the history of one entity, newest first, with actor, columns and values', async () => {
    const page = await list(`entity_type=competitors&entity_id=${competitorId}`);
    expect(page.data.map((r) => r.action)).toEqual(['delete', 'update', 'insert']);
    for (const row of page.data) {
      expect(row).toMatchObject({ client_id: a.clients, entity_type: 'competitors', entity_id: competitorId, actor_id: a.users });
    }
    const [deleted, updated, inserted] = page.data;
    expect(updated!.changed_columns).toEqual(['name', 'price_point']);
    expect(updated!.details).toEqual({ name: { old: `Audited ${RUN}`, new: `Renamed ${RUN}` }, price_point: { old: null, new: 'mid' } });
    expect(inserted!.details).toMatchObject({ name: `Audited ${RUN}`, category: 'direct' });
    expect(deleted!.details).toMatchObject({ name: `Renamed ${RUN}` });
    expect(Date.parse(deleted!.created_at)).toBeGreaterThanOrEqual(Date.parse(inserted!.created_at));
    // The owner reads it too.
    expect((await list(`entity_id=${competitorId}`, { as: 'owner' })).data).toHaveLength(3);
  });

  it('filters by action, actor and entity type', async () => {
    expect((await list(`entity_id=${competitorId}&action=update`)).data.map((r) => r.action)).toEqual(['update']);
    const byEditor = await list(`actor_id=${editorId}`);
    expect(byEditor.data.map((r) => [r.entity_type, r.entity_id, r.action])).toEqual([['competitors', a.competitors, 'update']]);
    const byOwner = await list(`actor_id=${a.users}&entity_type=competitors`);
    expect(byOwner.data.map((r) => r.action)).toEqual(['delete', 'update', 'insert']);
    const inserts = await list('entity_type=experiments&action=insert');
    expect(inserts.data.map((r) => r.entity_id)).toEqual([a.experiments]); // the fixture's, by the system (no actor)
    expect(inserts.data[0]!.actor_id).toBeNull();
    expect((await list('entity_type=no_such_table')).data).toEqual([]);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    const history = (await list(`entity_id=${competitorId}`)).data;
    const insertedAt = history[2]!.created_at;
    const deletedAt = history[0]!.created_at;
    const from = await list(`entity_id=${competitorId}&from=${encodeURIComponent(insertedAt)}`);
    expect(from.data).toHaveLength(3);
    const before = await list(`entity_id=${competitorId}&to=${encodeURIComponent(insertedAt)}`);
    expect(before.data).toEqual([]);
    const after = await list(`entity_id=${competitorId}&from=${encodeURIComponent(new Date(Date.parse(deletedAt) + 1).toISOString())}`);
    expect(after.data).toEqual([]);
    const window = await list(`entity_id=${competitorId}&from=2000-01-01T00:00:00Z&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(window.data).toHaveLength(3);
  });

  it('pages through many rows written at the same instant without skipping or repeating any', async () => {
    const ids = await fixture('paging');
    const metrics = Array.from({ length: 130 }, (_, i) => ({ metric_type: 'reach', metric_name: `m${i}`, value: i }));
    await write('POST', '/v1/kpi-metrics/bulk', { date: '2026-06-01', metrics }, await tokenAs(ids, 'owner'));
    const seen: AuditRow[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page<AuditRow> = await list(`entity_type=kpi_metrics&action=insert&limit=40${cursor ? `&cursor=${cursor}` : ''}`, { ids });
      seen.push(...page.data);
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen.map((r) => r.id)).size).toBe(131); // 130 from the batch and the fixture's row
    expect(new Set(seen.filter((r) => r.actor_id === ids.users).map((r) => r.created_at)).size).toBe(1); // one transaction, one instant
  });

  it('pages through a bulk change whose audit rows share one instant (millisecond timestamps)', async () => {
    const ids = await fixture('bulk');
    // One statement, one transaction: the six audit rows share created_at.
    await asTenant(
      { clientId: ids.clients, userId: ids.users, role: 'editor' },
      sql`insert into competitors (client_id, name, category)
          select ${ids.clients}, 'Bulk rival ' || n, 'direct' from generate_series(1, 6) as n`,
    );
    const [stamps] = await asSystem(
      sql`select count(distinct created_at)::int as instants,
                 bool_and(created_at = date_trunc('milliseconds', created_at)) as millisecond_precision
          from audit_logs where client_id = ${ids.clients} and entity_type = 'competitors' and action = 'insert'
            and details->>'name' like 'Bulk rival %'`,
    );
    expect(stamps![0]).toEqual({ instants: 1, millisecond_precision: true });
    const seen: AuditRow[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<AuditRow> = await list(`entity_type=competitors&action=insert&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { ids });
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.filter((r) => r.entity_type === 'competitors')).toHaveLength(6 + 1); // the fixture's own competitor too
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
  });

  it('a client only ever sees its own rows: b’s admin finds nothing of a’s', async () => {
    expect((await list(`entity_id=${competitorId}`, { ids: b })).data).toEqual([]);
    expect((await list(`actor_id=${a.users}`, { ids: b })).data).toEqual([]);
    const everything: AuditRow[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<AuditRow> = await list(`limit=100${cursor ? `&cursor=${cursor}` : ''}`, { ids: b });
      everything.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    expect(everything.length).toBeGreaterThan(0);
    expect(everything.every((r) => r.client_id === b.clients)).toBe(true);
    expect(everything.some((r) => r.entity_id === b.competitors && r.action === 'update')).toBe(true);
  });

  it('viewers, editors and machine clients get 403 before the database', async () => {
    for (const role of ['viewer', 'editor', 'service'] as const) {
      await expectProblem(await send('GET', '/v1/audit-logs', { as: role, trips: 0 }), 403, 'FORBIDDEN');
    }
  });

  it('validates filters (400, no round trip)', async () => {
    for (const query of [
      'entity_type=Brand-Kits',
      'entity_id=42',
      'actor_id=someone',
      'action=upsert',
      'from=yesterday',
      'from=2026-06-01',
      'from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z',
      'limit=1000',
    ]) {
      await expectProblem(await send('GET', `/v1/audit-logs?${query}`, { trips: 0 }), 400, 'INVALID_REQUEST');
    }
    await expectProblem(await send('GET', '/v1/audit-logs?cursor=bm9wZQ', { trips: 0 }), 400, 'INVALID_CURSOR');
  });
});
