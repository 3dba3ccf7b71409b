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
 * Applies the pending migrations of `drizzle/`, each as ONE transaction (a Neon batch):
 * a failing statement leaves neither half a migration nor its journal row behind.
 * The journal is drizzle's own `drizzle.__drizzle_migrations`, so drizzle-kit agrees on
 * what is applied. An advisory lock serialises concurrent runs (two CI jobs, say).
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
