/**
 * Work whose client has gone, and statement time. Neon cancels the query of a client that
 * disconnects and Postgres ends a statement at statement_timeout; the server runs one request at
 * a time, so without both one abandoned or runaway request would hold up every later one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { startNeonLocal, type NeonLocalServer } from '../../scripts/neon-local/server.js';
import { caught, driverFor, until } from './helpers.js';

describe('a client that has gone', () => {
  let server: NeonLocalServer;
  let sql: NeonQueryFunction<false, false>;

  beforeAll(async () => {
    server = await startNeonLocal();
    sql = driverFor(server);
    await sql`CREATE TABLE gone (id int)`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('never has its queued request run: the INSERT behind a slow request does not land', async () => {
    sql = driverFor(server);
    server.resetStats();
    const slow = sql`SELECT pg_sleep(2)`.then(() => 'finished');
    await until(() => server.stats().requests === 1);
    const client = new AbortController();
    const abandoned = sql.query('INSERT INTO gone VALUES (1)', [], { fetchOptions: { signal: client.signal } }).catch((error: unknown) => error);
    await until(() => server.stats().requests === 2); // received, waiting behind the slow one
    client.abort();
    expect(await abandoned).toMatchObject({ message: expect.stringContaining('abort') });
    expect(await slow).toBe('finished');
    expect(await sql`SELECT count(*)::int AS n FROM gone`).toEqual([{ n: 0 }]);
    // The slow SELECT and the count reached Postgres; the INSERT never did.
    expect(server.stats()).toEqual({ requests: 3, queries: 2 });
  });

  it('has its batch stopped between statements and rolled back', async () => {
    sql = driverFor(server);
    server.resetStats();
    const client = new AbortController();
    const abandoned = sql
      .transaction([sql`INSERT INTO gone VALUES (1)`, sql`SELECT pg_sleep(2)`, sql`INSERT INTO gone VALUES (2)`], {
        fetchOptions: { signal: client.signal },
      })
      .catch((error: unknown) => error);
    await until(() => server.stats().queries >= 2); // the first INSERT ran, the sleep is running
    client.abort();
    await abandoned;
    expect(await sql`SELECT count(*)::int AS n FROM gone`).toEqual([{ n: 0 }]);
    expect(server.stats().queries).toBe(3); // INSERT, pg_sleep and the count: the second INSERT never ran
  });
});

describe('statement_timeout', () => {
  let dataDir: string;
  let server: NeonLocalServer;
  let sql: NeonQueryFunction<false, false>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'neon-local-timeout-'));
    server = await startNeonLocal({ dataDir, statementTimeoutMs: 500 });
    sql = driverFor(server);
    await sql`CREATE TABLE kept (id int)`;
    await sql`INSERT INTO kept VALUES (1)`;
  });

  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is what every request starts with', async () => {
    sql = driverFor(server);
    expect(await sql`SHOW statement_timeout`).toEqual([{ statement_timeout: '500ms' }]);
  });

  it('ends a longer statement with 57014; the database reopens with its committed data', { timeout: 120_000 }, async () => {
    sql = driverFor(server);
    const started = performance.now();
    const error = await caught(() => sql.transaction([sql`INSERT INTO kept VALUES (2)`, sql`SELECT pg_sleep(10)`]));
    expect(error).toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' });
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(await sql`SELECT id FROM kept`).toEqual([{ id: 1 }]);
    expect(await sql`SELECT current_user`).toEqual([{ current_user: 'neondb_owner' }]);
  });

  it("follows a request's own setting (here longer than the server's)", async () => {
    sql = driverFor(server);
    const [, slept] = await sql.transaction([sql`SET LOCAL statement_timeout = '10s'`, sql`SELECT pg_sleep(1) AS slept`]);
    expect(slept).toEqual([{ slept: '' }]);
  });

  it('in memory: lets an overrunning statement finish and rolls it back; stops a runaway one, losing the database', { timeout: 120_000 }, async () => {
    const memory = await startNeonLocal({ statementTimeoutMs: 1000 });
    try {
      const memorySql = driverFor(memory);
      await memorySql`CREATE TABLE kept (id int)`;
      // Done before twice the timeout: the database survives, the transaction is rolled back.
      const overrun = await caught(() => memorySql.transaction([memorySql`INSERT INTO kept VALUES (1)`, memorySql`SELECT pg_sleep(1.4)`]));
      expect(overrun).toMatchObject({ code: '57014' });
      expect(await memorySql`SELECT count(*)::int AS n FROM kept`).toEqual([{ n: 0 }]);
      // Still running at twice the timeout: stopped, and the in-memory database with it.
      expect(await caught(() => memorySql`SELECT pg_sleep(30)`)).toMatchObject({ code: '57014' });
      expect((await caught(() => memorySql`SELECT 1`)).message).toMatch(/HTTP status 500.*in-memory database was lost/);
    } finally {
      await memory.close();
    }
  });
});
