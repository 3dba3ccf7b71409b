import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeonDbError, type NeonQueryFunction } from '@neondatabase/serverless';
import type { NeonLocalServer } from '../../scripts/neon-local/server.js';
import { CONNECTION_STRING, caught, postSql, startWithDriver } from './helpers.js';

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  ({ server, sql } = await startWithDriver());
  await sql`
    CREATE TABLE accounts (
      id int PRIMARY KEY,
      email text NOT NULL CONSTRAINT accounts_email_key UNIQUE,
      balance int NOT NULL CONSTRAINT balance_non_negative CHECK (balance >= 0)
    )`;
  await sql`INSERT INTO accounts VALUES (1, 'a@example.com', 10)`;
});

afterAll(async () => {
  await server?.close();
});

describe('Postgres errors reach app code as NeonDbError with SQLSTATE fields', () => {
  it('unique violation: 23505 with constraint, table, detail', async () => {
    const error = await caught(() => sql`INSERT INTO accounts VALUES (2, ${'a@example.com'}, 0)`);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({
      code: '23505',
      severity: 'ERROR',
      constraint: 'accounts_email_key',
      table: 'accounts',
      schema: 'public',
      detail: 'Key (email)=(a@example.com) already exists.',
      message: 'duplicate key value violates unique constraint "accounts_email_key"',
    });
    expect(error['routine']).toEqual(expect.any(String));
  });

  it('syntax error: 42601 with position', async () => {
    const error = await caught(() => sql.query('SELEC 1'));
    expect(error).toMatchObject({ code: '42601', position: '1' });
    expect(error.message).toContain('syntax error at or near "SELEC"');
  });

  it('check violation: 23514 with the constraint name', async () => {
    const error = await caught(() => sql`UPDATE accounts SET balance = -5 WHERE id = 1`);
    expect(error).toMatchObject({ code: '23514', constraint: 'balance_non_negative', table: 'accounts' });
  });

  it('not-null violation: 23502 with the column', async () => {
    const error = await caught(() => sql`INSERT INTO accounts (id, balance) VALUES (3, 0)`);
    expect(error).toMatchObject({ code: '23502', column: 'email', table: 'accounts' });
  });

  it('undefined table: 42P01', async () => {
    const error = await caught(() => sql`SELECT * FROM nope`);
    expect(error).toMatchObject({ code: '42P01' });
  });

  it('rejects several statements in one query, as Neon (extended protocol) does', async () => {
    const error = await caught(() => sql.query('SELECT 1; SELECT 2'));
    expect(error).toMatchObject({ code: '42601', message: 'cannot insert multiple commands into a prepared statement' });
    const inBatch = await caught(() => sql.transaction([sql.query('SELECT 1; SELECT 2')]));
    expect(inBatch['code']).toBe('42601');
  });

  it('wrong parameter count is a protocol error from Postgres (08P01)', async () => {
    const error = await caught(() => sql.query('SELECT $1::int', []));
    expect(error['code']).toBe('08P01');
  });

  it('nothing is left half-done after errors', async () => {
    expect(await sql`SELECT id, balance FROM accounts ORDER BY id`).toEqual([{ id: 1, balance: 10 }]);
  });
});

describe('fullResults: command and rowCount from the command tag', () => {
  it('reports INSERT / UPDATE / DELETE / SELECT counts and DDL without a count', async () => {
    const full = { fullResults: true } as const;
    await sql.query('CREATE TABLE counted (n int)', [], full).then((r) => {
      expect(r).toMatchObject({ command: 'CREATE', rowCount: null, rows: [] });
    });
    const insert = await sql.query('INSERT INTO counted SELECT generate_series(1, 2)', [], full);
    expect(insert).toMatchObject({ command: 'INSERT', rowCount: 2 });
    const insert3 = await sql.query('INSERT INTO counted VALUES (3), (4), (5)', [], full);
    expect(insert3.rowCount).toBe(3);
    const update = await sql.query('UPDATE counted SET n = n * 10 WHERE n > $1', [2], full);
    expect(update).toMatchObject({ command: 'UPDATE', rowCount: 3 });
    const select = await sql.query('SELECT n FROM counted ORDER BY n', [], full);
    expect(select).toMatchObject({ command: 'SELECT', rowCount: 5, rows: [{ n: 1 }, { n: 2 }, { n: 30 }, { n: 40 }, { n: 50 }] });
    expect(select.fields.map((f) => f.name)).toEqual(['n']);
    const del = await sql.query('DELETE FROM counted WHERE n >= 30', [], full);
    expect(del).toMatchObject({ command: 'DELETE', rowCount: 3 });
    const none = await sql.query('DELETE FROM counted WHERE false', [], full);
    expect(none).toMatchObject({ command: 'DELETE', rowCount: 0 });
  });
});

describe('malformed HTTP requests', () => {
  it('not JSON: 400 JSON error with a protocol code; the driver path keeps working', async () => {
    const { status, json } = await postSql(server, 'this is not json');
    expect(status).toBe(400);
    expect(json['message']).toMatch(/not valid JSON/);
    expect(json['code']).toBe('08P01');
    expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
  });

  it('missing query: 400 JSON error', async () => {
    const missing = await postSql(server, JSON.stringify({ params: [] }));
    expect(missing.status).toBe(400);
    expect(missing.json['code']).toBe('08P01');
    const badParams = await postSql(server, JSON.stringify({ query: 'SELECT 1', params: 'x' }));
    expect(badParams.status).toBe(400);
    const badBatch = await postSql(server, JSON.stringify({ queries: [{ params: [] }] }));
    expect(badBatch.status).toBe(400);
    expect(await sql`SELECT 2 AS ok`).toEqual([{ ok: 2 }]);
  });

  it('accepts non-string JSON params the way Neon converts them', async () => {
    const { status, json } = await postSql(
      server,
      JSON.stringify({ query: 'SELECT $1::int AS n, $2::bool AS b, $3::jsonb AS j, $4::text[] AS a', params: [5, true, { k: 1 }, ['x', null, 'y z']] }),
    );
    expect(status).toBe(200);
    expect(json['rows']).toEqual([['5', 't', '{"k": 1}', '{x,NULL,"y z"}']]);
  });

  it('returns object rows when array mode is off', async () => {
    const { json } = await postSql(server, JSON.stringify({ query: 'SELECT 1 AS a, NULL::text AS b' }), { 'Neon-Array-Mode': 'false' });
    expect(json).toMatchObject({ rows: [{ a: '1', b: null }], rowAsArray: false });
  });

  it('answers 404 for unknown paths and 405 for GET /sql', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(server.sqlEndpoint)).status).toBe(405);
  });

  it('accepts any path prefix before /sql, like the driver default https://host/sql', async () => {
    const response = await fetch(`${server.url}/some/prefix/sql`, {
      method: 'POST',
      headers: { 'Neon-Connection-String': CONNECTION_STRING, 'Neon-Array-Mode': 'true', 'Neon-Raw-Text-Output': 'true' },
      body: JSON.stringify({ query: 'SELECT 3', params: [] }),
    });
    expect(response.status).toBe(200);
  });
});
