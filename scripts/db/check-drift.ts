import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MIGRATIONS_FOLDER } from './migrate';

/**
 * Fails when the Drizzle schema and `drizzle/` disagree: runs `drizzle-kit generate` and
 * checks that it wrote nothing. Whatever it wrote is removed again, so the tree is unchanged.
 */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(full, readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

const before = snapshot(MIGRATIONS_FOLDER);
const run = spawnSync('drizzle-kit', ['generate', '--name', 'schema_drift'], { encoding: 'utf8', shell: false });
const after = snapshot(MIGRATIONS_FOLDER);

const changed = [...after.keys()].filter((file) => before.get(file) !== after.get(file));
for (const file of changed) {
  const original = before.get(file);
  if (original === undefined) rmSync(file);
  else writeFileSync(file, original);
}

if (run.status !== 0) {
  console.error(run.stdout, run.stderr);
  console.error('schema drift check: drizzle-kit generate failed');
  process.exit(1);
}
if (changed.length > 0) {
  console.error(run.stdout);
  console.error(
    `schema drift: src/db/schema and drizzle/ disagree (generate would write ${changed
      .map((file) => relative(process.cwd(), file))
      .join(', ')}). Run \`npm run db:generate\` and commit the migration.`,
  );
  process.exit(1);
}
console.log('schema drift check: drizzle/ matches src/db/schema');
