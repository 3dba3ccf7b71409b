import { describe, expect, it } from 'vitest';
import { knowledgeChunks, posts, runs } from '../../src/db/schema';
import { assertInsertable, insertSchemas, selectSchemas } from '../../src/db/schema/zod';

const uuid = () => crypto.randomUUID();

describe('row schemas derived from the tables (drizzle-zod)', () => {
  it('exist for every table, insert and select', () => {
    expect(insertSchemas.size).toBe(28);
    expect(selectSchemas.size).toBe(28);
  });

  it('accept a well-formed row and name the table and field of a bad one', () => {
    const chunk = { clientId: uuid(), knowledgeBaseId: uuid(), content: 'x', chunkIndex: 0, tokenCount: 1 };
    expect(() => assertInsertable(knowledgeChunks, { ...chunk, embedding: Array(1536).fill(0.1) })).not.toThrow();
    expect(() => assertInsertable(knowledgeChunks, { ...chunk, embedding: [1, 2, 3] })).toThrow(/knowledge_chunks row: embedding/);
    expect(() => assertInsertable(runs, { clientId: uuid(), userId: uuid(), skillId: uuid(), userMessage: 'x', status: 'paused' })).toThrow(
      /runs row: status/,
    );
    expect(() =>
      assertInsertable(posts, { clientId: uuid(), platform: 'myspace', platformPostId: 'p', authorId: uuid(), content: 'x' }),
    ).toThrow(/posts row: platform/);
  });
});
