import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../scripts/db/connection';
import { applyMigrations } from '../../scripts/db/migrate';
import { seedDatabase } from '../../scripts/db/seed';
import { startNeonLocal } from '../../scripts/neon-local/server';

const run = promisify(execFile);
const DATABASE_URL = 'postgresql://app:app@localhost/neondb';
let server: Awaited<ReturnType<typeof startNeonLocal>>;

beforeAll(async () => {
  server = await startNeonLocal({});
  const sql = connect({ databaseUrl: DATABASE_URL, fetchEndpoint: server.sqlEndpoint });
  await applyMigrations(sql);
  await seedDatabase(sql);
}, 120_000);
afterAll(async () => {
  await server.close();
});

/** `npm run db:sql -- …` as a user runs it, against the test server. */
async function console_(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('node_modules/.bin/tsx', ['scripts/db/sql.ts', ...args], {
      env: { ...process.env, DATABASE_URL, NEON_FETCH_ENDPOINT: server.sqlEndpoint },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('npm run db:sql', () => {
  it('runs a statement as the owner, seeing every client', async () => {
    const { stdout, code } = await console_('select count(distinct client_id)::int as clients from brand_kits');
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ clients │/);
    expect(stdout).toMatch(/│\s*0\s*│\s*2\s*│/);
  });

  it('runs a statement as a chosen tenant, under row-level security', async () => {
    const { stdout, code } = await console_('--client', 'vita-wellness', 'select count(distinct client_id)::int as clients from brand_kits');
    expect(code).toBe(0);
    expect(stdout).toMatch(/│\s*0\s*│\s*1\s*│/);
    const write = await console_('--client', 'vita-wellness', "update clients set slug = 'taken' returning id");
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/error 42501/);
  });

  it('says which client is unknown', async () => {
    const { stderr, code } = await console_('--client', 'no-such-client', 'select 1');
    expect(code).not.toBe(0);
    expect(stderr).toContain('no client with slug "no-such-client"');
  });
});
