import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect, readDevVars } from './db/connection';
import { applyMigrations } from './db/migrate';
import { seedDatabase } from './db/seed';
import { API_PORT, LOCAL_DATA_DIR, LOCAL_DB_PORT } from './dev-config';
import { mintDevToken } from './dev-token';
import { startNeonLocal } from './neon-local/server';

/**
 * `npm run dev`: the local Neon-compatible database (persisted in .data/), migrations, seed data,
 * then `wrangler dev` pointed at that database. Ctrl-C stops both.
 */
async function main() {
  if (!existsSync('.dev.vars')) {
    copyFileSync('.dev.vars.example', '.dev.vars');
    console.log('Created .dev.vars from .dev.vars.example');
  }
  mkdirSync(dirname(LOCAL_DATA_DIR), { recursive: true });

  const db = await startNeonLocal({ dataDir: LOCAL_DATA_DIR, port: LOCAL_DB_PORT });
  console.log(`Local database: ${db.url} (data in ${LOCAL_DATA_DIR})`);
  const databaseUrl = readDevVars().DATABASE_URL ?? 'postgresql://app:app@localhost/neondb';
  const sql = connect({ databaseUrl, fetchEndpoint: db.sqlEndpoint });
  const { applied } = await applyMigrations(sql);
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Migrations: up to date');
  const seeded = await seedDatabase(sql);
  console.log(`Seed data: ${seeded.clients} clients (idempotent, safe to re-run with npm run db:seed)`);

  const wrangler = spawn(
    'wrangler',
    ['dev', '--ip', '127.0.0.1', '--port', String(API_PORT), '--var', `NEON_FETCH_ENDPOINT:${db.sqlEndpoint}`],
    { stdio: ['inherit', 'inherit', 'inherit'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (wrangler.exitCode === null) {
      wrangler.kill('SIGINT');
      await new Promise((resolve) => wrangler.once('exit', resolve));
    }
    await db.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  wrangler.on('exit', (code) => void stop(code ?? 0));

  const base = `http://127.0.0.1:${API_PORT}`;
  if (await waitForHealth(`${base}/health`, 90_000)) {
    const token = await mintDevToken({ ...readDevVars(), NEON_FETCH_ENDPOINT: db.sqlEndpoint }, 'vita-wellness', 'owner');
    console.log(
      [
        '',
        `API ready at ${base}  (OpenAPI: ${base}/openapi.json, reference: ${base}/docs)`,
        `Review desk: ${base}/desk  (sign in as a seeded member)`,
        '',
        'Development token (owner of the seeded client vita-wellness, valid 12 h):',
        `  export TOKEN=${token}`,
        '',
        'Try:',
        `  curl ${base}/health`,
        `  curl -H "Authorization: Bearer $TOKEN" ${base}/v1/brand-kits`,
        '',
        'Other tokens: npm run -s token -- --client northwind-coffee --role viewer   (roles: owner admin editor viewer service system)',
        '',
      ].join('\n'),
    );
  } else if (!stopping) {
    console.error(`The API did not answer ${base}/health within 90 s; see wrangler's output above.`);
  }
}

async function waitForHealth(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

main().catch((error: unknown) => {
  console.error(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
