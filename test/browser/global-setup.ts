import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from '../../scripts/db/connection';
import { applyMigrations } from '../../scripts/db/migrate';
import { seedDatabase } from '../../scripts/db/seed';
import { startNeonLocal } from '../../scripts/neon-local/server';

const ROOT = resolve(import.meta.dirname, '../..');
const DATABASE_URL = 'postgresql://app:app@localhost/neondb';
/** Test-only signing key of the Worker under wrangler dev (provided to tests as `apiJwtSecret`). */
const JWT_SECRET = 'browser-test-secret-0123456789abcdef0123456789';
const READY_TIMEOUT_MS = 90_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/**
 * The local stack as `npm run dev` builds it, with nothing of the developer's: an in-memory
 * database with the real migrations and the development seed, then `wrangler dev` (the installed
 * one) on free loopback ports, so the pages are served exactly as a developer sees them, static
 * assets (wrangler.toml `[assets]`) included. Every binding the Worker reads is given with `--var`,
 * and `--env-file` names an empty file, which stops wrangler from reading the developer's
 * `.dev.vars` or `.env` at all; state goes to a temporary directory, not `.wrangler/state`.
 * Nothing here needs the network beyond the loopback (metrics are off; wrangler's update check
 * gives up on its own).
 */
export default async function setup(project: TestProject) {
  const scratch = mkdtempSync(join(tmpdir(), 'edge-data-api-browser-'));
  const db = await startNeonLocal({});
  let wrangler: ChildProcess | undefined;

  const teardown = async () => {
    if (wrangler) await stop(wrangler);
    await db.close();
    rmSync(scratch, { recursive: true, force: true });
  };

  try {
    const sql = connect({ databaseUrl: DATABASE_URL, fetchEndpoint: db.sqlEndpoint });
    await applyMigrations(sql);
    await seedDatabase(sql);

    const emptyEnvFile = join(scratch, 'empty.env');
    writeFileSync(emptyEnvFile, '');
    const port = await freePort();
    const vars = {
      ENVIRONMENT: 'development',
      DATABASE_URL,
      NEON_FETCH_ENDPOINT: db.sqlEndpoint,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
    };
    const args = [
      'dev',
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--inspector-ip', '127.0.0.1',
      '--inspector-port', String(await freePort()),
      '--env-file', emptyEnvFile,
      '--persist-to', join(scratch, 'state'),
      '--show-interactive-dev-session=false',
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ];
    const output: string[] = [];
    wrangler = spawn(join(ROOT, 'node_modules/.bin/wrangler'), args, {
      cwd: ROOT,
      // Its own process group: teardown ends wrangler and the workerd it started, and nothing else.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    });
    for (const stream of [wrangler.stdout!, wrangler.stderr!]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));

    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(`${baseUrl}/health`, wrangler, () => output.join(''));

    project.provide('apiBaseUrl', baseUrl);
    project.provide('apiSqlEndpoint', db.sqlEndpoint);
    project.provide('apiJwtSecret', JWT_SECRET);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

async function waitForHealth(url: string, wrangler: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null || wrangler.signalCode !== null) {
      throw new Error(`wrangler dev exited (${wrangler.exitCode ?? wrangler.signalCode}) before ${url} answered:\n${output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error); // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${last}); wrangler dev said:\n${output()}`);
}

/** SIGTERM to wrangler's process group, SIGKILL if it is still there after 10 s; resolves once wrangler has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const group = -child.pid;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  // workerd is in the same group; make sure nothing of it outlives wrangler.
  signal('SIGKILL');
}
