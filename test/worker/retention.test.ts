import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { describe, expect, it } from 'vitest';
import { createSystemExecutor } from '../../src/db/executor';
import worker from '../../src/index';
import { loadEnv } from '../../src/env';
import { gunzip, sha256Hex, type ArchiveBucket, type Manifest } from '../../src/jobs/retention/archive';
import { archiveRows, datasetOfKey, restoreStatements } from '../../src/jobs/retention/restore';
import { markerKey, runRetention, type RetentionOptions } from '../../src/jobs/retention/retention';
import { call, json } from '../helpers/api';
import { asSystem, testDb } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { dataDigest } from '../helpers/rows';
import { systemToken } from '../helpers/tokens';

const fixtures = useTenantFixtures('retention');
const bucket = env.OBJECTS as R2Bucket;
const system = () => createSystemExecutor(loadEnv(env as Record<string, unknown>));
const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

const run = (clientIds: string[], options: Partial<RetentionOptions> = {}) => runRetention(system(), now, { bucket, clientIds, ...options });

/** Expired posts (each with a decision; some with a mention, a closed escalation, a randomized experiment) and the ones the policy keeps. */
async function seedPosts(ids: FixtureIds, count: number, daysOld: number) {
  const posts = Array.from({ length: count }, () => crypto.randomUUID());
  const decisions = posts.map(() => crypto.randomUUID());
  await asSystem(
    ...posts.map(
      (id, i) => sql`insert into posts (id, client_id, platform, platform_post_id, author_id, content, detected_at)
                     values (${id}, ${ids.clients}, 'twitter', ${`old-${id}`}, ${ids.authors}, ${`expired post ${i}`}, ${ago(daysOld + i / 24)})`,
    ),
    ...decisions.map(
      (id, i) => sql`insert into decisions (id, client_id, post_id, sss_score, ars_score, evs_score, trs_score, composite_score, mode, archetype)
                     values (${id}, ${ids.clients}, ${posts[i]!}, 0.5, 0.5, 0.5, 0.5, 0.5, 'helpful', 'checklist')`,
    ),
    sql`insert into competitive_mentions (client_id, post_id, competitor_id, sentiment) values (${ids.clients}, ${posts[0]!}, ${ids.competitors}, 'negative')`,
    sql`insert into escalations (client_id, post_id, decision_id, reason, status, resolved_at) values (${ids.clients}, ${posts[0]!}, ${decisions[0]!}, 'other', 'resolved', now())`,
    sql`insert into randomized_experiments (client_id, decision_id, predicted_mode, actual_mode) values (${ids.clients}, ${decisions[0]!}, 'helpful', 'engagement')`,
  );
  return { posts, decisions };
}

/** Every row of the tables a post purge touches, for these posts, as JSON (timestamps included). */
async function postRows(clientId: string, posts: string[]) {
  const list = sql`${`{${posts.join(',')}}`}::uuid[]`;
  const [rows] = await asSystem(sql`
    select jsonb_build_object(
      'posts', (select jsonb_agg(to_jsonb(p) order by p.id) from posts p where p.client_id = ${clientId} and p.id = any (${list})),
      'decisions', (select jsonb_agg(to_jsonb(d) order by d.id) from decisions d where d.client_id = ${clientId} and d.post_id = any (${list})),
      'competitive_mentions', (select jsonb_agg(to_jsonb(m) order by m.id) from competitive_mentions m where m.client_id = ${clientId} and m.post_id = any (${list})),
      'escalations', (select jsonb_agg(to_jsonb(e) order by e.id) from escalations e where e.client_id = ${clientId} and e.post_id = any (${list})),
      'randomized_experiments', (select jsonb_agg(to_jsonb(r) order by r.id) from randomized_experiments r
                                 where r.client_id = ${clientId} and r.decision_id in (select id from decisions where post_id = any (${list})))) as rows`);
  return rows![0]!.rows as Record<string, Record<string, unknown>[] | null>;
}

async function countWhere(table: string, clientId: string, where = sql`true`): Promise<number> {
  const [rows] = await asSystem(sql`select count(*)::int as n from ${sql.identifier(table)} where client_id = ${clientId} and ${where}`);
  return rows![0]!.n as number;
}

/** The client's archive ledger, without the row every tenant fixture carries. */
async function ledger(ids: FixtureIds) {
  const [rows] = await asSystem(sql`select * from retention_archives
                                    where client_id = ${ids.clients} and id <> ${ids.retention_archives} order by created_at, object_key`);
  return rows as { object_key: string; dataset: string; record_count: number; deleted_rows: number; sha256: string; byte_size: number }[];
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const listed = await bucket.list({ prefix });
  return listed.objects.map((o) => o.key).sort();
}

/** Restores an archive object the way `npm run retention:restore` does: one owner transaction. */
async function restore(key: string) {
  const object = await bucket.get(key);
  const tables = await archiveRows(datasetOfKey(key), await object!.arrayBuffer());
  const db = testDb();
  const results = await db.batch(restoreStatements(tables).map((s) => db.execute(s)) as unknown as [BatchItem<'pg'>, ...BatchItem<'pg'>[]]);
  return results.slice(1).map((r) => (r as { rows: Record<string, unknown>[] }).rows[0]);
}

const prefixOf = async (ids: FixtureIds) => {
  const [rows] = await asSystem(sql`select storage_prefix from clients where id = ${ids.clients}`);
  return rows![0]!.storage_prefix as string;
};

describe('retention of posts and their decisions (90 days)', () => {
  it('archives expired posts to JSON Lines in R2 and deletes exactly what it archived; the archive restores identical rows', async () => {
    const a = await fixtures.create('a');
    const { posts } = await seedPosts(a, 5, 100);
    const before = await postRows(a.clients, posts);
    const prefix = await prefixOf(a);

    const summary = await run([a.clients]);
    expect(summary.errors).toEqual([]);
    expect(summary.records.posts).toBe(5);
    // 5 posts, 5 decisions, 1 mention, 1 escalation, 1 randomized experiment
    expect(summary.deleted_rows).toBe(13);
    expect(await countWhere('posts', a.clients, sql`id = any (${`{${posts.join(',')}}`}::uuid[])`)).toBe(0);

    const [entry] = await ledger(a);
    expect(entry).toMatchObject({ dataset: 'posts', record_count: 5, deleted_rows: 13 });
    const keys = await objectsUnder(`${prefix}retention/posts/`);
    expect(keys).toEqual([entry!.object_key, `${entry!.object_key}.manifest.json`]);
    expect(entry!.object_key).toMatch(/\.jsonl\.gz$/);

    const object = await bucket.get(entry!.object_key);
    const bytes = new Uint8Array(await object!.arrayBuffer());
    expect(await sha256Hex(bytes)).toBe(entry!.sha256);
    const manifest = (await (await bucket.get(`${entry!.object_key}.manifest.json`))!.json()) as Manifest;
    expect(manifest).toMatchObject({ sha256: entry!.sha256, bytes: bytes.byteLength, counts: { posts: 5, decisions: 5, competitive_mentions: 1, escalations: 1, randomized_experiments: 1 } });
    expect([...manifest.ids].sort()).toEqual([...posts].sort());
    const lines = (await gunzip(bytes)).trim().split('\n');
    expect(lines).toHaveLength(5);
    // Archived count equals deleted count, table by table.
    for (const [table, rows] of Object.entries(before)) expect(manifest.counts[table]).toBe(rows?.length ?? 0);

    const restored = await restore(entry!.object_key);
    expect(restored).toEqual(expect.arrayContaining([{ table: 'posts', archived: 5, restored: 5 }]));
    expect(await postRows(a.clients, posts)).toEqual(before);
  });

  it('keeps young posts, posts whose decision has a reply, posts with an open escalation, replies and authors; other clients untouched', async () => {
    const a = await fixtures.create('keep');
    const b = await fixtures.create('other');
    const young = await seedPosts(a, 2, 30);
    const replied = await seedPosts(a, 1, 200);
    await asSystem(sql`insert into replies (client_id, decision_id, content, archetype, platform, utm_code)
                       values (${a.clients}, ${replied.decisions[0]!}, 'A reply that stays forever.', 'checklist', 'twitter', 'utm_a')`);
    const escalated = await seedPosts(a, 1, 200);
    await asSystem(sql`insert into escalations (client_id, post_id, reason) values (${a.clients}, ${escalated.posts[0]!}, 'other')`);
    await seedPosts(b, 3, 200);
    const authorsBefore = await countWhere('authors', a.clients);
    const repliesBefore = await countWhere('replies', a.clients);
    const otherBefore = await dataDigest(b.clients);

    const summary = await run([a.clients]);
    expect(summary.errors).toEqual([]);
    expect(summary.batches).toEqual([]);
    for (const post of [...young.posts, ...replied.posts, ...escalated.posts, a.posts]) {
      expect(await countWhere('posts', a.clients, sql`id = ${post}`)).toBe(1);
    }
    expect(await countWhere('authors', a.clients)).toBe(authorsBefore);
    expect(await countWhere('replies', a.clients)).toBe(repliesBefore);
    expect(await dataDigest(b.clients)).toEqual(otherBefore);
  });

  it('honours a longer period in the client settings (set by the system path)', async () => {
    const c = await fixtures.create('override');
    const kept = await seedPosts(c, 2, 100);
    const expired = await seedPosts(c, 2, 130);
    const res = await call('PATCH', `/v1/clients/${c.clients}`, { token: await systemToken(), body: { settings: { retention: { posts_days: 120 } } } });
    expect(res.status).toBe(200);

    const summary = await run([c.clients]);
    expect(summary.records.posts).toBe(2);
    expect(await countWhere('posts', c.clients, sql`id = any (${`{${kept.posts.join(',')}}`}::uuid[])`)).toBe(2);
    expect(await countWhere('posts', c.clients, sql`id = any (${`{${expired.posts.join(',')}}`}::uuid[])`)).toBe(0);
  });

  it('a failure between the put and the delete, then a rerun: exactly one archive and no expired rows', async () => {
    const a = await fixtures.create('crash');
    const { posts } = await seedPosts(a, 3, 100);
    const prefix = await prefixOf(a);
    // The object is written, then the run dies before its delete (as a Worker past its CPU limit would).
    const failing: ArchiveBucket = {
      get: (key) => bucket.get(key),
      delete: (key) => bucket.delete(key),
      put: async (key, value, options) => {
        await bucket.put(key, value, options);
        if (key.endsWith('.jsonl.gz')) throw new Error('crashed after the put');
      },
    };
    const crashed = await run([a.clients], { bucket: failing });
    expect(crashed.errors).toHaveLength(1);
    expect(crashed.complete).toBe(false);
    expect(await countWhere('posts', a.clients, sql`id = any (${`{${posts.join(',')}}`}::uuid[])`)).toBe(3);
    expect(await bucket.head(markerKey(prefix, 'posts'))).not.toBeNull();

    const rerun = await run([a.clients]);
    expect(rerun.errors).toEqual([]);
    expect(rerun.batches).toMatchObject([{ dataset: 'posts', records: 3, resumed: true }]);
    const archives = (await objectsUnder(`${prefix}retention/posts/`)).filter((k) => k.endsWith('.jsonl.gz'));
    expect(archives).toHaveLength(1);
    expect((await ledger(a)).map((l) => l.object_key)).toEqual(archives);
    expect(await countWhere('posts', a.clients, sql`id = any (${`{${posts.join(',')}}`}::uuid[])`)).toBe(0);
    expect(await bucket.head(markerKey(prefix, 'posts'))).toBeNull();
  });

  it('a failure after the delete committed (the marker left behind): the rerun archives nothing twice', async () => {
    const a = await fixtures.create('late-crash');
    await seedPosts(a, 2, 100);
    const prefix = await prefixOf(a);
    const failing: ArchiveBucket = {
      get: (key) => bucket.get(key),
      put: async (key, value, options) => void (await bucket.put(key, value, options)),
      delete: async (key) => {
        if (key.endsWith('/pending/posts.json')) throw new Error('crashed before the marker was removed');
        await bucket.delete(key);
      },
    };
    expect((await run([a.clients], { bucket: failing })).errors).toHaveLength(1);
    const rerun = await run([a.clients]);
    expect(rerun.errors).toEqual([]);
    expect(rerun.batches).toEqual([]);
    expect(await ledger(a)).toHaveLength(1);
    expect((await objectsUnder(`${prefix}retention/posts/`)).filter((k) => k.endsWith('.jsonl.gz'))).toHaveLength(1);
    expect(await bucket.head(markerKey(prefix, 'posts'))).toBeNull();
  });

  it('does bounded work per run and continues on the next', async () => {
    const a = await fixtures.create('bounded');
    await seedPosts(a, 5, 100);
    const first = await run([a.clients], { maxBatches: 2, batchSize: { posts: 2 } });
    expect(first.records.posts).toBe(4);
    expect(first.complete).toBe(false);
    const second = await run([a.clients], { maxBatches: 2, batchSize: { posts: 2 } });
    expect(second.records.posts).toBe(1);
    expect(second.complete).toBe(true);
  });

  it('writes one audit entry per archived batch, naming the object, and none per purged row', async () => {
    const a = await fixtures.create('audit');
    const { posts } = await seedPosts(a, 4, 100);
    await run([a.clients], { batchSize: { posts: 2 } });
    const [entries] = await asSystem(sql`select entity_type, action, details from audit_logs
                                          where client_id = ${a.clients} and entity_type = 'retention_archives' and entity_id <> ${a.retention_archives} order by created_at`);
    const keys = (await ledger(a)).map((l) => l.object_key);
    expect(keys).toHaveLength(2);
    expect(entries!.map((e) => (e.details as { object_key: string }).object_key).sort()).toEqual([...keys].sort());
    expect(await countWhere('audit_logs', a.clients, sql`action = 'delete' and entity_id = any (${`{${posts.join(',')}}`}::uuid[])`)).toBe(0);
  });
});

describe('retention of KPI metrics (2 years, CSV per quarter) and audit logs (3 years, gzip JSON per year)', () => {
  it('archives whole expired quarters and years, and restores them identically', async () => {
    const a = await fixtures.create('kpi');
    const old = new Date(now.getTime() - 3 * 365 * DAY);
    const quarter = `${old.getUTCFullYear()}-${String(Math.floor(old.getUTCMonth() / 3) * 3 + 1).padStart(2, '0')}`;
    await asSystem(
      sql`insert into kpi_metrics (client_id, date, platform, metric_type, metric_name, value)
          values (${a.clients}, ${`${quarter}-02`}, 'twitter', 'reach', 'impressions, "organic"', 12.5),
                 (${a.clients}, ${`${quarter}-03`}, null, 'engagement', 'replies', 3)`,
    );
    // Audit rows are written by the database only: back-dated here as the owner, as four years of history would be.
    const auditIds = [crypto.randomUUID(), crypto.randomUUID()];
    await testDb().execute(sql`insert into audit_logs (id, client_id, entity_type, entity_id, action, details, created_at)
      values (${auditIds[0]!}, ${a.clients}, 'posts', ${crypto.randomUUID()}, 'insert', '{"content": "old"}', ${ago(4 * 365)}),
             (${auditIds[1]!}, ${a.clients}, 'posts', ${crypto.randomUUID()}, 'delete', '{}', ${ago(4 * 365 - 1)})`);
    const [kpiBefore] = await asSystem(sql`select to_jsonb(k) as row from kpi_metrics k where client_id = ${a.clients} and date <= ${`${quarter}-03`} order by id`);
    const [auditBefore] = await asSystem(sql`select to_jsonb(l) as row from audit_logs l where id = any (${`{${auditIds.join(',')}}`}::uuid[]) order by id`);

    const summary = await run([a.clients], { datasets: ['kpi_metrics', 'audit_logs'] });
    expect(summary.errors).toEqual([]);
    expect(summary.records).toMatchObject({ kpi_metrics: 2, audit_logs: 2 });
    const entries = await ledger(a);
    const kpiKey = entries.find((e) => e.dataset === 'kpi_metrics')!.object_key;
    const auditKey = entries.find((e) => e.dataset === 'audit_logs')!.object_key;
    expect(kpiKey).toMatch(new RegExp(`/retention/kpi_metrics/${old.getUTCFullYear()}-Q${Math.floor(old.getUTCMonth() / 3) + 1}/.+\\.csv\\.gz$`));
    expect(auditKey).toMatch(new RegExp(`/retention/audit_logs/${new Date(ago(4 * 365)).getUTCFullYear()}/.+\\.json\\.gz$`));
    expect(await countWhere('kpi_metrics', a.clients, sql`date <= ${`${quarter}-03`}`)).toBe(0);
    expect(await countWhere('audit_logs', a.clients, sql`id = any (${`{${auditIds.join(',')}}`}::uuid[])`)).toBe(0);
    // The fixture's recent KPI row stays.
    expect(await countWhere('kpi_metrics', a.clients, sql`id = ${a.kpi_metrics}`)).toBe(1);

    const csv = await gunzip(await (await bucket.get(kpiKey))!.arrayBuffer());
    expect(csv.split('\n')[0]).toBe('id,client_id,date,platform,metric_type,metric_name,value,created_at,updated_at');

    await restore(kpiKey);
    await restore(auditKey);
    const [kpiAfter] = await asSystem(sql`select to_jsonb(k) as row from kpi_metrics k where client_id = ${a.clients} and date <= ${`${quarter}-03`} order by id`);
    const [auditAfter] = await asSystem(sql`select to_jsonb(l) as row from audit_logs l where id = any (${`{${auditIds.join(',')}}`}::uuid[]) order by id`);
    expect(kpiAfter).toEqual(kpiBefore);
    expect(auditAfter).toEqual(auditBefore);
  });
});

describe('retention settings and the Cron Trigger', () => {
  it('a tenant cannot write its retention settings; the system path can, within the floors', async () => {
    const a = await fixtures.create('settings');
    for (const role of ['owner', 'admin'] as const) {
      const res = await call('PATCH', '/v1/client', { token: await tokenAs(a, role), body: { settings: { retention: { posts_days: 365 } } } });
      expect(res.status).toBe(422);
      expect(JSON.stringify(await json(res))).toContain('retention');
    }
    const below = await call('PATCH', `/v1/clients/${a.clients}`, { token: await systemToken(), body: { settings: { retention: { posts_days: 7 } } } });
    expect(below.status).toBe(422);
    const set = await call('PATCH', `/v1/clients/${a.clients}`, { token: await systemToken(), body: { settings: { retention: { audit_logs_days: 2000 } } } });
    expect(set.status).toBe(200);
    expect(await json(set)).toMatchObject({ settings: { retention: { audit_logs_days: 2000 } } });
  });

  it('the scheduled handler runs the policy on the system path and records what it archived', async () => {
    const a = await fixtures.create('cron');
    await seedPosts(a, 1, 400);
    await worker.scheduled(createScheduledController({ scheduledTime: now.getTime() + 1000, cron: '17 * * * *' }), env as never);
    for (const entry of await ledger(a)) {
      const head = await bucket.head(entry.object_key);
      expect(head?.customMetadata?.sha256).toBe(entry.sha256);
    }
  });
});
