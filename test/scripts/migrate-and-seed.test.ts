import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../scripts/db/connection';
import { applyMigrations, MIGRATIONS_FOLDER } from '../../scripts/db/migrate';
import { seedDatabase } from '../../scripts/db/seed';
import { startNeonLocal } from '../../scripts/neon-local/server';

type Server = Awaited<ReturnType<typeof startNeonLocal>>;
let server: Server;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  server = await startNeonLocal({});
  sql = connect({ databaseUrl: 'postgresql://app:app@localhost/neondb', fetchEndpoint: server.sqlEndpoint });
});
afterAll(async () => {
  await server.close();
});

async function tableCounts(): Promise<Record<string, number>> {
  const [, rows] = (await sql.transaction([
    sql`set local role app_system`,
    sql`select relname as table, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', relname), false, true, '')))[1]::text::int as n
        from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace order by relname`,
  ])) as [unknown, { table: string; n: number }[]];
  return Object.fromEntries(rows.map((r) => [r.table, r.n]));
}

describe('migrations', () => {
  it('build an empty database from drizzle/ alone, and are a no-op the second time', async () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const first = await applyMigrations(sql);
    expect(first.applied).toEqual(journal.entries.map((e) => e.tag));
    const second = await applyMigrations(sql);
    expect(second).toEqual({ applied: [], alreadyApplied: journal.entries.length });
    const [ext] = (await sql`select extversion from pg_extension where extname = 'vector'`) as { extversion: string }[];
    expect(ext?.extversion).toBeTruthy();
  });

  it('apply each migration atomically: a failing one leaves nothing behind and is not recorded', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalPath = join(folder, 'meta/_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[] };
      const last = journal.entries.at(-1)!;
      journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken' });
      writeFileSync(journalPath, JSON.stringify(journal));
      writeFileSync(
        join(folder, '9999_broken.sql'),
        'CREATE TABLE half_done (id int);\n--> statement-breakpoint\nSELECT no_such_function();\n',
      );
      await expect(applyMigrations(sql, folder)).rejects.toThrow(/no_such_function/);
      const [exists] = (await sql`select to_regclass('public.half_done') is not null as present`) as { present: boolean }[];
      expect(exists?.present).toBe(false);
      const [recorded] = (await sql`select count(*)::int as n from drizzle.__drizzle_migrations where created_at = ${last.when + 1000}`) as { n: number }[];
      expect(recorded?.n).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('development seed', () => {
  it('loads clients, catalog, knowledge, runs and the engagement pipeline, and is idempotent', async () => {
    await applyMigrations(sql);
    const first = await seedDatabase(sql);
    expect(first.clients).toBeGreaterThanOrEqual(2);
    const afterFirst = await tableCounts();
    expect(afterFirst).toMatchObject({
      clients: 2,
      authors: 30, // 5 per platform per client
      skills: expect.any(Number),
    });
    for (const table of ['memberships', 'brand_kits', 'knowledge_chunks', 'runs', 'outputs', 'feedback', 'posts', 'decisions', 'replies', 'experiments', 'competitors', 'kpi_metrics', 'escalations', 'community_champions']) {
      expect(afterFirst[table], table).toBeGreaterThan(0);
    }
    expect(afterFirst.skills).toBeGreaterThanOrEqual(20);
    const [states] = (await sql.transaction([
      sql`set local role app_system`,
      sql`select array_agg(distinct approval_status::text order by approval_status::text) as s from replies`,
    ])).slice(1) as [{ s: string[] }[]];
    expect(states[0]!.s).toEqual(['approved', 'pending', 'posted', 'rejected']);

    await seedDatabase(sql);
    expect(await tableCounts()).toEqual(afterFirst);
  });

  it('refreshes every field of a catalog skill on a re-run (seed 002: upsert on name), keeping its id', async () => {
    await applyMigrations(sql);
    await seedDatabase(sql);
    const read = async () =>
      ((await sql.transaction([sql`set local role app_system`, sql`select id, name, description, trigger_keywords from skills order by name limit 1`]))[1] as {
        id: string;
        name: string;
        description: string;
        trigger_keywords: string[];
      }[])[0]!;
    const seeded = await read();
    await sql.transaction([
      sql`set local role app_system`,
      sql`update skills set description = 'stale definition', trigger_keywords = '{stale}' where id = ${seeded.id}`,
    ]);
    expect((await read()).description).toBe('stale definition');
    await seedDatabase(sql);
    expect(await read()).toEqual(seeded);
  });
});
