/**
 * Requests run as Neon's owner role, `neondb_owner`, not as PGlite's superuser: what needs a
 * superuser fails as it does on Neon, and a request cannot get back to the superuser.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { startNeonLocal, type NeonLocalServer } from '../../scripts/neon-local/server.js';
import { caught, driverFor } from './helpers.js';

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  server = await startNeonLocal();
  sql = driverFor(server);
});

afterAll(async () => {
  await server?.close();
});

describe('the owner role', () => {
  it("is Neon's: no superuser; creates roles and databases, bypasses RLS, owns the database", async () => {
    expect(
      await sql`
        SELECT current_user, session_user, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
               pg_has_role('neon_superuser', 'member') AS neon_superuser,
               (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) AS database_owner
        FROM pg_roles r WHERE r.rolname = current_user`,
    ).toEqual([
      {
        current_user: 'neondb_owner',
        session_user: 'neondb_owner',
        rolsuper: false,
        rolcreaterole: true,
        rolcreatedb: true,
        rolbypassrls: true,
        neon_superuser: true,
        database_owner: 'neondb_owner',
      },
    ]);
  });

  it.each([
    ['ALTER SYSTEM', `ALTER SYSTEM SET work_mem = '8MB'`],
    ['a superuser role', 'CREATE ROLE intruder SUPERUSER'],
    ['skipping triggers (session_replication_role)', 'SET session_replication_role = replica'],
    ['reading server files', `SELECT pg_read_file('PG_VERSION')`],
    ['writing server files', `COPY (SELECT 1) TO '/tmp/neon-local-copy'`],
  ])('cannot do what needs a superuser: %s (42501, as on Neon)', async (_, statement) => {
    expect(await caught(() => sql.query(statement))).toMatchObject({ code: '42501' });
  });

  it('does what the migrations do: extension, roles, role switch, owning what it creates', async () => {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`;
    await sql`CREATE ROLE app_probe NOLOGIN`;
    await sql`GRANT app_probe TO current_user`;
    await sql`CREATE TABLE probe (id int, embedding vector(2))`;
    await sql`GRANT SELECT ON probe TO app_probe`;
    expect(await sql.transaction([sql`SET LOCAL ROLE app_probe`, sql`SELECT current_user, count(*)::int AS n FROM probe`])).toEqual([
      [],
      [{ current_user: 'app_probe', n: 0 }],
    ]);
    expect(
      await sql`SELECT (SELECT extowner::regrole::text FROM pg_extension WHERE extname = 'vector') AS extension,
                       (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'probe'::regclass) AS "table"`,
    ).toEqual([{ extension: 'neondb_owner', table: 'neondb_owner' }]);
  });
});

describe('no way back to the superuser', () => {
  it('SET ROLE to the superuser is refused', async () => {
    expect(await caught(() => sql`SET ROLE postgres`)).toMatchObject({ code: '42501' });
  });

  it('SET SESSION AUTHORIZATION is refused, as for any non-superuser', async () => {
    expect(await caught(() => sql`SET SESSION AUTHORIZATION postgres`)).toMatchObject({ code: '42501' });
    expect(await sql`SELECT current_user, session_user`).toEqual([{ current_user: 'neondb_owner', session_user: 'neondb_owner' }]);
  });

  it('a batch that switches the session to the superuser fails before its next statement, and is rolled back', async () => {
    const error = await caught(() =>
      sql.transaction([
        sql`CREATE TABLE escaped (id int)`,
        sql`SELECT set_config('session_authorization', 'postgres', false)`,
        sql`CREATE ROLE intruder SUPERUSER`,
      ]),
    );
    expect(error).toMatchObject({ code: '42501', message: 'permission denied to set session authorization "postgres"' });
    expect(await sql`SELECT to_regclass('escaped') AS escaped, to_regrole('intruder') AS intruder`).toEqual([{ escaped: null, intruder: null }]);
  });
});

describe('a data directory written by the superuser before', () => {
  it('is adopted by the owner role: its objects, and ADMIN on its roles', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'neon-local-legacy-'));
    try {
      // What the server used to leave behind: everything owned by PGlite's superuser.
      const before = await PGlite.create(dataDir);
      await before.exec(`
        CREATE ROLE app_reader NOLOGIN;
        GRANT app_reader TO postgres;
        CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('ok');
        CREATE TABLE app.notes (id serial PRIMARY KEY, mood app.mood);
        CREATE FUNCTION app.one() RETURNS int LANGUAGE sql AS 'SELECT 1';
        GRANT USAGE ON SCHEMA app TO app_reader;
        GRANT SELECT ON app.notes TO app_reader;`);
      await before.close();

      const legacy = await startNeonLocal({ dataDir });
      try {
        const legacySql = driverFor(legacy);
        expect(
          await legacySql`
            SELECT (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'app') AS schema,
                   (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'app.notes'::regclass) AS "table",
                   (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'app.notes_id_seq'::regclass) AS sequence,
                   (SELECT typowner::regrole::text FROM pg_type WHERE oid = 'app.mood'::regtype) AS type,
                   (SELECT proowner::regrole::text FROM pg_proc WHERE oid = 'app.one()'::regprocedure) AS function`,
        ).toEqual([{ schema: 'neondb_owner', table: 'neondb_owner', sequence: 'neondb_owner', type: 'neondb_owner', function: 'neondb_owner' }]);
        // The owner changes what it now owns and switches to the old role, as requests do.
        expect(
          await legacySql.transaction([
            legacySql`ALTER TABLE app.notes ADD COLUMN note text`,
            legacySql`SET LOCAL ROLE app_reader`,
            legacySql`SELECT count(*)::int AS n FROM app.notes`,
          ]),
        ).toEqual([[], [], [{ n: 0 }]]);
      } finally {
        await legacy.close();
        driverFor(server);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
