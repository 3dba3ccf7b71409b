import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { connect, targetFromEnv } from './connection';

export const MIGRATIONS_FOLDER = resolve(import.meta.dirname, '../../drizzle');

interface JournalEntry {
  when: number;
  tag: string;
}

/**
 * ANALYZE of every table the connecting role owns (or is a member of the owner of), in one
 * statement: planner statistics current after a schema change or a bulk load, as Neon's
 * autovacuum would soon make them. Catalogs are left to the database.
 */
export async function analyzeTables(sql: NeonQueryFunction<false, false>): Promise<string[]> {
  const rows = (await sql`
    SELECT format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'm') AND n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'
      AND pg_has_role(c.relowner, 'USAGE')
    ORDER BY 1`) as { name: string }[];
  const tables = rows.map((row) => row.name);
  if (tables.length > 0) await sql.query(`ANALYZE ${tables.join(', ')}`);
  return tables;
}

/**
 * Applies the pending migrations of `drizzle/`, each as ONE transaction (a Neon batch):
 * a failing statement leaves neither half a migration nor its journal row behind.
 * The journal is drizzle's own `drizzle.__drizzle_migrations`, so drizzle-kit agrees on
 * what is applied. An advisory lock serialises concurrent runs (two CI jobs, say). When any
 * was applied, the tables are analyzed (`analyzeTables`).
 */
export async function applyMigrations(
  sql: NeonQueryFunction<false, false>,
  folder = MIGRATIONS_FOLDER,
): Promise<{ applied: string[]; alreadyApplied: number }> {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  const tags = new Map(journal.entries.map((entry) => [entry.when, entry.tag]));
  const migrations = readMigrationFiles({ migrationsFolder: folder });

  await sql.transaction([
    sql`CREATE SCHEMA IF NOT EXISTS drizzle`,
    sql`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
  ]);
  const rows = (await sql`SELECT max(created_at) AS last FROM drizzle.__drizzle_migrations`) as { last: string | null }[];
  const last = rows[0]?.last == null ? -1 : Number(rows[0].last);

  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.folderMillis <= last) continue;
    const statements = migration.sql.map((statement) => statement.trim()).filter((statement) => statement.length > 0);
    await sql.transaction([
      sql`SELECT pg_advisory_xact_lock(hashtext('drizzle.__drizzle_migrations'))`,
      ...statements.map((statement) => sql.query(statement)),
      sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${migration.hash}, ${migration.folderMillis})`,
    ]);
    applied.push(tags.get(migration.folderMillis) ?? String(migration.folderMillis));
  }
  if (applied.length > 0) await analyzeTables(sql);
  return { applied, alreadyApplied: migrations.length - applied.length };
}

async function main() {
  const target = targetFromEnv();
  const { applied, alreadyApplied } = await applyMigrations(connect(target));
  console.log(
    applied.length === 0
      ? `migrations: up to date (${alreadyApplied} applied)`
      : `migrations: applied ${applied.join(', ')} (${alreadyApplied} were already applied)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`migrations failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
