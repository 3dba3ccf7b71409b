import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import type { NeonLocalServer } from '../../scripts/neon-local/server.js';
import { postSql, startWithDriver } from './helpers.js';

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  ({ server, sql } = await startWithDriver());
  // What a migration would do; the server itself never creates the extension.
  await sql`CREATE EXTENSION vector`;
  await sql`CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh')`;
  await sql`
    CREATE TABLE everything (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      i int, big bigint, num numeric(12, 4), flag boolean, label text,
      at timestamptz, day date, doc jsonb, list jsonb,
      ints int[], texts text[], moods mood[], embedding vector(3), blob bytea, missing text
    )`;
});

afterAll(async () => {
  await server?.close();
});

describe('types round-trip through the real driver', () => {
  it('returns the same JS values the driver produces against Neon', async () => {
    const at = new Date('2024-05-06T07:08:09.123Z');
    const [row] = await sql`
      INSERT INTO everything (i, big, num, flag, label, at, day, doc, list, ints, texts, moods, embedding, blob)
      VALUES (42, 9007199254740993, 1234.5678, true, 'héllo "quoted"', ${at}, '2024-01-15',
              '{"a": 1, "nested": {"b": [1, 2]}}', '[1, "two", null]',
              '{1,2,3}', '{"a b",c,NULL}', '{happy,sad}', '[1,2,3]', '\\x00ff10')
      RETURNING *`;
    expect(row).toBeDefined();
    if (!row) return;

    expect(row['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row['i']).toBe(42);
    expect(row['big']).toBe('9007199254740993'); // int8 stays a string: no precision loss
    expect(row['num']).toBe('1234.5678');
    expect(row['flag']).toBe(true);
    expect(row['label']).toBe('héllo "quoted"');
    expect(row['at']).toBeInstanceOf(Date);
    expect((row['at'] as Date).getTime()).toBe(at.getTime());
    // pg-types parses `date` as local midnight of that day.
    expect(row['day']).toBeInstanceOf(Date);
    const day = row['day'] as Date;
    expect([day.getFullYear(), day.getMonth(), day.getDate()]).toEqual([2024, 0, 15]);
    expect(row['doc']).toEqual({ a: 1, nested: { b: [1, 2] } });
    expect(row['list']).toEqual([1, 'two', null]);
    expect(row['ints']).toEqual([1, 2, 3]);
    expect(row['texts']).toEqual(['a b', 'c', null]);
    // The driver has no parser for a custom enum's array OID, so (as on Neon) it gets the raw text.
    expect(row['moods']).toBe('{happy,sad}');
    expect(row['embedding']).toBe('[1,2,3]');
    expect(Buffer.from(row['blob'] as Uint8Array).toString('hex')).toBe('00ff10');
    expect(row['missing']).toBeNull();
  });

  it('sends raw Postgres text on the wire for every type, including arrays of enums created after startup', async () => {
    await sql`CREATE TYPE late_enum AS ENUM ('x', 'y')`;
    const { status, json } = await postSql(
      server,
      JSON.stringify({
        query: `SELECT 1::int4 AS i, '{1,2}'::int[] AS ints, ARRAY['x','y']::late_enum[] AS late,
                '{"k": [1]}'::jsonb AS j, true AS b, '2024-01-02T03:04:05Z'::timestamptz AS ts,
                '[1.5,2,3]'::vector AS v, '\\x0a'::bytea AS raw, NULL::text AS n`,
        params: [],
      }),
    );
    expect(status).toBe(200);
    expect(json['rows']).toEqual([
      ['1', '{1,2}', '{x,y}', '{"k": [1]}', 't', '2024-01-02 03:04:05+00', '[1.5,2,3]', '\\x0a', null],
    ]);
    expect(json['rowAsArray']).toBe(true);
    const fields = json['fields'] as Record<string, unknown>[];
    expect(fields[0]).toMatchObject({ name: 'i', dataTypeID: 23, format: 'text' });
    expect(fields[1]).toMatchObject({ name: 'ints', dataTypeID: 1007 });
    const [lateArrayOid] = await sql`SELECT 'late_enum[]'::regtype::oid::int AS oid`;
    expect(fields[2]).toMatchObject({ name: 'late', dataTypeID: lateArrayOid?.['oid'] });
  });

  it('reports table/column metadata in fields like Postgres RowDescription', async () => {
    const result = await sql.query('SELECT i, label FROM everything LIMIT 1', [], { fullResults: true });
    const [tableOid] = await sql`SELECT 'everything'::regclass::oid::int AS oid`;
    expect(result.fields[0]).toMatchObject({ name: 'i', tableID: tableOid?.['oid'], columnID: 2, dataTypeID: 23 });
    expect(result.fields[1]).toMatchObject({ name: 'label', columnID: 6, dataTypeID: 25 });
  });
});

describe('params as the driver serialises them', () => {
  it('handles string, number, null, Date, object, array and bytea params', async () => {
    const when = new Date('2023-12-31T23:59:59.999Z');
    const doc = { name: 'x', tags: ['a', 'b'], n: 1.5 };
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const [row] = await sql`
      SELECT ${"it's"}::text AS s, ${7}::int AS n, ${12.25}::numeric AS f, ${null}::text AS nul,
             ${when}::timestamptz AS d, ${doc}::jsonb AS doc, ${[1, 2, 3]}::int[] AS arr,
             ${['a,b', 'c"d']}::text[] AS texts, ${Buffer.from(bytes)}::bytea AS b, ${true}::boolean AS t`;
    expect(row).toEqual({
      s: "it's",
      n: 7,
      f: '12.25',
      nul: null,
      d: when,
      doc,
      arr: [1, 2, 3],
      texts: ['a,b', 'c"d'],
      b: expect.anything(),
      t: true,
    });
    expect(Buffer.from(row?.['b'] as Uint8Array).toString('hex')).toBe('0001feff');
  });

  it('writes params into tables (bytea and vector included)', async () => {
    const [inserted] = await sql`
      INSERT INTO everything (label, blob, embedding, moods)
      VALUES (${'param-row'}, ${Buffer.from([9, 8, 7])}, ${'[0.5,0.25,1]'}, ${'{meh}'})
      RETURNING encode(blob, 'hex') AS hex, embedding, moods::text AS moods`;
    expect(inserted).toEqual({ hex: '090807', embedding: '[0.5,0.25,1]', moods: '{meh}' });
    const [nearest] = await sql`
      SELECT label FROM everything WHERE embedding IS NOT NULL ORDER BY embedding <-> ${'[0.5,0.25,1]'} LIMIT 1`;
    expect(nearest).toEqual({ label: 'param-row' });
  });

  it('supports arrayMode and sql.query with $n placeholders', async () => {
    const rows = await sql.query('SELECT $1::int + $2::int AS sum, $3::text AS t', [2, 3, null], { arrayMode: true });
    expect(rows).toEqual([[5, null]]);
  });
});
