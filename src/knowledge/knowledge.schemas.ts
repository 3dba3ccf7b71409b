import { z } from '@hono/zod-openapi';
import { EMBEDDING_DIMENSIONS } from '../db/schema/knowledge';
import { knowledgeSourceType } from '../db/schema/enums';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, boundedJson, HttpUrl, Timestamp } from '../lib/schemas';
import { BooleanQuery } from '../lib/enums';

/** Chunks per ingest request. With float32-precision numbers (~13–14 bytes each in JSON), 32
 * embeddings of 1536 dimensions are ~690 KB, which leaves room for their text under the API's
 * 1 MiB body limit (413 beyond it). */
export const MAX_CHUNKS_PER_REQUEST = 32;
/** Characters of one chunk's text (~2,000 tokens). */
export const MAX_CHUNK_CONTENT = 8_000;
/** Absolute value of one embedding component: keeps cosine arithmetic (float32) finite. */
export const MAX_EMBEDDING_COMPONENT = 1e6;
/** A query or chunk embedding shorter than this has no direction (cosine is undefined). */
export const MIN_EMBEDDING_NORM = 1e-6;
export const MAX_SEARCH_K = 50;
export const MAX_QUERY_LENGTH = 1_000;

const noNul = (s: string) => !s.includes('\u0000');
/** A string Postgres can store (no NUL character). */
const text = (min: number, max: number) =>
  z.string().min(min).max(max).refine(noNul, 'must not contain a NUL character');
const trimmed = (min: number, max: number) =>
  z.string().trim().min(min).max(max).refine(noNul, 'must not contain a NUL character');

const SourceTypeSchema = z.enum(knowledgeSourceType.enumValues).openapi({ description: 'Where the knowledge comes from.' });

// ---------------------------------------------------------------------------------------------
// Knowledge bases

export const KnowledgeBaseSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    name: z.string(),
    description: z.string().nullable(),
    source_type: SourceTypeSchema,
    source_ref: z.string().nullable(),
    is_active: z.boolean().openapi({ description: 'Inactive knowledge bases are left out of search.' }),
    is_processed: z.boolean(),
    chunk_count: z.number().int().openapi({ description: 'Kept by the database (read-only).' }),
    token_count: z.number().int().openapi({ description: 'Sum of the chunks’ token counts, kept by the database (read-only).' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('KnowledgeBase');

const editable = {
  name: trimmed(1, 255),
  description: text(0, 1000).nullable().optional(),
  source_type: SourceTypeSchema,
  source_ref: trimmed(1, 500).nullable().optional().openapi({ description: 'URL, file path or other reference to the source.' }),
  is_active: z.boolean().optional(),
  is_processed: z.boolean().optional(),
};

export const CreateKnowledgeBaseSchema = body(editable).openapi('CreateKnowledgeBase');

export const UpdateKnowledgeBaseSchema = body({
  ...editable,
  name: editable.name.optional(),
  source_type: editable.source_type.optional(),
}).openapi('UpdateKnowledgeBase');

export const KnowledgeBaseQuerySchema = PageQuerySchema.extend({
  source_type: SourceTypeSchema.optional(),
  is_active: BooleanQuery.optional().openapi({ description: 'Filter by active flag.' }),
});

export const KnowledgeBasePageSchema = pageSchema(KnowledgeBaseSchema, 'KnowledgeBasePage');

// ---------------------------------------------------------------------------------------------
// Embeddings

/**
 * Exactly 1536 finite numbers. Validated element by element in one refinement that reports the
 * first offending position only (`….embedding.<i>`), so a body full of bad values cannot make
 * the error response explode.
 */
export const EmbeddingSchema = z
  .array(z.unknown())
  .length(EMBEDDING_DIMENSIONS, `must have exactly ${EMBEDDING_DIMENSIONS} numbers`)
  .superRefine((values, ctx) => {
    let sumOfSquares = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_EMBEDDING_COMPONENT) {
        ctx.addIssue({ code: 'custom', path: [i], message: `must be a finite number between -${MAX_EMBEDDING_COMPONENT} and ${MAX_EMBEDDING_COMPONENT}` });
        return;
      }
      sumOfSquares += v * v;
    }
    if (values.length === EMBEDDING_DIMENSIONS && Math.sqrt(sumOfSquares) < MIN_EMBEDDING_NORM) {
      ctx.addIssue({ code: 'custom', message: 'must not be the zero vector (cosine similarity is undefined for it)' });
    }
  })
  .transform((values) => values as number[])
  .openapi({
    type: 'array',
    items: { type: 'number' },
    minItems: EMBEDDING_DIMENSIONS,
    maxItems: EMBEDDING_DIMENSIONS,
    description: `${EMBEDDING_DIMENSIONS} finite numbers (e.g. OpenAI text-embedding-3-small), not all zero.`,
  });

/** The pgvector text form of an embedding: `[x1,x2,…]` (JavaScript's shortest round-trip digits). */
export function vectorLiteral(embedding: readonly number[]): string {
  return `[${embedding.join(',')}]`;
}

// ---------------------------------------------------------------------------------------------
// Chunks

export const ChunkMetadataSchema = boundedJson(
  z
    .object({
      source_url: HttpUrl.optional(),
      page_number: z.number().int().min(0).max(1_000_000).optional(),
      section: text(1, 500).optional(),
      tags: z.array(trimmed(1, 100)).max(50).optional().openapi({ description: 'Search can filter on them.' }),
    })
    .strict(),
).openapi('ChunkMetadata');

const ChunkInputSchema = z
  .object({
    chunk_index: z.number().int().min(0).max(2_147_483_647).openapi({ description: 'Position in the knowledge base; the upsert key.' }),
    content: text(1, MAX_CHUNK_CONTENT),
    embedding: EmbeddingSchema,
    embedding_model: trimmed(1, 100).optional().openapi({ description: 'Overrides the request’s `embedding_model`.' }),
    token_count: z.number().int().min(0).max(1_000_000),
    metadata: ChunkMetadataSchema.optional(),
  })
  .strict()
  .openapi('ChunkInput');

export const IngestChunksSchema = body({
  embedding_model: trimmed(1, 100).optional().openapi({
    description: 'Model of every chunk that does not name its own.',
    example: 'text-embedding-3-small',
  }),
  chunks: z
    .array(ChunkInputSchema)
    .min(1)
    .max(MAX_CHUNKS_PER_REQUEST, `at most ${MAX_CHUNKS_PER_REQUEST} chunks per request`)
    .superRefine((chunks, ctx) => {
      const seen = new Set<number>();
      chunks.forEach((chunk, i) => {
        if (seen.has(chunk.chunk_index)) {
          ctx.addIssue({ code: 'custom', path: [i, 'chunk_index'], message: 'duplicate chunk_index in this request' });
        }
        seen.add(chunk.chunk_index);
      });
    })
    .openapi({ description: `1–${MAX_CHUNKS_PER_REQUEST} chunks, unique by chunk_index.` }),
}).openapi('IngestChunks');

export const IngestResultSchema = z
  .object({
    inserted: z.number().int(),
    updated: z.number().int().openapi({ description: 'Existing chunks whose values changed.' }),
    unchanged: z.number().int().openapi({ description: 'Existing chunks sent again with the same values (left untouched).' }),
    chunk_count: z.number().int().openapi({ description: 'The knowledge base’s chunk count afterwards.' }),
    token_count: z.number().int(),
  })
  .openapi('IngestResult');

export const ChunkSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    knowledge_base_id: z.string().uuid(),
    chunk_index: z.number().int(),
    content: z.string(),
    embedding_model: z.string().nullable(),
    has_embedding: z.boolean(),
    token_count: z.number().int(),
    metadata: ChunkMetadataSchema,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('KnowledgeChunk');

export const ChunkPageSchema = pageSchema(ChunkSchema, 'KnowledgeChunkPage');

export const ChunkParamSchema = z.object({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'Knowledge base id.' }),
  chunk_id: z.string().uuid().openapi({ param: { name: 'chunk_id', in: 'path' }, description: 'Chunk id.' }),
});

export const DeleteChunksResultSchema = z
  .object({
    deleted: z.number().int(),
    chunk_count: z.number().int(),
    token_count: z.number().int(),
  })
  .openapi('DeleteChunksResult');

// ---------------------------------------------------------------------------------------------
// Search

export const SearchModeSchema = z.enum(['vector', 'text', 'hybrid']).openapi({
  description:
    '`vector`: cosine similarity to `embedding` (HNSW index). `text`: full-text match of `query` (english), ranked by ts_rank_cd. ' +
    '`hybrid`: both, fused by reciprocal rank fusion (k = 60) over the top candidates of each.',
});

export const SearchSchema = body({
  mode: SearchModeSchema,
  embedding: EmbeddingSchema.optional().openapi({ description: 'Required for `vector` and `hybrid`.' }),
  query: trimmed(1, MAX_QUERY_LENGTH).optional().openapi({ description: 'Required for `text` and `hybrid` (web-search syntax).' }),
  k: z.number().int().min(1).max(MAX_SEARCH_K).default(10).openapi({ description: `Results wanted, 1–${MAX_SEARCH_K}.` }),
  knowledge_base_ids: z.array(z.string().uuid()).min(1).max(100).optional().openapi({ description: 'Only these knowledge bases.' }),
  tags: z.array(trimmed(1, 100)).min(1).max(20).optional().openapi({ description: 'Only chunks with at least one of these tags.' }),
})
  .superRefine((input, ctx) => {
    if ((input.mode === 'vector' || input.mode === 'hybrid') && input.embedding === undefined) {
      ctx.addIssue({ code: 'custom', path: ['embedding'], message: `required for mode ${input.mode}` });
    }
    if ((input.mode === 'text' || input.mode === 'hybrid') && input.query === undefined) {
      ctx.addIssue({ code: 'custom', path: ['query'], message: `required for mode ${input.mode}` });
    }
  })
  .openapi('KnowledgeSearch');

export const SearchHitSchema = z
  .object({
    id: z.string().uuid(),
    knowledge_base_id: z.string().uuid(),
    chunk_index: z.number().int(),
    content: z.string(),
    embedding_model: z.string().nullable(),
    token_count: z.number().int(),
    metadata: ChunkMetadataSchema,
    score: z.number().openapi({
      description: 'vector: cosine similarity (1 − cosine distance); text: ts_rank_cd; hybrid: the RRF score Σ 1/(60 + rank).',
    }),
    vector_similarity: z.number().nullable().openapi({ description: 'Cosine similarity, when the chunk was among the vector candidates.' }),
    text_rank: z.number().nullable().openapi({ description: 'ts_rank_cd, when the chunk matched the text query.' }),
  })
  .openapi('KnowledgeSearchHit');

export const SearchResultSchema = z
  .object({ mode: SearchModeSchema, data: z.array(SearchHitSchema) })
  .openapi('KnowledgeSearchResult');
