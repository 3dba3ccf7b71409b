import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { PageQuerySchema } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  ChunkPageSchema,
  ChunkParamSchema,
  CreateKnowledgeBaseSchema,
  DeleteChunksResultSchema,
  IngestChunksSchema,
  IngestResultSchema,
  KnowledgeBasePageSchema,
  KnowledgeBaseQuerySchema,
  KnowledgeBaseSchema,
  MAX_CHUNKS_PER_REQUEST,
  SearchResultSchema,
  SearchSchema,
  UpdateKnowledgeBaseSchema,
} from './knowledge.schemas';

const tags = ['knowledge'];

export const listKnowledgeBases = protectedRoute({
  method: 'get',
  path: '/v1/knowledge-bases',
  tags,
  summary: 'List knowledge bases (filters: source_type, is_active)',
  roles: CAN.readAutomated,
  request: { query: KnowledgeBaseQuerySchema },
  responses: { 200: jsonResponse(KnowledgeBasePageSchema, 'A page of knowledge bases, newest first.'), ...problemResponses(400) },
});

export const createKnowledgeBase = protectedRoute({
  method: 'post',
  path: '/v1/knowledge-bases',
  tags,
  summary: 'Create a knowledge base',
  roles: CAN.write,
  request: { body: jsonBody(CreateKnowledgeBaseSchema) },
  responses: { 201: jsonResponse(KnowledgeBaseSchema, 'The knowledge base.'), ...problemResponses(422) },
});

export const getKnowledgeBase = protectedRoute({
  method: 'get',
  path: '/v1/knowledge-bases/{id}',
  tags,
  summary: 'Get a knowledge base',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(KnowledgeBaseSchema, 'The knowledge base.'), ...problemResponses(400, 404) },
});

export const updateKnowledgeBase = protectedRoute({
  method: 'patch',
  path: '/v1/knowledge-bases/{id}',
  tags,
  summary: 'Update a knowledge base (chunk_count and token_count are read-only)',
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(UpdateKnowledgeBaseSchema) },
  responses: { 200: jsonResponse(KnowledgeBaseSchema, 'The knowledge base.'), ...problemResponses(400, 404, 422) },
});

export const deleteKnowledgeBase = protectedRoute({
  method: 'delete',
  path: '/v1/knowledge-bases/{id}',
  tags,
  summary: 'Delete a knowledge base and all its chunks',
  roles: CAN.write,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted, chunks included.' }, ...problemResponses(400, 404) },
});

export const ingestChunks = protectedRoute({
  method: 'post',
  path: '/v1/knowledge-bases/{id}/chunks',
  tags,
  summary: `Bulk upsert up to ${MAX_CHUNKS_PER_REQUEST} chunks by chunk_index (one statement, all or nothing)`,
  description:
    `Each chunk carries its text, a 1536-dimension embedding and its position (chunk_index, unique per request). ` +
    `Chunks are inserted, or replace the chunk at the same index; chunks sent again unchanged are left untouched. ` +
    `Limits: ${MAX_CHUNKS_PER_REQUEST} chunks per request (422 beyond) and the 1 MiB body limit (413).`,
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(IngestChunksSchema) },
  responses: {
    200: jsonResponse(IngestResultSchema, 'What was inserted and updated, and the knowledge base’s counts afterwards.'),
    ...problemResponses(400, 404, 413, 422),
  },
});

export const listChunks = protectedRoute({
  method: 'get',
  path: '/v1/knowledge-bases/{id}/chunks',
  tags,
  summary: 'List the chunks of a knowledge base by chunk_index (without embeddings)',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: { 200: jsonResponse(ChunkPageSchema, 'A page of chunks in chunk_index order.'), ...problemResponses(400, 404) },
});

export const deleteChunk = protectedRoute({
  method: 'delete',
  path: '/v1/knowledge-bases/{id}/chunks/{chunk_id}',
  tags,
  summary: 'Delete one chunk',
  roles: CAN.automate,
  request: { params: ChunkParamSchema },
  responses: { 204: { description: 'Deleted.' }, ...problemResponses(400, 404) },
});

export const deleteAllChunks = protectedRoute({
  method: 'delete',
  path: '/v1/knowledge-bases/{id}/chunks',
  tags,
  summary: 'Delete every chunk of a knowledge base (e.g. before re-ingesting a document)',
  roles: CAN.automate,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(DeleteChunksResultSchema, 'How many chunks were deleted.'), ...problemResponses(400, 404) },
});

export const searchKnowledge = protectedRoute({
  method: 'post',
  path: '/v1/knowledge/search',
  tags,
  summary: 'Search chunks by vector, full text or both (hybrid, RRF)',
  description:
    'Ranked chunks of the active knowledge bases of this client, without embeddings. `vector` needs `embedding`, ' +
    '`text` needs `query`, `hybrid` needs both (422 otherwise).',
  roles: CAN.readAutomated,
  request: { body: jsonBody(SearchSchema) },
  responses: { 200: jsonResponse(SearchResultSchema, 'The best k chunks, best first.'), ...problemResponses(422) },
});
