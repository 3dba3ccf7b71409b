import { sql } from 'drizzle-orm';
import { boolean, check, customType, index, integer, jsonb, text, uniqueIndex, uuid, varchar, vector } from 'drizzle-orm/pg-core';
import { indexOn, newestFirstIndex } from './columns';
import { knowledgeSourceType } from './enums';
import { tenantReference, tenantTable } from './tenant-table';

export const EMBEDDING_DIMENSIONS = 1536;

export interface ChunkMetadata {
  source_url?: string;
  page_number?: number;
  section?: string;
  tags?: string[];
}

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A source of client knowledge for retrieval-augmented generation (seed 000). */
export const knowledgeBases = tenantTable(
  'knowledge_bases',
  {
    name: varchar('name', { length: 255 }).notNull(),
    description: varchar('description', { length: 1000 }),
    sourceType: knowledgeSourceType('source_type').notNull(),
    sourceRef: varchar('source_ref', { length: 500 }),
    isActive: boolean('is_active').notNull().default(true),
    isProcessed: boolean('is_processed').notNull().default(false),
    chunkCount: integer('chunk_count').notNull().default(0),
    tokenCount: integer('token_count').notNull().default(0),
  },
  (t) => [
    newestFirstIndex('knowledge_bases', t),
    indexOn('knowledge_bases', 'client_id', 'source_type').on(t.clientId, t.sourceType),
    check('knowledge_bases_counts_nonnegative', sql`${t.chunkCount} >= 0 AND ${t.tokenCount} >= 0`),
  ],
);

/**
 * A chunk of a knowledge base with its embedding (pgvector, HNSW cosine index) and a generated
 * full-text vector (GIN index) for hybrid search.
 */
export const knowledgeChunks = tenantTable(
  'knowledge_chunks',
  {
    knowledgeBaseId: uuid('knowledge_base_id').notNull(),
    content: text('content').notNull(),
    embedding: vector('embedding', { dimensions: EMBEDDING_DIMENSIONS }),
    embeddingModel: varchar('embedding_model', { length: 100 }),
    chunkIndex: integer('chunk_index').notNull(),
    tokenCount: integer('token_count').notNull(),
    metadata: jsonb('metadata').$type<ChunkMetadata>().notNull().default({}),
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', content)`),
  },
  (t) => [
    ...tenantReference('knowledge_chunks', t.clientId, t.knowledgeBaseId, knowledgeBases),
    uniqueIndex('knowledge_chunks_knowledge_base_id_chunk_index_key').on(t.knowledgeBaseId, t.chunkIndex),
    index('knowledge_chunks_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
    index('knowledge_chunks_search_vector_idx').using('gin', t.searchVector),
    check('knowledge_chunks_chunk_index_nonnegative', sql`${t.chunkIndex} >= 0`),
    check('knowledge_chunks_token_count_nonnegative', sql`${t.tokenCount} >= 0`),
  ],
);

export type KnowledgeBase = typeof knowledgeBases.$inferSelect;
export type NewKnowledgeBase = typeof knowledgeBases.$inferInsert;
export type KnowledgeChunk = typeof knowledgeChunks.$inferSelect;
export type NewKnowledgeChunk = typeof knowledgeChunks.$inferInsert;
