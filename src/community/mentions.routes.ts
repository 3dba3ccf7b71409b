import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { jsonBody, jsonResponse } from '../lib/schemas';
import {
  CompetitiveMentionListQuerySchema,
  CompetitiveMentionPageSchema,
  CompetitiveMentionSchema,
  CreateCompetitiveMentionSchema,
} from './mentions.schemas';

const tags = ['competitive-mentions'];

export const createCompetitiveMention = protectedRoute({
  method: 'post',
  path: '/v1/competitive-mentions',
  tags,
  summary: 'Record that a post mentions a competitor',
  description: 'The post and the competitor must be this client’s: another id answers 404 (`POST_NOT_FOUND`, `COMPETITOR_NOT_FOUND`).',
  roles: CAN.automate,
  request: { body: jsonBody(CreateCompetitiveMentionSchema) },
  responses: { 201: jsonResponse(CompetitiveMentionSchema, 'The mention.'), ...problemResponses(404, 422) },
});

export const listCompetitiveMentions = protectedRoute({
  method: 'get',
  path: '/v1/competitive-mentions',
  tags,
  summary: 'List competitive mentions',
  description:
    'Ordered by `order`: `opportunity` (default; opportunity score descending, then id) or `created` (newest first). ' +
    'Filters: competitor, post, sentiment, replied, minimum opportunity score.',
  roles: CAN.read,
  request: { query: CompetitiveMentionListQuerySchema },
  responses: { 200: jsonResponse(CompetitiveMentionPageSchema, 'A page of mentions.'), ...problemResponses(400) },
});
