// The product talks to Neon through drizzle-orm/neon-http; check that path end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql as dsql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { bigint, integer, jsonb, pgEnum, pgTable, serial, text, timestamp, vector } from 'drizzle-orm/pg-core';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import type { NeonLocalServer } from '../../scripts/neon-local/server.js';
import { caught, startWithDriver } from './helpers.js';

const status = pgEnum('status', ['draft', 'live']);
const docs = pgTable('docs', {
  id: serial('id').primaryKey(),
  title: text('title').notNull().unique(),
  status: status('status').notNull().default('draft'),
  tags: status('tags').array(),
  meta: jsonb('meta').$type<{ words: number }>(),
  views: bigint('views', { mode: 'bigint' }),
  score: integer('score'),
  embedding: vector('embedding', { dimensions: 3 }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

let server: NeonLocalServer;
let sql: NeonQueryFunction<false, false>;

beforeAll(async () => {
  ({ server, sql } = await startWithDriver());
  await sql`CREATE EXTENSION vector`;
  await sql`CREATE TYPE status AS ENUM ('draft', 'live')`;
  await sql`
    CREATE TABLE docs (
      id serial PRIMARY KEY, title text NOT NULL UNIQUE, status status NOT NULL DEFAULT 'draft',
      tags status[], meta jsonb, views bigint, score int, embedding vector(3),
      created_at timestamptz NOT NULL DEFAULT now()
    )`;
});

afterAll(async () => {
  await server?.close();
});

describe('drizzle-orm/neon-http against neon-local', () => {
  it('inserts and selects typed values', async () => {
    const db = drizzle({ client: sql });
    const [inserted] = await db
      .insert(docs)
      .values({ title: 'hello', meta: { words: 3 }, views: 12345678901234567n, tags: ['draft', 'live'], embedding: [1, 2, 3] })
      .returning();
    expect(inserted).toMatchObject({
      title: 'hello',
      status: 'draft',
      meta: { words: 3 },
      views: 12345678901234567n,
      embedding: [1, 2, 3],
    });
    expect(inserted?.createdAt).toBeInstanceOf(Date);
    const [row] = await db.select().from(docs).where(eq(docs.title, 'hello'));
    expect(row?.tags).toEqual(['draft', 'live']);
    expect(row?.createdAt.getTime()).toBe(inserted?.createdAt.getTime());
  });

  it('db.batch runs in one transaction and rolls back on error', async () => {
    const db = drizzle({ client: sql });
    const error = await caught(() =>
      db.batch([db.insert(docs).values({ title: 'batch-1' }), db.insert(docs).values({ title: 'hello' })]),
    );
    // db.batch surfaces the driver's NeonDbError directly.
    expect(error).toMatchObject({ name: 'NeonDbError', code: '23505', constraint: 'docs_title_key' });
    expect(await db.select({ n: dsql<number>`count(*)::int` }).from(docs).where(eq(docs.title, 'batch-1'))).toEqual([{ n: 0 }]);

    const [, updated] = await db.batch([
      db.insert(docs).values({ title: 'batch-2', score: 1 }),
      db.update(docs).set({ score: 2 }).where(eq(docs.title, 'batch-2')).returning({ score: docs.score }),
    ]);
    expect(updated).toEqual([{ score: 2 }]);
  });
});
