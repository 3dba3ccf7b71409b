import { spawn } from 'node:child_process';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { connect } from '../scripts/db/connection';
import { applyMigrations } from '../scripts/db/migrate';
import { seedDatabase } from '../scripts/db/seed';
import { mintDevToken } from '../scripts/dev-token';
import { startNeonLocal } from '../scripts/neon-local/server';
import { freePort } from './worker-process';
import { BENCH_DATABASE_URL, BENCH_JWT_SECRET, buildWorker, localBindings, ROOT, startWorkerd, type WorkerBuild } from './workerd';

/** The local database server, in this process or in one of its own. */
export interface LocalDb {
  sqlEndpoint: string;
  /** SQL-over-HTTP requests received so far (one per driver call, single or batch). */
  requests(): Promise<number>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Open the Worker's isolate to the DevTools protocol (bench/profile.ts). */
  inspect?: boolean;
  /** Run the database server in a process of its own (`npm run db:server`), away from the load generator. */
  dbProcess?: boolean;
  /** Bindings of the Worker beyond the local ones (bench/workerd.ts `localBindings`). */
  bindings?: Record<string, string>;
}

export interface Stack {
  db: LocalDb;
  /** The driver from Node, straight to the local database. */
  sql: NeonQueryFunction<false, false>;
  /** The built Worker bundle (run it again with `startWorkerd`). */
  build: WorkerBuild;
  /** The Worker in workerd, against the local database. */
  api: string;
  /** Its DevTools protocol endpoint, when started with `inspect`. */
  inspector: string | undefined;
  /** Bearer token of the seeded owner of `vita-wellness`. */
  token: string;
  /** `Authorization` and JSON content type for API calls. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

async function startDb(latencyMs: number, ownProcess: boolean): Promise<LocalDb> {
  if (!ownProcess) {
    const server = await startNeonLocal({ latencyMs });
    return { sqlEndpoint: server.sqlEndpoint, requests: async () => server.stats().requests, close: () => server.close() };
  }
  const port = await freePort();
  const child = spawn('tsx', ['scripts/neon-local/cli.ts', '--memory', '--port', String(port), '--latency-ms', String(latencyMs)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ; ) {
    if (child.exitCode !== null) throw new Error(`the database server exited with ${child.exitCode}`);
    if (await fetch(`${url}/_neon_local/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error('the database server did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    sqlEndpoint: `${url}/sql`,
    requests: async () => ((await (await fetch(`${url}/_neon_local/stats`)).json()) as { requests: number }).requests,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The bench's stack: an in-memory local database (migrated, seeded, with `latencyMs` of simulated
 * edge→region latency on every request) and the Worker, built as deployed, in workerd.
 */
export async function startStack(latencyMs: number, options: StackOptions = {}): Promise<Stack> {
  const db = await startDb(latencyMs, options.dbProcess ?? false);
  const sql = connect({ databaseUrl: BENCH_DATABASE_URL, fetchEndpoint: db.sqlEndpoint });
  await applyMigrations(sql);
  await seedDatabase(sql);
  const token = await mintDevToken(
    { JWT_SECRET: BENCH_JWT_SECRET, NEON_FETCH_ENDPOINT: db.sqlEndpoint, DATABASE_URL: BENCH_DATABASE_URL },
    'vita-wellness',
    'owner',
  );
  const build = await buildWorker();
  const worker = await startWorkerd(build.script, { ...localBindings(db.sqlEndpoint), ...options.bindings }, options);
  return {
    db,
    sql,
    build,
    api: worker.url,
    inspector: worker.inspector,
    token,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    close: async () => {
      await worker.stop();
      build.remove();
      await db.close();
    },
  };
}

/** A JSON API call that must succeed: the parsed body. */
export async function call<T = unknown>(stack: Stack, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.api}${path}`, {
    method,
    headers: stack.headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}
