import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { tenantPrincipal } from '../auth/principal';
import { knowledgeBases, knowledgeChunks, type ChunkMetadata } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import {
  deleteAllChunksQuery,
  hybridCandidates,
  hybridSearchQuery,
  knowledgeBaseCountsQuery,
  searchSettings,
  textSearchQuery,
  upsertChunksQuery,
  vectorSearchQuery,
  type ChunkRow,
} from './knowledge.queries';
import type {
  createKnowledgeBase,
  deleteAllChunks,
  deleteChunk,
  deleteKnowledgeBase,
  getKnowledgeBase,
  ingestChunks,
  listChunks,
  listKnowledgeBases,
  searchKnowledge,
  updateKnowledgeBase,
} from './knowledge.routes';
import { vectorLiteral, type UpdateKnowledgeBaseSchema } from './knowledge.schemas';

const kbNotFound = () => new ApiError(404, 'KNOWLEDGE_BASE_NOT_FOUND', 'No such knowledge base in this client.');
const chunkNotFound = () => new ApiError(404, 'KNOWLEDGE_CHUNK_NOT_FOUND', 'No such chunk in this knowledge base.');

/** Rows of a raw `db.execute` result inside a batch. */
function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: unknown[] }).rows ?? []) as T[];
}

function columns(input: Partial<z.infer<typeof UpdateKnowledgeBaseSchema>>) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.source_type !== undefined ? { sourceType: input.source_type } : {}),
    ...(input.source_ref !== undefined ? { sourceRef: input.source_ref } : {}),
    ...(input.is_active !== undefined ? { isActive: input.is_active } : {}),
    ...(input.is_processed !== undefined ? { isProcessed: input.is_processed } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Knowledge bases

export const list: AppRouteHandler<typeof listKnowledgeBases> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(knowledgeBases.createdAt, knowledgeBases.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(knowledgeBases)
        .where(
          and(
            eq(knowledgeBases.clientId, clientId),
            query.source_type === undefined ? undefined : eq(knowledgeBases.sourceType, query.source_type),
            query.is_active === undefined ? undefined : eq(knowledgeBases.isActive, query.is_active),
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const create: AppRouteHandler<typeof createKnowledgeBase> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .insert(knowledgeBases)
      .values({ clientId, name: input.name, sourceType: input.source_type, ...columns(input) })
      .returning(),
  ]);
  if (!rows[0]) throw new Error('knowledge base insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const get: AppRouteHandler<typeof getKnowledgeBase> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(knowledgeBases).where(and(eq(knowledgeBases.id, id), eq(knowledgeBases.clientId, clientId)))],
    { readOnly: true },
  );
  if (!rows[0]) throw kbNotFound();
  return c.json(toApi(rows[0]), 200);
};

export const update: AppRouteHandler<typeof updateKnowledgeBase> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const changes = columns(c.req.valid('json'));
  const match = and(eq(knowledgeBases.id, id), eq(knowledgeBases.clientId, clientId));
  // An empty PATCH changes nothing, not even updated_at: it only reads the knowledge base back.
  const [rows] = Object.keys(changes).length
    ? await c.var.tenant.run((db) => [db.update(knowledgeBases).set(changes).where(match).returning()])
    : await c.var.tenant.run((db) => [db.select().from(knowledgeBases).where(match)], { readOnly: true });
  if (!rows[0]) throw kbNotFound();
  return c.json(toApi(rows[0]), 200);
};

export const remove: AppRouteHandler<typeof deleteKnowledgeBase> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  // Chunks go with it (foreign key ON DELETE CASCADE), in the same statement.
  const [rows] = await c.var.tenant.run((db) => [
    db
      .delete(knowledgeBases)
      .where(and(eq(knowledgeBases.id, id), eq(knowledgeBases.clientId, clientId)))
      .returning({ id: knowledgeBases.id }),
  ]);
  if (!rows[0]) throw kbNotFound();
  return c.body(null, 204);
};

// ---------------------------------------------------------------------------------------------
// Chunks

export const ingest: AppRouteHandler<typeof ingestChunks> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const chunks: ChunkRow[] = input.chunks.map((chunk) => ({
    chunk_index: chunk.chunk_index,
    content: chunk.content,
    embedding: vectorLiteral(chunk.embedding),
    embedding_model: chunk.embedding_model ?? input.embedding_model ?? null,
    token_count: chunk.token_count,
    metadata: (chunk.metadata ?? {}) as Record<string, unknown>,
  }));
  const [written, counts] = await c.var.tenant.run((db) => [
    db.execute(upsertChunksQuery(clientId, id, chunks)),
    db.execute(knowledgeBaseCountsQuery(clientId, id)),
  ]);
  const kb = rowsOf<{ chunk_count: number; token_count: number }>(counts)[0];
  if (!kb) throw kbNotFound(); // the upsert matched no knowledge base, so it wrote nothing
  const changed = rowsOf<{ inserted: boolean }>(written);
  const inserted = changed.filter((r) => r.inserted).length;
  const updated = changed.length - inserted;
  return c.json(
    { inserted, updated, unchanged: chunks.length - changed.length, chunk_count: kb.chunk_count, token_count: kb.token_count },
    200,
  );
};

const CHUNK_COLUMNS = {
  id: knowledgeChunks.id,
  clientId: knowledgeChunks.clientId,
  knowledgeBaseId: knowledgeChunks.knowledgeBaseId,
  chunkIndex: knowledgeChunks.chunkIndex,
  content: knowledgeChunks.content,
  embeddingModel: knowledgeChunks.embeddingModel,
  hasEmbedding: sql<boolean>`${knowledgeChunks.embedding} is not null`,
  tokenCount: knowledgeChunks.tokenCount,
  metadata: knowledgeChunks.metadata,
  createdAt: knowledgeChunks.createdAt,
  updatedAt: knowledgeChunks.updatedAt,
};

/** Chunk pages follow chunk_index; the cursor is the last index of the previous page. */
function decodeChunkCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))) as { i?: unknown };
    if (Number.isInteger(parsed.i) && (parsed.i as number) >= 0 && (parsed.i as number) <= 2_147_483_647) return parsed.i as number;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });
}

function encodeChunkCursor(chunkIndex: number): string {
  return btoa(JSON.stringify({ i: chunkIndex })).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export const listAll: AppRouteHandler<typeof listChunks> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const query = c.req.valid('query');
  const after = decodeChunkCursor(query.cursor);
  const [kb, rows] = await c.var.tenant.run(
    (db) => [
      db
        .select({ id: knowledgeBases.id })
        .from(knowledgeBases)
        .where(and(eq(knowledgeBases.id, id), eq(knowledgeBases.clientId, clientId))),
      db
        .select(CHUNK_COLUMNS)
        .from(knowledgeChunks)
        .where(
          and(
            eq(knowledgeChunks.clientId, clientId),
            eq(knowledgeChunks.knowledgeBaseId, id),
            after === undefined ? undefined : gt(knowledgeChunks.chunkIndex, after),
          ),
        )
        .orderBy(asc(knowledgeChunks.chunkIndex))
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  if (!kb[0]) throw kbNotFound();
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      data: page.map((row) => toApi({ ...row, metadata: row.metadata as ChunkMetadata })),
      next_cursor: hasMore && last ? encodeChunkCursor(last.chunkIndex) : null,
    },
    200,
  );
};

export const removeOne: AppRouteHandler<typeof deleteChunk> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id, chunk_id: chunkId } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .delete(knowledgeChunks)
      .where(and(eq(knowledgeChunks.id, chunkId), eq(knowledgeChunks.knowledgeBaseId, id), eq(knowledgeChunks.clientId, clientId)))
      .returning({ id: knowledgeChunks.id }),
  ]);
  if (!rows[0]) throw chunkNotFound();
  return c.body(null, 204);
};

export const removeAll: AppRouteHandler<typeof deleteAllChunks> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [deleted, counts] = await c.var.tenant.run((db) => [
    db.execute(deleteAllChunksQuery(clientId, id)),
    db.execute(knowledgeBaseCountsQuery(clientId, id)),
  ]);
  const kb = rowsOf<{ chunk_count: number; token_count: number }>(counts)[0];
  if (!kb) throw kbNotFound();
  const n = rowsOf<{ deleted: number }>(deleted)[0]?.deleted ?? 0;
  return c.json({ deleted: n, chunk_count: kb.chunk_count, token_count: kb.token_count }, 200);
};

// ---------------------------------------------------------------------------------------------
// Search

interface HitRow {
  id: string;
  knowledge_base_id: string;
  chunk_index: number;
  content: string;
  embedding_model: string | null;
  token_count: number;
  metadata: ChunkMetadata;
  score: number;
  vector_similarity: number | null;
  text_rank: number | null;
}

export const search: AppRouteHandler<typeof searchKnowledge> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const scope = { clientId, knowledgeBaseIds: input.knowledge_base_ids, tags: input.tags };
  // The schema guarantees what each mode needs; these only narrow the types.
  const vector = () => vectorLiteral(input.embedding!);
  const query = () => input.query!;
  const statement =
    input.mode === 'vector'
      ? vectorSearchQuery(vector(), input.k, scope)
      : input.mode === 'text'
        ? textSearchQuery(query(), input.k, scope)
        : hybridSearchQuery(vector(), query(), input.k, scope);
  const rowsWanted = input.mode === 'hybrid' ? hybridCandidates(input.k) : input.k;
  const [, hits] = await c.var.tenant.run((db) => [db.execute(searchSettings(rowsWanted)), db.execute(statement)], { readOnly: true });
  return c.json({ mode: input.mode, data: rowsOf<HitRow>(hits) }, 200);
};
