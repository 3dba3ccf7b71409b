import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { connect } from '../scripts/db/connection';
import { applyMigrations } from '../scripts/db/migrate';
import { startNeonLocal } from '../scripts/neon-local/server';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Starts one in-memory database per lane (WORKER_LANES in vitest.config.ts: a workerd runtime each,
 * running its files one at a time), applies the real migrations to each, and hands the endpoints to
 * the runtimes. A lane's round-trip counts and row cleanups see only its own files.
 */
export default async function setup(project: TestProject) {
  const lanes = Number(process.env.WORKER_LANES);
  if (!Number.isInteger(lanes) || lanes < 1) throw new Error('global-setup: WORKER_LANES (set by vitest.config.ts) is not a lane count');
  const databases = await Promise.all(Array.from({ length: lanes }, () => startNeonLocal({})));
  // One after the other: the driver's fetch endpoint is process-wide configuration.
  for (const db of databases) {
    await applyMigrations(connect({ databaseUrl: 'postgresql://app:app@localhost/neondb', fetchEndpoint: db.sqlEndpoint }));
  }

  const stalled = createServer(() => {
    /* never answers */
  });
  const stalledPort = await listen(stalled);
  const closed = createServer();
  const unreachablePort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));

  project.provide('neonSqlEndpoints', databases.map((db) => db.sqlEndpoint));
  project.provide('stalledSqlEndpoint', `http://127.0.0.1:${stalledPort}/sql`);
  project.provide('unreachableSqlEndpoint', `http://127.0.0.1:${unreachablePort}/sql`);

  return async () => {
    stalled.closeAllConnections();
    await new Promise((resolve) => stalled.close(resolve));
    await Promise.all(databases.map((db) => db.close()));
  };
}
