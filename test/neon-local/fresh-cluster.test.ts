import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetFreshCluster, freshCluster, freshClusterFile } from '../../scripts/neon-local/fresh-cluster.js';
import { startNeonLocal, type NeonLocalServer } from '../../scripts/neon-local/server.js';
import { driverFor } from './helpers';

const started: NeonLocalServer[] = [];
async function start(): Promise<NeonLocalServer> {
  const server = await startNeonLocal();
  started.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** What a fresh database shows a request: who it runs as, what it may do, and that it holds nothing yet. */
async function freshState(server: NeonLocalServer) {
  const sql = driverFor(server);
  const [who] = await sql`select current_user as "user", (select rolsuper from pg_roles where rolname = current_user) as superuser`;
  const [tables] = await sql`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
                             where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`;
  const [extensions] = await sql`select string_agg(extname, ',' order by extname) as names from pg_extension`;
  return { who, tables, extensions };
}

describe('an in-memory server starts from a kept fresh cluster', () => {
  it('keeps the cluster initdb made (forgetting one that does not start, removing those of other builds), and a server started from it is as fresh as one from initdb', { timeout: 120_000 }, async () => {
    await forgetFreshCluster();
    await writeFile(await freshClusterFile(), 'not a data directory');
    // One kept for another build (another install of PGlite): removed when this build keeps its own.
    const otherBuild = join(dirname(await freshClusterFile()), 'fresh-cluster-0123456789abcdef.tar');
    await writeFile(otherBuild, 'a cluster of another build');
    const fromInitdb = await start();
    await expect(access(otherBuild), 'the other build\'s cluster removed').rejects.toThrow();
    expect(await freshCluster(), 'kept after the start').toBeDefined();
    expect((await readFile(await freshClusterFile())).byteLength, 'the unusable one replaced').toBeGreaterThan(1_000_000);
    const fromCopy = await start();
    expect(await freshState(fromCopy)).toEqual(await freshState(fromInitdb));
    expect(await freshState(fromCopy)).toMatchObject({ who: { user: 'neondb_owner', superuser: false }, tables: { n: 0 }, extensions: { names: 'plpgsql' } });
  });

  it('gives every server its own copy: what one writes, another does not see', { timeout: 120_000 }, async () => {
    const [first, second] = [await start(), await start()];
    await driverFor(first)`create table only_here (id int)`;
    await driverFor(first)`create extension vector`;
    expect(await freshState(second)).toMatchObject({ tables: { n: 0 }, extensions: { names: 'plpgsql' } });
    expect((await freshState(first)).extensions).toEqual({ names: 'plpgsql,vector' });
  });
});
