import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  BulkPostsResultSchema,
  BulkPostsSchema,
  MAX_POSTS_PER_BATCH,
  PostDetailSchema,
  PostErrorSchema,
  PostPageSchema,
  PostQuerySchema,
  PostSchema,
} from './posts.schemas';

const tags = ['engagement: posts'];

export const bulkIngestPosts = protectedRoute({
  method: 'post',
  path: '/v1/posts/bulk',
  tags,
  summary: `Ingest up to ${MAX_POSTS_PER_BATCH} detected posts with their authors`,
  description:
    'One statement: authors are upserted by (platform, platform_id) as in `POST /v1/authors/bulk`, posts inserted. ' +
    'Idempotent on (platform, platform_post_id): a post already stored (or repeated in the batch) is not duplicated ' +
    'and is left unchanged, content included; it is reported as `duplicate` with its id. ' +
    `At most ${MAX_POSTS_PER_BATCH} posts and 1 MiB per request.`,
  roles: CAN.automate,
  request: { body: jsonBody(BulkPostsSchema) },
  responses: { 200: jsonResponse(BulkPostsResultSchema, 'Counts, and the id of every post of the batch in order.'), ...problemResponses(413, 422) },
});

export const listPosts = protectedRoute({
  method: 'get',
  path: '/v1/posts',
  tags,
  summary: 'List detected posts',
  roles: CAN.readAutomated,
  request: { query: PostQuerySchema },
  responses: { 200: jsonResponse(PostPageSchema, 'A page of posts, most recently detected first.'), ...problemResponses(400) },
});

export const getPost = protectedRoute({
  method: 'get',
  path: '/v1/posts/{id}',
  tags,
  summary: 'Get a post with its author, decisions, replies and competitive mentions',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(PostDetailSchema, 'The post and what the pipeline made of it.'), ...problemResponses(400, 404) },
});

export const markPostProcessed = protectedRoute({
  method: 'post',
  path: '/v1/posts/{id}/processed',
  tags,
  summary: 'Mark a post processed (idempotent: the first processed_at is kept)',
  roles: CAN.automate,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(PostSchema, 'The post.'), ...problemResponses(400, 404) },
});

export const recordPostError = protectedRoute({
  method: 'post',
  path: '/v1/posts/{id}/error',
  tags,
  summary: 'Record a processing error (error_count grows by one, atomically)',
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(PostErrorSchema) },
  responses: { 200: jsonResponse(PostSchema, 'The post.'), ...problemResponses(400, 404, 422) },
});
