import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NeonQueryFunction, NeonQueryPromise } from '@neondatabase/serverless';
import type { NeonLocalServer } from '../../scripts/neon-local/server.js';
import { caught, postSql, startWithDriver } from './helpers.js';

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  ({ server, sql } = await startWithDriver());
  await sql`CREATE TABLE items (id serial PRIMARY KEY, owner text NOT NULL, name text UNIQUE)`;
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await sql`TRUNCATE items RESTART IDENTITY`;
});

describe('sql.transaction (batch)', () => {
  it('returns one result per query', async () => {
    const [inserted, counted, selected] = await sql.transaction([
      sql`INSERT INTO items (owner, name) VALUES ('a', 'one'), ('a', 'two') RETURNING id`,
      sql`SELECT count(*)::int AS n FROM items`,
      sql`SELECT name FROM items ORDER BY id`,
    ]);
    expect(inserted).toEqual([{ id: 1 }, { id: 2 }]);
    expect(counted).toEqual([{ n: 2 }]);
    expect(selected).toEqual([{ name: 'one' }, { name: 'two' }]);
  });

  it('honours per-query arrayMode / fullResults', async () => {
    // The driver's types assume uniform options per batch; at runtime per-query options apply.
    const mixed = [
      sql.query('SELECT 1 AS a, 2 AS b', [], { arrayMode: true }),
      sql.query("INSERT INTO items (owner) VALUES ('x'), ('y')", [], { fullResults: true }),
    ] as unknown as NeonQueryPromise<false, false>[];
    const [asArrays, full] = await sql.transaction(mixed);
    expect(asArrays).toEqual([[1, 2]]);
    expect(full).toMatchObject({ command: 'INSERT', rowCount: 2, rows: [] });
  });

  it('rolls back earlier statements when a later one fails', async () => {
    const error = await caught(() =>
      sql.transaction([
        sql`INSERT INTO items (owner, name) VALUES ('a', 'dup')`,
        sql`INSERT INTO items (owner, name) VALUES ('b', 'other')`,
        sql`INSERT INTO items (owner, name) VALUES ('c', 'dup')`,
      ]),
    );
    expect(error.name).toBe('NeonDbError');
    expect(error['code']).toBe('23505');
    expect(await sql`SELECT count(*)::int AS n FROM items`).toEqual([{ n: 0 }]);
    // The connection is clean afterwards: a plain statement autocommits.
    await sql`INSERT INTO items (owner, name) VALUES ('a', 'dup')`;
    expect(await sql`SELECT name FROM items`).toEqual([{ name: 'dup' }]);
  });

  it('runs a read-only batch read-only (SQLSTATE 25006 on write)', async () => {
    const error = await caught(() =>
      sql.transaction([sql`SELECT 1`, sql`INSERT INTO items (owner) VALUES ('ro')`], { readOnly: true }),
    );
    expect(error['code']).toBe('25006');
    expect(await sql`SELECT count(*)::int AS n FROM items`).toEqual([{ n: 0 }]);
  });

  it('applies isolation level, read-only and deferrable headers', async () => {
    const [isolation, readOnly, deferrable] = await sql.transaction(
      [sql`SHOW transaction_isolation`, sql`SHOW transaction_read_only`, sql`SHOW transaction_deferrable`],
      { isolationLevel: 'Serializable', readOnly: true, deferrable: true },
    );
    expect(isolation).toEqual([{ transaction_isolation: 'serializable' }]);
    expect(readOnly).toEqual([{ transaction_read_only: 'on' }]);
    expect(deferrable).toEqual([{ transaction_deferrable: 'on' }]);

    const [defaults] = await sql.transaction([
      sql`SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro`,
    ]);
    expect(defaults).toEqual([{ iso: 'read committed', ro: 'off' }]);

    const [repeatable] = await sql.transaction([sql`SHOW transaction_isolation`], {
      isolationLevel: 'RepeatableRead',
      readOnly: false,
    });
    expect(repeatable).toEqual([{ transaction_isolation: 'repeatable read' }]);
  });

  it('really runs the batch inside one transaction', async () => {
    const [first, second] = await sql.transaction([sql`SELECT txid_current() AS t`, sql`SELECT txid_current() AS t`]);
    expect(first).toEqual(second);
  });

  it('rejects an unknown isolation level like Neon', async () => {
    const { status, json } = await postSql(server, JSON.stringify({ queries: [{ query: 'SELECT 1', params: [] }] }), {
      'Neon-Batch-Isolation-Level': 'Chaos',
    });
    expect(status).toBe(400);
    expect(json['message']).toBe('invalid isolation level');
  });

  it('echoes the applied transaction settings as response headers, like Neon', async () => {
    const { status, headers } = await postSql(server, JSON.stringify({ queries: [] }), {
      'Neon-Batch-Isolation-Level': 'Serializable',
      'Neon-Batch-Read-Only': 'true',
    });
    expect(status).toBe(200);
    expect(headers.get('neon-batch-isolation-level')).toBe('Serializable');
    expect(headers.get('neon-batch-read-only')).toBe('true');
    expect(headers.get('neon-batch-deferrable')).toBeNull();
  });

  it('does not leave a transaction open when a single query is BEGIN', async () => {
    await sql`BEGIN`;
    await sql`INSERT INTO items (owner) VALUES ('orphan')`;
    // A fresh Neon connection would not be inside that transaction either.
    expect(await sql`SELECT current_setting('transaction_isolation') AS iso, txid_current_if_assigned() IS NULL AS fresh`).toEqual([
      { iso: 'read committed', fresh: true },
    ]);
    expect(await sql`SELECT owner FROM items`).toEqual([{ owner: 'orphan' }]);
  });
});

describe('concurrency', () => {
  it('serialises concurrent batches: each sees exactly its own rows', async () => {
    const owners = Array.from({ length: 20 }, (_, i) => `owner-${i}`);
    const results = await Promise.all(
      owners.map((owner, i) =>
        sql.transaction([
          sql`INSERT INTO items (owner) SELECT ${owner} FROM generate_series(1, ${i + 1})`,
          sql`SELECT pg_sleep(0.001)`,
          sql`SELECT count(*)::int AS n, count(DISTINCT txid_current())::int AS txids FROM items WHERE owner = ${owner}`,
          sql`SELECT count(*)::int AS total FROM items`,
        ]),
      ),
    );
    const totals = results.map(([, , mine, total]) => {
      expect(mine).toEqual([{ n: expect.any(Number), txids: 1 }]);
      return { mine: (mine?.[0] as { n: number }).n, total: (total?.[0] as { total: number }).total };
    });
    totals.forEach(({ mine }, i) => expect(mine).toBe(i + 1));
    // Batches never interleave: every batch saw a total that is a sum of whole batches, all distinct.
    expect(new Set(totals.map((t) => t.total)).size).toBe(owners.length);
    expect(await sql`SELECT count(*)::int AS n FROM items`).toEqual([{ n: (20 * 21) / 2 }]);
  });

  it('keeps working when concurrent batches fail', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        sql.transaction([
          sql`INSERT INTO items (owner, name) VALUES (${'c'}, ${`n-${i}`})`,
          i % 2 === 0 ? sql`SELECT 1 / 0` : sql`SELECT 1`,
        ]),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(5);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect((outcome.reason as { code?: string }).code).toBe('22012');
    }
    expect(await sql`SELECT count(*)::int AS n FROM items`).toEqual([{ n: 5 }]);
  });
});
