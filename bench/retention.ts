import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { connect } from '../scripts/db/connection';
import { applyMigrations } from '../scripts/db/migrate';
import { createSystemExecutor } from '../src/db/executor';
import { loadEnv } from '../src/env';
import type { ArchiveBucket } from '../src/jobs/retention/archive';
import { DEFAULT_MAX_BATCHES, runRetention } from '../src/jobs/retention/retention';
import { freePort } from './worker-process';
import { BENCH_DATABASE_URL, BENCH_JWT_SECRET, ROOT } from './workerd';

/**
 * The purge of `posts` expired posts (each with a decision) by the retention job, invocation after
 * invocation as the Cron Trigger would run it (default budget: 25 batches of 1,000 posts). Per
 * invocation: posts archived, wall time and the CPU time of the job's own process. The database
 * runs in a process of its own so that figure is the job's (rendering, gzip, SHA-256, the driver),
 * what counts against a Worker's CPU limit; the database's time is in the wall time only. Objects
 * go to an in-memory bucket (R2's own latency is not measured here).
 */
export async function runRetentionBench(options: { posts: number; log?: (line: string) => void }) {
  const log = options.log ?? (() => {});
  const port = await freePort();
  const child = spawn('tsx', ['scripts/neon-local/cli.ts', '--memory', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (const deadline = Date.now() + 60_000; ; ) {
      if (child.exitCode !== null) throw new Error(`the database server exited with ${child.exitCode}`);
      if (await fetch(`${url}/_neon_local/health`).then((r) => r.ok, () => false)) break;
      if (Date.now() > deadline) throw new Error('the database server did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const sql = connect({ databaseUrl: BENCH_DATABASE_URL, fetchEndpoint: `${url}/sql` });
    await applyMigrations(sql);

    const clientId = crypto.randomUUID();
    const authorId = crypto.randomUUID();
    await sql.transaction([
      sql`set local role app_system`,
      sql`insert into clients (id, name, slug, storage_prefix) values (${clientId}, 'Bench retention', 'bench-retention', 'clients/bench-retention/')`,
      sql`insert into authors (id, client_id, platform, platform_id, handle) values (${authorId}, ${clientId}, 'twitter', 'bench-author', 'bench_author')`,
    ]);
    const seeding = Date.now();
    for (let from = 1; from <= options.posts; from += 20_000) {
      const to = Math.min(options.posts, from + 19_999);
      await sql.transaction([
        sql`set local role app_system`,
        sql`insert into posts (client_id, platform, platform_post_id, author_id, content, keyword_matches, raw_metrics, detected_at)
            select ${clientId}, 'twitter', 'bench-' || g, ${authorId},
                   'Expired post ' || g || ': anything that helps with sleep? Tried magnesium and a dark room.',
                   array['sleep', 'magnesium'], jsonb_build_object('likes', g % 50, 'replies', g % 7),
                   now() - interval '100 days' - g * interval '1 second'
            from generate_series(${from}::int, ${to}::int) g`,
        sql`insert into decisions (client_id, post_id, sss_score, ars_score, evs_score, trs_score, composite_score, mode, archetype, signals)
            select client_id, id, 0.6, 0.5, 0.4, 0.7, 0.55, 'helpful', 'checklist', '{"keyword": "sleep"}'
            from posts where client_id = ${clientId} and platform_post_id in (select 'bench-' || g from generate_series(${from}::int, ${to}::int) g)`,
      ]);
    }
    await sql`analyze posts, decisions`;
    log(`retention: ${options.posts} expired posts with decisions loaded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);

    const objects = new Map<string, Uint8Array | string>();
    const bucket: ArchiveBucket = {
      put: async (key, value) => void objects.set(key, value),
      get: async (key) => {
        const value = objects.get(key);
        if (value === undefined) return null;
        const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
        return { arrayBuffer: async () => bytes.slice().buffer };
      },
      delete: async (key) => void objects.delete(key),
    };
    const config = loadEnv({ ENVIRONMENT: 'development', DATABASE_URL: BENCH_DATABASE_URL, NEON_FETCH_ENDPOINT: `${url}/sql`, JWT_SECRET: BENCH_JWT_SECRET, DB_TIMEOUT_MS: '60000' });

    const invocations: { posts: number; deleted_rows: number; batches: number; wall_ms: number; cpu_ms: number; posts_per_s: number; complete: boolean }[] = [];
    for (let i = 0; i < 100; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const summary = await runRetention(createSystemExecutor(config), new Date(), { bucket });
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      if (summary.errors.length > 0) throw new Error(`retention failed: ${JSON.stringify(summary.errors)}`);
      if (summary.batches.length === 0) break;
      const figures = {
        posts: summary.records.posts,
        deleted_rows: summary.deleted_rows,
        batches: summary.batches.length,
        wall_ms: Math.round(wall),
        cpu_ms: Math.round((used.user + used.system) / 1000),
        posts_per_s: Math.round(summary.records.posts / (wall / 1000)),
        complete: summary.complete,
      };
      invocations.push(figures);
      log(`retention: invocation ${i + 1}: ${figures.posts} posts (${figures.deleted_rows} rows) in ${figures.wall_ms} ms, ${figures.cpu_ms} ms CPU, ${figures.posts_per_s} posts/s`);
    }
    const [left] = (await sql`select count(*)::int as n from posts where client_id = ${clientId}`) as { n: number }[];
    const totalPosts = invocations.reduce((n, x) => n + x.posts, 0);
    const totalWall = invocations.reduce((n, x) => n + x.wall_ms, 0);
    const archiveBytes = [...objects.entries()].filter(([key]) => key.endsWith('.jsonl.gz')).reduce((n, [, v]) => n + (typeof v === 'string' ? v.length : v.byteLength), 0);
    return {
      posts: options.posts,
      batch_size: 1000,
      batches_per_invocation: DEFAULT_MAX_BATCHES,
      invocations,
      total: {
        posts_archived: totalPosts,
        rows_deleted: invocations.reduce((n, x) => n + x.deleted_rows, 0),
        posts_left: left?.n ?? null,
        wall_s: Math.round(totalWall / 100) / 10,
        posts_per_s: Math.round(totalPosts / (totalWall / 1000)),
        cpu_ms_per_invocation_max: Math.max(...invocations.map((x) => x.cpu_ms)),
        cpu_ms_per_1000_posts: Math.round((invocations.reduce((n, x) => n + x.cpu_ms, 0) / totalPosts) * 1000),
        archive_objects: [...objects.keys()].filter((key) => key.endsWith('.jsonl.gz')).length,
        archive_bytes_per_post: Math.round(archiveBytes / totalPosts),
      },
      note: 'Local stand-in (PGlite, one request at a time) in its own process; CPU is the job process only; in-memory bucket.',
    };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { posts: { type: 'string', default: '100000' } } });
  console.log(JSON.stringify(await runRetentionBench({ posts: Number(values.posts), log: console.log }), null, 2));
}
