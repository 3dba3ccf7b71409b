/**
 * Neon's size limits, which PGlite alone does not have: bind parameters per statement (the proxy
 * writes their count as an Int16) and the response size (64 MiB, HTTP 507 above it).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NeonDbError, type NeonQueryFunction } from '@neondatabase/serverless';
import type { NeonLocalServer } from '../../scripts/neon-local/server.js';
import { caught, startWithDriver } from './helpers.js';

const MAX_RESPONSE_BYTES = 10_000;

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  ({ server, sql } = await startWithDriver({ maxResponseBytes: MAX_RESPONSE_BYTES }));
  await sql`CREATE TABLE kept (id int)`;
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await sql`TRUNCATE kept`;
});

/** SELECT of an array of n bind parameters: `n` parameters in, a small response out. */
function countParams(n: number) {
  const placeholders = Array.from({ length: n }, (_, i) => `$${i + 1}`).join(',');
  const params = Array.from({ length: n }, (_, i) => i);
  return sql.query(`SELECT cardinality(ARRAY[${placeholders}]::int[]) AS n`, params);
}

describe('bind parameters', () => {
  it('accepts 32,767 in one statement', async () => {
    expect(await countParams(32_767)).toEqual([{ n: 32_767 }]);
  });

  it("refuses 32,768 with Neon's error, a NeonDbError with a code", async () => {
    const error = await caught(() => countParams(32_768));
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ message: 'error encoding message to server: value too large to transmit', code: '08P01' });
  });

  it('fails the whole batch: nothing of it is kept', async () => {
    const error = await caught(() => sql.transaction([sql`INSERT INTO kept VALUES (1)`, countParams(32_768)]));
    expect(error).toMatchObject({ code: '08P01' });
    expect(await sql`SELECT count(*)::int AS n FROM kept`).toEqual([{ n: 0 }]);
  });
});

describe('response size', () => {
  it('answers a response over the limit with HTTP 507, as Neon does', async () => {
    const error = await caught(() => sql`SELECT repeat('x', ${MAX_RESPONSE_BYTES}) AS big`);
    expect(error.message).toMatch(/^Server error \(HTTP status 507\): .*response is too large \(max is 10000 bytes\)/);
    expect(await sql`SELECT length(repeat('x', ${MAX_RESPONSE_BYTES / 2})) AS n`).toEqual([{ n: MAX_RESPONSE_BYTES / 2 }]);
  });

  it('rolls back a batch whose response is too large (Neon builds it inside the transaction)', async () => {
    const error = await caught(() => sql.transaction([sql`INSERT INTO kept VALUES (1)`, sql`SELECT repeat('x', ${MAX_RESPONSE_BYTES}) AS big`]));
    expect(error.message).toMatch(/HTTP status 507/);
    expect(await sql`SELECT count(*)::int AS n FROM kept`).toEqual([{ n: 0 }]);
  });
});
