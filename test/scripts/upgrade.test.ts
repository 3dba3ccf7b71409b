import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_DATABASE_URL, BENCH_JWT_SECRET, buildWorker, localBindings, startWorkerd, type WorkerBuild, type Workerd } from '../../bench/workerd';
import { connect } from '../../scripts/db/connection';
import { applyMigrations, MIGRATIONS_FOLDER } from '../../scripts/db/migrate';
import { seedDatabase } from '../../scripts/db/seed';
import { seedId } from '../../scripts/db/seed-data';
import { mintDevToken } from '../../scripts/dev-token';
import { startNeonLocal } from '../../scripts/neon-local/server';

/**
 * The upgrade a deploy performs: a database at the previous release, holding data, takes this
 * release's migrations; the data stays as it was and this release's Worker answers on it.
 */

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };

/** How many migrations the previous release had: the last git tag's journal, else all but the newest. */
function previousReleaseCount(): { count: number; from: string } {
  const newest = journal.entries.length - 1;
  try {
    const tag = execFileSync('git', ['describe', '--tags', '--abbrev=0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const tagged = JSON.parse(execFileSync('git', ['show', `${tag}:drizzle/meta/_journal.json`], { encoding: 'utf8' })) as { entries: JournalEntry[] };
    // A tag at the newest migration has nothing to upgrade: then test the newest migration alone.
    return { count: Math.min(tagged.entries.length, newest), from: tag };
  } catch {
    return { count: newest, from: 'all but the newest migration' };
  }
}

/** A copy of drizzle/ whose journal stops after `count` migrations (what the previous release shipped). */
function releaseFolder(count: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'previous-release-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

type Snapshot = Record<string, { columns: string[]; rows: string[] }>;

/** Every row of every public table, restricted to `columns` per table when given (the columns that existed before). */
async function snapshot(sql: NeonQueryFunction<false, false>, columns?: Record<string, string[]>): Promise<Snapshot> {
  const [, tables] = (await sql.transaction([
    sql`set local role app_system`,
    sql`select c.table_name as table, array_agg(c.column_name::text order by c.ordinal_position) as columns
        from information_schema.columns c join pg_class t on t.relname = c.table_name and t.relnamespace = 'public'::regnamespace and t.relkind = 'r'
        where c.table_schema = 'public' group by c.table_name order by 1`,
  ])) as [unknown, { table: string; columns: string[] }[]];
  const out: Snapshot = {};
  for (const { table, columns: current } of tables) {
    const wanted = columns?.[table] ?? current;
    const list = wanted.map((name) => `"${name}"`).join(', ');
    const [, rows] = (await sql.transaction([
      sql`set local role app_system`,
      sql.query(`select to_jsonb(r)::text as row from (select ${list} from public."${table}") r order by 1`),
    ])) as [unknown, { row: string }[]];
    out[table] = { columns: wanted, rows: rows.map((r) => r.row) };
  }
  return out;
}

const previous = previousReleaseCount();

describe(`upgrade from the previous release (${previous.from})`, () => {
  let server: Awaited<ReturnType<typeof startNeonLocal>>;
  let sql: NeonQueryFunction<false, false>;
  let folder: string;
  let before: Snapshot;
  let upgraded: Awaited<ReturnType<typeof applyMigrations>>;
  let build: WorkerBuild | undefined;
  let worker: Workerd | undefined;

  beforeAll(async () => {
    server = await startNeonLocal({});
    sql = connect({ databaseUrl: BENCH_DATABASE_URL, fetchEndpoint: server.sqlEndpoint });
    folder = releaseFolder(previous.count);
    await applyMigrations(sql, folder);
    await seedDatabase(sql);
    before = await snapshot(sql);
    upgraded = await applyMigrations(sql);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    build?.remove();
    rmSync(folder, { recursive: true, force: true });
    await server?.close();
  });

  it('applies exactly the migrations the previous release did not have', () => {
    expect(upgraded.applied).toEqual(journal.entries.slice(previous.count).map((entry) => entry.tag));
    expect(upgraded.alreadyApplied).toBe(previous.count);
  });

  it('keeps every row of every table as it was, column for column', async () => {
    const seeded = Object.values(before).reduce((n, table) => n + table.rows.length, 0);
    expect(seeded).toBeGreaterThan(100);
    const after = await snapshot(
      sql,
      Object.fromEntries(Object.entries(before).map(([table, { columns }]) => [table, columns])),
    );
    expect(Object.keys(after)).toEqual(expect.arrayContaining(Object.keys(before)));
    for (const [table, { rows }] of Object.entries(before)) expect({ table, rows: after[table]!.rows }).toEqual({ table, rows });
  });

  it('serves the upgraded database: /health names the newest migration, a tenant reads its seeded data', async () => {
    build = await buildWorker();
    worker = await startWorkerd(build.script, localBindings(server.sqlEndpoint));

    const health = await fetch(`${worker.url}/health`);
    expect(health.status).toBe(200);
    const newest = journal.entries.at(-1)!.tag;
    expect(await health.json()).toMatchObject({ status: 'ok', migrations: { applied: newest, expected: newest, pending: 0 } });

    const token = await mintDevToken(
      { JWT_SECRET: BENCH_JWT_SECRET, NEON_FETCH_ENDPOINT: server.sqlEndpoint, DATABASE_URL: BENCH_DATABASE_URL },
      'vita-wellness',
      'owner',
    );
    const posts = await fetch(`${worker.url}/v1/posts?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(posts.status).toBe(200);
    const body = (await posts.json()) as { data: { id: string }[] };
    const vita = seedId('vita-wellness:client');
    const seededPosts = before.posts!.rows.filter((row) => (JSON.parse(row) as { client_id: string }).client_id === vita).length;
    expect(body.data.length).toBe(seededPosts);
    expect(seededPosts).toBeGreaterThan(0);
  }, 120_000);
});
