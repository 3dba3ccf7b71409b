import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  AuthorPageSchema,
  AuthorQuerySchema,
  AuthorSchema,
  BulkAuthorsResultSchema,
  BulkAuthorsSchema,
  MAX_AUTHORS_PER_BATCH,
  UpdateAuthorSchema,
} from './authors.schemas';
import { AuthorDetailSchema } from './posts.schemas';

const tags = ['engagement: authors'];

export const bulkUpsertAuthors = protectedRoute({
  method: 'post',
  path: '/v1/authors/bulk',
  tags,
  summary: `Upsert up to ${MAX_AUTHORS_PER_BATCH} authors by (platform, platform_id)`,
  description:
    'New authors are inserted; known ones get their handle (and display name, follower count, verified flag when sent) ' +
    'refreshed and last_seen_at moved to now; first_seen_at never changes. One statement.',
  roles: CAN.automate,
  request: { body: jsonBody(BulkAuthorsSchema) },
  responses: { 200: jsonResponse(BulkAuthorsResultSchema, 'What was inserted and what was updated.'), ...problemResponses(413, 422) },
});

export const listAuthors = protectedRoute({
  method: 'get',
  path: '/v1/authors',
  tags,
  summary: 'List authors',
  roles: CAN.readAutomated,
  request: { query: AuthorQuerySchema },
  responses: { 200: jsonResponse(AuthorPageSchema, 'A page of authors, newest first.'), ...problemResponses(400) },
});

export const getAuthor = protectedRoute({
  method: 'get',
  path: '/v1/authors/{id}',
  tags,
  summary: 'Get an author with their most recent posts',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(AuthorDetailSchema, 'The author and up to 10 recent posts.'), ...problemResponses(400, 404) },
});

export const updateAuthor = protectedRoute({
  method: 'patch',
  path: '/v1/authors/{id}',
  tags,
  summary: "Update an author's relationship memory (score, tags, power tier)",
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(UpdateAuthorSchema) },
  responses: { 200: jsonResponse(AuthorSchema, 'The author.'), ...problemResponses(400, 404, 422) },
});
