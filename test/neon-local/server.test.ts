import { spawn } from 'node:child_process';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neon, neonConfig, type NeonQueryFunction } from '@neondatabase/serverless';
import { startNeonLocal, type NeonLocalServer } from '../../scripts/neon-local/server.js';
import { CONNECTION_STRING, caught, driverFor, startWithDriver, until } from './helpers.js';

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  ({ server, sql } = await startWithDriver());
});

afterAll(async () => {
  await server?.close();
});

describe('stats', () => {
  it('counts one request per driver call and every statement run', async () => {
    driverFor(server);
    server.resetStats();
    expect(server.stats()).toEqual({ requests: 0, queries: 0 });

    await sql`SELECT 1`;
    expect(server.stats()).toEqual({ requests: 1, queries: 1 });

    await sql.transaction([sql`SELECT 1`, sql`SELECT 2`, sql`SELECT 3`]);
    expect(server.stats()).toEqual({ requests: 2, queries: 4 });

    await caught(() => sql`SELECT nope`);
    expect(server.stats()).toEqual({ requests: 3, queries: 5 });

    // A failing batch stops at the failing statement.
    await caught(() => sql.transaction([sql`SELECT 1`, sql`SELECT 1/0`, sql`SELECT 3`]));
    expect(server.stats()).toEqual({ requests: 4, queries: 7 });
  });

  it('exposes stats over HTTP without counting control requests', async () => {
    driverFor(server);
    const reset = await fetch(`${server.url}/_neon_local/stats/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(server.stats()).toEqual({ requests: 0, queries: 0 });

    await sql`SELECT 1`;
    await sql.transaction([sql`SELECT 1`, sql`SELECT 2`]);
    const health = await fetch(`${server.url}/_neon_local/health`);
    expect(health.status).toBe(200);
    const stats = await fetch(`${server.url}/_neon_local/stats`);
    expect(await stats.json()).toEqual({ requests: 2, queries: 3 });
    expect(await (await fetch(`${server.url}/_neon_local/stats`)).json()).toEqual({ requests: 2, queries: 3 });
  });
});

describe('session state', () => {
  it('does not leak SET, temp tables or advisory locks between requests (Neon resets pooled sessions)', async () => {
    driverFor(server);
    await sql`SET TIME ZONE 'America/New_York'`;
    await sql`CREATE TEMP TABLE scratch (x int)`;
    await sql`SELECT pg_advisory_lock(42)`;
    expect(await sql`SELECT current_setting('TimeZone') AS tz`).toEqual([{ tz: 'UTC' }]);
    expect((await caught(() => sql`SELECT * FROM scratch`))['code']).toBe('42P01');
    expect(await sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`).toEqual([{ n: 0 }]);
  });
});

describe('latency option', () => {
  it('delays each /sql response by at least latencyMs', async () => {
    const slow = await startNeonLocal({ latencyMs: 150 });
    try {
      const slowSql = driverFor(slow);
      const started = performance.now();
      await slowSql`SELECT 1`;
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);

      // close() waits for a request that is still in flight.
      // (Driver queries are lazy: .then() sends the request.)
      const pending = slowSql`SELECT 'finished' AS status`.then((rows) => rows);
      while (slow.stats().requests < 2) await new Promise((r) => setTimeout(r, 5));
      await slow.close();
      expect(await pending).toEqual([{ status: 'finished' }]);
    } finally {
      await slow.close();
    }
  });
});

describe('persistence', () => {
  it('keeps data in dataDir across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'neon-local-test-'));
    try {
      const first = await startNeonLocal({ dataDir });
      const firstSql = driverFor(first);
      await firstSql`CREATE EXTENSION vector`;
      await firstSql`CREATE TABLE kept (id int PRIMARY KEY, note text, v vector(2))`;
      await firstSql`INSERT INTO kept VALUES (1, ${'survives restart'}, '[1,2]')`;
      await first.close();

      const second = await startNeonLocal({ dataDir });
      try {
        const secondSql = driverFor(second);
        expect(await secondSql`SELECT id, note, v FROM kept`).toEqual([{ id: 1, note: 'survives restart', v: '[1,2]' }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('CLI', () => {
  it('prints the listening line, serves queries and exits cleanly on SIGTERM', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/neon-local/cli.ts', '--port', '0', '--memory'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const line = await new Promise<string>((resolveLine, reject) => {
        createInterface({ input: child.stdout }).once('line', resolveLine);
        void exited.then((code) => reject(new Error(`cli exited early (${code}): ${stderr}`)));
      });
      const match = /^neon-local listening on (http:\/\/127\.0\.0\.1:(\d+)) \(data: memory\)$/.exec(line);
      expect(match, line).not.toBeNull();
      const url = match?.[1] ?? '';
      neonConfig.fetchEndpoint = `${url}/sql`;
      expect(await neon(CONNECTION_STRING)`SELECT 40 + 2 AS answer`).toEqual([{ answer: 42 }]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

/** The processes `pid` started that are still running (Linux: /proc/PID/task/TID/children). */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => []);
  const lists = await Promise.all(tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
}

const isRunning = (pid: number) => readFile(`/proc/${pid}/cmdline`, 'utf8').then((cmdline) => cmdline.length > 0, () => false);

async function pgliteProcessesOf(pid: number): Promise<number[]> {
  const children = await childrenOf(pid);
  const cmdlines = await Promise.all(children.map((child) => readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')));
  return children.filter((_, i) => cmdlines[i]!.includes('pglite-process.mjs'));
}

// Several PGlite instances in threads of one process race V8's registry of code pages, and Node then
// aborts the whole process (nodejs/node#64500); one PGlite per process has nothing to race.
describe('PGlite process', () => {
  it('runs each database in a process of its own, ended when the server closes', async () => {
    const before = await pgliteProcessesOf(process.pid);
    const servers = await Promise.all([startNeonLocal({}), startNeonLocal({})]);
    try {
      const started = (await pgliteProcessesOf(process.pid)).filter((pid) => !before.includes(pid));
      expect(started).toHaveLength(2);
      for (const each of servers) expect(await driverFor(each)`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      await Promise.all(servers.map((each) => each.close()));
      for (const pid of started) expect(await isRunning(pid)).toBe(false);
    } finally {
      await Promise.all(servers.map((each) => each.close().catch(() => {})));
    }
  });

  it('lets a script that closes its server end at once, with code 0', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const script = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "const { startNeonLocal } = await import('./scripts/neon-local/server.ts'); const server = await startNeonLocal({}); await server.close(); console.log('closed');"],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    script.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    script.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolveExit) => script.once('exit', resolveExit));
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'closed' });
  });

  it('ends when the process of its server dies without closing it', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const host = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', "import('./scripts/neon-local/server.ts').then(({ startNeonLocal }) => startNeonLocal({})).then(() => { console.log('up'); setInterval(() => {}, 1000); })"],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolveUp, reject) => {
        createInterface({ input: host.stdout! }).once('line', () => resolveUp());
        host.once('exit', (code) => reject(new Error(`the server's process exited early (${code})`)));
      });
      const [pglite] = await pgliteProcessesOf(host.pid!);
      expect(pglite).toBeDefined();
      host.kill('SIGKILL');
      let gone = false;
      const poll = setInterval(() => void isRunning(pglite!).then((running) => (gone = !running)), 20);
      try {
        await until(() => gone, 10_000);
      } finally {
        clearInterval(poll);
      }
    } finally {
      if (host.exitCode === null) host.kill('SIGKILL');
    }
  });
});
