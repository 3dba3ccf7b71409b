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

/** Starts one in-memory database for the run, applies the real migrations, hands the endpoint to the Worker. */
export default async function setup(project: TestProject) {
  const db = await startNeonLocal({});
  await applyMigrations(connect({ databaseUrl: 'postgresql://app:app@localhost/neondb', fetchEndpoint: db.sqlEndpoint }));

  const stalled = createServer(() => {
    /* never answers */
  });
  const stalledPort = await listen(stalled);
  const closed = createServer();
  const unreachablePort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));

  project.provide('neonSqlEndpoint', db.sqlEndpoint);
  project.provide('neonLocalUrl', db.url);
  project.provide('stalledSqlEndpoint', `http://127.0.0.1:${stalledPort}/sql`);
  project.provide('unreachableSqlEndpoint', `http://127.0.0.1:${unreachablePort}/sql`);

  return async () => {
    stalled.closeAllConnections();
    await new Promise((resolve) => stalled.close(resolve));
    await db.close();
  };
}
