import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { z } from '@hono/zod-openapi';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { and, eq, is, SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/neon-http';
import { connect } from '../scripts/db/connection';
import { applyMigrations } from '../scripts/db/migrate';
import { startNeonLocal, type AnalyzeEvent } from '../scripts/neon-local/server';
import { signAccessToken } from '../src/auth/tokens';
import type { Database } from '../src/db/client';
import { authorizeStatement, systemPrelude, tenantPrelude, type TenantAccess } from '../src/db/context';
import { posts } from '../src/db/schema';
import { upsertAuthorsCte, type AuthorInput } from '../src/engagement/authors.queries';
import { batchPostIds, ingestPosts, type IngestSummary } from '../src/engagement/posts.queries';
import type { BulkPostsSchema } from '../src/engagement/posts.schemas';
import { loadEnv } from '../src/env';
import { keyset, toPage } from '../src/lib/pagination';
import { summarize } from './stats';
import { startWorker } from './worker-process';
import { BENCH_DATABASE_URL, BENCH_JWT_SECRET } from './workerd';

/**
 * Ingest at scale (figures, not pass/fail): one tenant grown to `posts` posts and `authors`
 * authors through `POST /v1/posts/bulk`, half of every batch's posts from authors already known;
 * a first ingest against a re-ingest from known authors; known-author upserts by size
 * (`POST /v1/authors/bulk`); the share of a bulk write's database time spent in the audit
 * triggers; and the plans of the hot statements on the grown tenant. Records
 * bench/results/ingest.json (`npm run bench -- --only ingest`, or `npm exec -- tsx bench/ingest.ts
 * [--posts 100000] [--authors 30000] [--via worker|sql] [--parts reingest,upserts,audit,plans]`).
 *
 * Requests go through the Worker (`wrangler dev`, as `npm run dev` runs it) to the local database,
 * which analyzes a table once a request has changed more of it than autoanalyze's threshold, as
 * Neon's autovacuum does (`--autoanalyze false`: the stand-in as it was). `--via sql` sends the
 * handlers' own statements in the API's batch (tenant context, access check) from Node instead,
 * with a 60 s deadline (`--deadline-ms`), to measure code slower than the Worker's DB_TIMEOUT_MS
 * allows. The audit share and the plans are measured on the SQL path either way: EXPLAIN (ANALYZE)
 * of the ingest statement under the tenant's context, audited or not (owner path, see
 * `explainIngest`).
 */

export interface IngestBenchOptions {
  posts: number;
  authors: number;
  /** Posts per request. */
  batch: number;
  /** Repetitions of each comparison (medians are recorded). */
  repeats: number;
  /** Batch sizes of the known-author upsert (`POST /v1/authors/bulk`). */
  knownSizes: number[];
  via: 'worker' | 'sql';
  /** The statement deadline of `via: 'sql'` (the Worker's is its DB_TIMEOUT_MS). */
  deadlineMs: number;
  /** What to measure after the growth (all by default). */
  parts: Part[];
  /** The local server's autoanalyze (off: the stand-in as it was, statistics never gathered). */
  autoanalyze: boolean;
  log: (line: string) => void;
}

const PARTS = ['reingest', 'upserts', 'audit', 'plans'] as const;
type Part = (typeof PARTS)[number];

const DEFAULTS: IngestBenchOptions = {
  posts: 100_000,
  authors: 30_000,
  batch: 1_000,
  repeats: 9,
  knownSizes: [100, 200, 500, 1_000],
  via: 'worker',
  deadlineMs: 60_000,
  parts: [...PARTS],
  autoanalyze: true,
  log: (line) => console.log(line),
};

/** What bench/worker-process.ts gives `wrangler dev`. */
const PLATFORM = 'twitter';
/** The audit triggers of the tables a bulk ingest writes. */
const AUDITED = [
  { table: 'authors', triggers: ['audit_insert', 'audit_update'] },
  { table: 'posts', triggers: ['audit_insert'] },
];

type BulkPosts = z.infer<typeof BulkPostsSchema>;
type PostInput = BulkPosts['posts'][number];
type Rows = Record<string, unknown>[];

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => summarize(xs).p50_ms;

/** A first sighting sends every field; a later one refreshes the handle and follower count only. */
function authorOf(k: number, sighting = 0): AuthorInput {
  const base = { platform_id: String(1_000_000_000 + k), handle: `user_${k}`, follower_count: 100 + (k % 5_000) + sighting };
  return sighting === 0 ? { ...base, display_name: `User ${k}`, is_verified: k % 50 === 0 } : base;
}

const FILLER = ' Tried magnesium, a dark room and no screens after nine; still awake at three most nights. Any ideas?';

function postOf(n: number, author: AuthorInput): PostInput {
  return {
    platform_post_id: String(9_000_000_000 + n),
    author,
    content: `Post ${n}: anything that actually helps with insomnia?${FILLER}`,
    keyword_matches: ['insomnia'],
    keyword_categories: ['problem'],
    raw_metrics: { likes: n % 97, reposts: n % 13 },
  };
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await action();
  return { value, ms: performance.now() - started };
}

/** One transaction; the rows of each statement (SQL, or a query builder's statement). */
async function batch(db: Database, statements: (SQL | BatchItem<'pg'>)[]): Promise<Rows[]> {
  const items = statements.map((s) => (is(s, SQL) ? db.execute(s) : s)) as unknown as [BatchItem<'pg'>, ...BatchItem<'pg'>[]];
  const results = await db.batch(items);
  return results.map((r) => (Array.isArray(r) ? r : ((r as { rows?: unknown[] }).rows ?? [])) as Rows);
}

/** The SQL `POST /v1/authors/bulk` sends (src/engagement/authors.handlers.ts). */
const authorsBulkQuery = (clientId: string, authors: AuthorInput[]) =>
  sql`with ${upsertAuthorsCte(clientId, PLATFORM, authors)} select id, platform_id, inserted from upserted_authors`;

interface Tenant {
  clientId: string;
  userId: string;
}

async function createTenant(db: Database, label: string): Promise<Tenant> {
  const tenant = { clientId: crypto.randomUUID(), userId: crypto.randomUUID() };
  const slug = `bench-${label}-${tenant.clientId.slice(0, 8)}`;
  await batch(db, [
    ...systemPrelude(),
    sql`insert into users (id, email) values (${tenant.userId}, ${`${slug}@bench.example`})`,
    sql`insert into clients (id, name, slug, storage_prefix) values (${tenant.clientId}, ${`Bench ${label}`}, ${slug}, ${`clients/${slug}/`})`,
    sql`insert into memberships (client_id, user_id, role) values (${tenant.clientId}, ${tenant.userId}, 'editor')`,
  ]);
  return tenant;
}

/** Sends the two bulk requests of the API: through the Worker, or their SQL in the API's batch. */
interface Api {
  posts(input: BulkPosts): Promise<{ inserted: number; authors_updated: number }>;
  authors(authors: AuthorInput[]): Promise<{ updated: number }>;
}

/**
 * Times one request once the database is idle. The local server analyzes after a request that
 * changed a table enough, before it takes the next; Neon's autovacuum works beside the requests,
 * so a request here waits for it first (a round trip of its own, not timed).
 */
function timer(client: NeonQueryFunction<false, false>) {
  return async <T>(action: () => Promise<T>) => {
    await client`select 1`;
    return timed(action);
  };
}
type Timer = ReturnType<typeof timer>;

async function workerApi(url: string, tenant: Tenant): Promise<Api> {
  const config = loadEnv({ ENVIRONMENT: 'development', DATABASE_URL: BENCH_DATABASE_URL, JWT_SECRET: BENCH_JWT_SECRET });
  const { token } = await signAccessToken(config, { kind: 'user', subject: tenant.userId, clientId: tenant.clientId, role: 'editor' }, 12 * 3600);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as never;
  };
  return {
    posts: (input) => post('/v1/posts/bulk', input),
    authors: (authors) => post('/v1/authors/bulk', { platform: PLATFORM, authors }),
  };
}

function access(tenant: Tenant): TenantAccess {
  return { clientId: tenant.clientId, userId: tenant.userId, role: 'editor', kind: 'user', allowed: ['owner', 'admin', 'editor', 'service'] };
}

/** The API's tenant batch: context with the request deadline, role switch, access check, then `statements`. */
const tenantBatch = (tenant: Tenant, timeoutMs: number, statements: (SQL | BatchItem<'pg'>)[]) => [
  ...tenantPrelude(access(tenant), timeoutMs),
  authorizeStatement(access(tenant)),
  ...statements,
];

function sqlApi(db: Database, tenant: Tenant, timeoutMs: number): Api {
  const run = async (statements: SQL[]) => (await batch(db, tenantBatch(tenant, timeoutMs, statements))).slice(3);
  return {
    async posts(input) {
      const [summary] = await run([ingestPosts(db, tenant.clientId, input).getSQL(), batchPostIds(db, tenant.clientId, input).getSQL()]);
      const result = summary![0] as IngestSummary;
      return { inserted: result.inserted_posts?.length ?? 0, authors_updated: result.authors_updated };
    },
    async authors(authors) {
      const [rows] = await run([authorsBulkQuery(tenant.clientId, authors)]);
      return { updated: rows!.filter((r) => !r.inserted).length };
    },
  };
}

/** The next author and post numbers. */
interface Counters {
  authors: number;
  posts: number;
}

/** The posts of one growth batch: half by authors new in it, half by authors of earlier batches (refreshed). */
function growthBatch(index: number, size: number, newAuthors: number, next: Counters): BulkPosts {
  const known = next.authors;
  next.authors += newAuthors;
  const list = Array.from({ length: size }, (_, j) => {
    const fresh = j < size / 2 || known === 0;
    const k = fresh ? known + (j % newAuthors) : (index * 7_919 + j * 104_729) % known;
    return postOf(next.posts++, fresh ? authorOf(k) : authorOf(k, index));
  });
  return { platform: PLATFORM, posts: list };
}

/** `count` distinct authors of the first `pool` (pool ≥ count), from `offset` on. */
const knownAuthors = (count: number, offset: number, pool: number, sighting: number) =>
  Array.from({ length: count }, (_, i) => authorOf((offset + i) % pool, sighting));

/** `size` new posts, each by a distinct author: new ones, or known ones (seen before) refreshed. */
function distinctAuthorsBatch(size: number, next: Counters, knownFrom?: { pool: number; offset: number; sighting: number }): BulkPosts {
  const authors = knownFrom
    ? knownAuthors(size, knownFrom.offset, knownFrom.pool, knownFrom.sighting)
    : Array.from({ length: size }, () => authorOf(next.authors++));
  return { platform: PLATFORM, posts: authors.map((author) => postOf(next.posts++, author)) };
}

function tenths(ms: number[]) {
  const tenth = Math.max(1, Math.floor(ms.length / 10));
  const first = summarize(ms.slice(0, tenth));
  const last = summarize(ms.slice(-tenth));
  return {
    first_tenth: first,
    last_tenth: last,
    last_to_first_p50: round(last.p50_ms / first.p50_ms),
    last_to_first_mean: round(last.mean_ms / first.mean_ms),
  };
}

async function grow(api: Api, time: Timer, o: IngestBenchOptions, next: Counters) {
  const batches = Math.ceil(o.posts / o.batch);
  const newAuthors = Math.ceil(o.authors / batches);
  const ms: number[] = [];
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    const input = growthBatch(b, o.batch, newAuthors, next);
    const { value, ms: elapsed } = await time(() => api.posts(input));
    if (value.inserted !== input.posts.length) throw new Error(`batch ${b}: ${value.inserted} of ${input.posts.length} posts inserted`);
    ms.push(elapsed);
    if ((b + 1) % 10 === 0 || b === batches - 1) {
      o.log(`  batch ${b + 1}/${batches}: ${next.posts} posts, ${next.authors} authors; last 10 p50 ${median(ms.slice(-10))} ms`);
    }
  }
  const shape = tenths(ms);
  return {
    batches,
    posts: next.posts,
    authors: next.authors,
    posts_per_batch: o.batch,
    new_authors_per_batch: newAuthors,
    seconds: round((performance.now() - started) / 1000, 1),
    ...shape,
    goal: 'last tenth ≤ 1.5× first tenth (p50)',
    met: shape.last_to_first_p50 <= 1.5,
    batch_ms: ms.map((x) => Math.round(x)),
  };
}

const counts = (r: { inserted: number; authors_updated: number }) => `${r.inserted} posts inserted, ${r.authors_updated} authors updated`;

/** A first ingest (1,000 new authors) against the same batch sent again and against 1,000 new posts by known authors. */
async function reingest(api: Api, time: Timer, o: IngestBenchOptions, next: Counters, pool: number) {
  const first: number[] = [];
  const resent: number[] = [];
  const known: number[] = [];
  for (let r = 0; r < o.repeats; r++) {
    const input = distinctAuthorsBatch(o.batch, next);
    first.push((await time(() => api.posts(input))).ms);
    const again = await time(() => api.posts(input));
    if (again.value.inserted !== 0 || again.value.authors_updated !== o.batch) throw new Error(`re-sent batch: ${counts(again.value)}`);
    resent.push(again.ms);
    const byKnown = distinctAuthorsBatch(o.batch, next, { pool, offset: r * 1_009, sighting: 1_000 + r });
    const fromKnown = await time(() => api.posts(byKnown));
    if (fromKnown.value.authors_updated !== o.batch) throw new Error(`known authors batch: ${counts(fromKnown.value)}`);
    known.push(fromKnown.ms);
  }
  const [f, s, k] = [summarize(first), summarize(resent), summarize(known)];
  const result = {
    posts_per_request: o.batch,
    first_ingest: f,
    resend_same_batch: s,
    new_posts_by_known_authors: k,
    resend_to_first_p50: round(s.p50_ms / f.p50_ms),
    known_to_first_p50: round(k.p50_ms / f.p50_ms),
    goal: 're-ingest from 1,000 known authors ≤ 1.5× a first ingest (p50)',
    met: false,
  };
  result.met = Math.max(result.resend_to_first_p50, result.known_to_first_p50) <= 1.5;
  o.log(`  first ingest p50 ${f.p50_ms} ms | same batch again ${s.p50_ms} ms (${result.resend_to_first_p50}×) | new posts by known authors ${k.p50_ms} ms (${result.known_to_first_p50}×)`);
  return result;
}

/** `POST /v1/authors/bulk` of n known authors, by n. */
async function knownUpserts(api: Api, time: Timer, o: IngestBenchOptions, pool: number) {
  const results = [];
  for (const n of o.knownSizes) {
    const samples: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      const authors = knownAuthors(n, r * 3_001, pool, 2_000 + r);
      const { value, ms } = await time(() => api.authors(authors));
      if (value.updated !== n) throw new Error(`known authors: ${value.updated} of ${n} updated`);
      samples.push(ms);
    }
    const latency = summarize(samples);
    results.push({ authors: n, latency, ms_per_author_p50: round(latency.p50_ms / n, 3) });
    o.log(`  ${n} known authors: p50 ${latency.p50_ms} ms (${round(latency.p50_ms / n, 3)} ms per author)`);
  }
  return results;
}

const auditTriggers = (action: 'enable' | 'disable') =>
  AUDITED.map(({ table, triggers }) => sql.raw(`alter table ${table} ${triggers.map((t) => `${action} trigger ${t}`).join(', ')}`));

interface ExplainJson {
  'Execution Time': number;
  Triggers?: { 'Trigger Name': string; Relation: string; Time?: number; Calls: number }[];
}

/**
 * The least any audit trail of one row per changed row costs in this table: the audit function
 * replaced by one that writes each row's bare identity (no jsonb, no diff, empty details).
 */
const BARE_AUDIT_FUNCTION = `CREATE OR REPLACE FUNCTION app_private.audit_capture() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action)
  SELECT n.client_id, TG_TABLE_NAME, n.id, lower(TG_OP)::public.audit_action FROM new_rows n;
  RETURN NULL;
END
$$`;

/** How the ingest statement is audited in a measurement. */
type Audit = 'audited' | 'unaudited' | 'bare rows';

/**
 * The ingest statement under the tenant's context, run by EXPLAIN (ANALYZE): its database time
 * with every trigger. The owner path changes the audit in the same transaction and puts it back
 * after the write: the audit triggers disabled ('unaudited'), or the function replaced by the bare
 * one ('bare rows'; `restore` is the current definition).
 */
async function explainIngest(db: Database, tenant: Tenant, input: BulkPosts, audit: Audit, restore: string, timing = false): Promise<ExplainJson> {
  const statement = sql`explain (analyze, timing ${sql.raw(timing ? 'on' : 'off')}, format json) ${ingestPosts(db, tenant.clientId, input).getSQL()}`;
  const owner = {
    audited: { before: [], after: [] },
    unaudited: { before: auditTriggers('disable'), after: auditTriggers('enable') },
    'bare rows': { before: [sql.raw(BARE_AUDIT_FUNCTION)], after: [sql.raw(restore)] },
  }[audit];
  const after = owner.after.length > 0 ? [sql.raw('reset role'), ...owner.after] : [];
  const results = await batch(db, [...owner.before, ...tenantBatch(tenant, 120_000, [statement]), ...after]);
  const plan = results[owner.before.length + 3]![0]!['QUERY PLAN'];
  return (typeof plan === 'string' ? JSON.parse(plan) : plan)[0] as ExplainJson;
}

async function auditShare(db: Database, tenant: Tenant, o: IngestBenchOptions, next: Counters, pool: number) {
  const [definition] = await batch(db, [sql`select pg_get_functiondef('app_private.audit_capture()'::regprocedure) as def`]);
  const restore = String(definition![0]!.def);
  const scenarios = [
    { name: '1,000 new posts by 1,000 new authors', make: () => distinctAuthorsBatch(o.batch, next) },
    { name: 'growth batch: 500 posts by new authors, 500 by known ones', make: (r: number) => growthBatch(1_000 + r, o.batch, 300, next) },
    { name: '1,000 new posts by 1,000 known authors', make: (r: number) => distinctAuthorsBatch(o.batch, next, { pool, offset: 17 + r * 2_003, sighting: 3_000 + r }) },
  ];
  const arms: Audit[] = ['audited', 'unaudited', 'bare rows'];
  const results = [];
  for (const scenario of scenarios) {
    const samples = new Map<Audit, number[]>(arms.map((arm) => [arm, []]));
    for (let r = 0; r < o.repeats; r++) {
      for (const [i, arm] of arms.entries()) {
        samples.get(arm)!.push((await explainIngest(db, tenant, scenario.make(arms.length * r + i), arm, restore))['Execution Time']);
      }
    }
    const [audited, unaudited, bare] = arms.map((arm) => median(samples.get(arm)!)) as [number, number, number];
    const result = {
      scenario: scenario.name,
      audited_ms: audited,
      unaudited_ms: unaudited,
      bare_rows_ms: bare,
      audit_share: round(1 - unaudited / audited),
      bare_rows_share: round(1 - unaudited / bare),
    };
    results.push(result);
    o.log(
      `  ${scenario.name}: ${audited} ms audited, ${unaudited} ms without audit → audit ${Math.round(100 * result.audit_share)}%; ` +
        `bare audit rows ${bare} ms → ${Math.round(100 * result.bare_rows_share)}%`,
    );
  }
  const timedRun = await explainIngest(db, tenant, scenarios[1]!.make(99), 'audited', restore, true);
  return {
    method:
      'Execution Time of EXPLAIN (ANALYZE, TIMING OFF) of the API ingest statement under the tenant context (triggers included), ' +
      `median of ${o.repeats}: audited; with the audit triggers of authors and posts disabled in the same transaction (owner path); ` +
      'and with the audit function replaced in the same transaction by one that writes bare rows (client, entity, action: the ' +
      'least an audit row per changed row costs in audit_logs, with its indexes and foreign key). Every run writes new posts to the grown tenant.',
    scenarios: results,
    /** 1,000 new posts by known authors ÷ by new authors, audited (the re-ingest comparison in database time). */
    known_to_first: round(results[2]!.audited_ms / results[0]!.audited_ms),
    goal: 'audit ≤ 35% of the database time of a bulk write',
    met: Math.max(...results.map((r) => r.audit_share)) <= 0.35,
    trigger_breakdown_one_growth_batch: {
      execution_ms: round(timedRun['Execution Time']),
      triggers: (timedRun.Triggers ?? []).map((t) => ({ trigger: t['Trigger Name'], table: t.Relation, ms: round(t.Time ?? 0), calls: t.Calls })),
    },
  };
}

/** Index names a text plan uses, and the tables it reads whole. */
function planFacts(plan: string) {
  const indexes = new Set<string>();
  const seqScans = new Set<string>();
  for (const match of plan.matchAll(/(?:Index (?:Only )?Scan (?:Backward )?using|Bitmap Index Scan on) (\S+)/g)) indexes.add(match[1]!);
  for (const match of plan.matchAll(/Conflict Arbiter Indexes: (.+)/g)) for (const name of match[1]!.split(', ')) indexes.add(name.trim());
  for (const match of plan.matchAll(/Seq Scan on (\S+)/g)) seqScans.add(match[1]!);
  return { indexes: [...indexes], seq_scans: [...seqScans] };
}

async function hotPlans(db: Database, tenant: Tenant, o: IngestBenchOptions, next: Counters, pool: number) {
  const explain = async (name: string, statement: SQL) => {
    const [rows] = (await batch(db, tenantBatch(tenant, 120_000, [sql`explain (analyze, buffers off) ${statement}`]))).slice(3);
    const plan = rows!.map((r) => String(r['QUERY PLAN'])).join('\n');
    o.log(`\n  EXPLAIN ANALYZE — ${name}\n${plan.replace(/^/gm, '    ')}`);
    return { statement: name, ...planFacts(plan), plan };
  };
  const newestFirst = (where: SQL | undefined) => {
    const page = keyset(posts.detectedAt, posts.id, undefined);
    return db.select().from(posts).where(and(eq(posts.clientId, tenant.clientId), where)).orderBy(...page.orderBy);
  };
  /** GET /v1/posts as the handler builds it (src/engagement/posts.handlers.ts): a page of 20 after `cursor`. */
  const list = (cursor: string | undefined, platform?: typeof PLATFORM) =>
    newestFirst(and(platform ? eq(posts.platform, platform) : undefined, keyset(posts.detectedAt, posts.id, cursor).where)).limit(21);
  /** The cursor a page ending at the `offset`-th newest post hands out. */
  const cursorAt = async (offset: number) => {
    const [rows] = (await batch(db, tenantBatch(tenant, 120_000, [newestFirst(undefined).offset(offset).limit(2) as unknown as BatchItem<'pg'>]))).slice(3);
    return toPage(rows as (typeof posts.$inferSelect)[], 1, (r) => [r.detectedAt, r.id], (r) => r).next_cursor ?? undefined;
  };
  const [second, deep] = [await cursorAt(19), await cursorAt(Math.floor(next.posts / 2))];
  const input = growthBatch(2_000, o.batch, 300, next);
  const known = knownAuthors(o.batch, 5, pool, 4_000);
  const fresh = distinctAuthorsBatch(o.batch, next);
  return [
    await explain('post list, first page (GET /v1/posts?limit=20)', list(undefined).getSQL()),
    await explain('post list, second page (keyset cursor)', list(second).getSQL()),
    await explain(`post list, a page ${Math.floor(next.posts / 2)} posts deep`, list(deep).getSQL()),
    await explain(`post list, a page ${Math.floor(next.posts / 2)} posts deep, platform filter`, list(deep, PLATFORM).getSQL()),
    await explain('bulk ingest (POST /v1/posts/bulk, growth batch)', ingestPosts(db, tenant.clientId, input).getSQL()),
    await explain(`bulk ingest (POST /v1/posts/bulk, ${o.batch} new posts by ${o.batch} new authors)`, ingestPosts(db, tenant.clientId, fresh).getSQL()),
    await explain('ids of the batch (POST /v1/posts/bulk, second statement)', batchPostIds(db, tenant.clientId, input).getSQL()),
    await explain(`author upsert (POST /v1/authors/bulk, ${o.batch} known authors)`, authorsBulkQuery(tenant.clientId, known)),
  ];
}

export async function runIngestBench(options: Partial<IngestBenchOptions> = {}) {
  const o: IngestBenchOptions = { ...DEFAULTS, ...options };
  if (o.authors < Math.max(o.batch, ...o.knownSizes)) throw new Error('--authors must be at least the batch size and every known-author size');
  const analyses: AnalyzeEvent[] = [];
  const server = await startNeonLocal({ autoanalyze: o.autoanalyze, onAnalyze: (event) => analyses.push(event) });
  const client = connect({ databaseUrl: BENCH_DATABASE_URL, fetchEndpoint: server.sqlEndpoint });
  await applyMigrations(client);
  const db = drizzle({ client }) as unknown as Database;
  const worker = o.via === 'worker' ? await startWorker(server.sqlEndpoint) : undefined;
  try {
    const tenant = await createTenant(db, 'ingest');
    const api = worker ? await workerApi(worker.url, tenant) : sqlApi(db, tenant, o.deadlineMs);
    const next: Counters = { authors: 0, posts: 0 };
    o.log(`growing one tenant to ${o.posts} posts and ${o.authors} authors in batches of ${o.batch} (via ${o.via})`);
    const time = timer(client);
    const growth = await grow(api, time, o, next);
    const pool = next.authors;
    const analyzedDuringGrowth = analyses.length;
    o.log(`growth: ${growth.seconds} s; batch p50 first tenth ${growth.first_tenth.p50_ms} ms, last tenth ${growth.last_tenth.p50_ms} ms (${growth.last_to_first_p50}×)`);
    const part = async <T>(name: Part, title: string, measure: () => Promise<T>) => {
      if (!o.parts.includes(name)) return undefined;
      o.log(title);
      return measure();
    };
    const reingested = await part('reingest', 're-ingest:', () => reingest(api, time, o, next, pool));
    const upserts = await part('upserts', 'known-author upserts (POST /v1/authors/bulk):', () => knownUpserts(api, time, o, pool));
    const audit = await part('audit', 'audit share of a bulk write (database time):', () => auditShare(db, tenant, o, next, pool));
    const plans = await part('plans', 'plans of the hot statements on the grown tenant:', () => hotPlans(db, tenant, o, next, pool));
    const byTable = new Map<string, { runs: number; ms: number }>();
    for (const a of analyses) {
      const entry = byTable.get(a.table) ?? { runs: 0, ms: 0 };
      byTable.set(a.table, { runs: entry.runs + 1, ms: entry.ms + a.ms });
    }
    return {
      bench: 'ingest',
      recorded_at: new Date().toISOString(),
      node: process.version,
      database: 'local Neon-compatible server on PGlite (Postgres 18, WASM, single-threaded)',
      settings: { posts: o.posts, authors: o.authors, posts_per_batch: o.batch, repeats: o.repeats, via: o.via, autoanalyze: o.autoanalyze, platform: PLATFORM },
      latency:
        (o.via === 'worker' ? 'wall time of one API request through wrangler dev (workerd) from Node' : 'wall time of the API batch sent from Node') +
        ', started once the database is idle (after any ANALYZE the previous request set off)',
      growth,
      reingest: reingested && {
        ...reingested,
        // The same two writes' database time (audited, EXPLAIN ANALYZE), free of the HTTP and Worker noise of a shared machine.
        ...(audit && { database_time_known_to_first: audit.known_to_first }),
      },
      known_author_upserts: upserts,
      audit,
      autoanalyze: {
        during_growth: analyzedDuringGrowth,
        total: analyses.length,
        by_table: Object.fromEntries([...byTable].map(([table, v]) => [table, { runs: v.runs, ms: Math.round(v.ms) }])),
      },
      plans,
    };
  } finally {
    await worker?.stop();
    await server.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string' },
      authors: { type: 'string' },
      batch: { type: 'string' },
      repeats: { type: 'string' },
      'known-sizes': { type: 'string' },
      via: { type: 'string' },
      autoanalyze: { type: 'string' },
      'deadline-ms': { type: 'string' },
      /** e.g. "reingest,audit" (of reingest, upserts, audit, plans); the growth always runs. */
      parts: { type: 'string' },
      out: { type: 'string', default: join(import.meta.dirname, 'results', 'ingest.json') },
    },
  });
  const number = (v: string | undefined, key: keyof IngestBenchOptions) => (v === undefined ? {} : { [key]: Number(v) });
  const record = await runIngestBench({
    ...number(values.posts, 'posts'),
    ...number(values.authors, 'authors'),
    ...number(values.batch, 'batch'),
    ...number(values.repeats, 'repeats'),
    ...number(values['deadline-ms'], 'deadlineMs'),
    ...(values['known-sizes'] ? { knownSizes: values['known-sizes'].split(',').map(Number) } : {}),
    ...(values.via === 'sql' || values.via === 'worker' ? { via: values.via } : {}),
    ...(values.autoanalyze === 'false' ? { autoanalyze: false } : {}),
    ...(values.parts ? { parts: values.parts.split(',').filter((p): p is Part => (PARTS as readonly string[]).includes(p)) } : {}),
  });
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`recorded ${values.out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`ingest bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
