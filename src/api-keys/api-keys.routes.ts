import { createRoute } from '@hono/zod-openapi';
import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { PageQuerySchema } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import { ApiKeyPageSchema, CreateApiKeySchema, CreatedApiKeySchema, TokenRequestSchema, TokenResponseSchema } from './api-keys.schemas';

const tags = ['api-keys'];

export const createApiKey = protectedRoute({
  method: 'post',
  path: '/v1/api-keys',
  tags,
  summary: 'Create an API key; the key is in this response only',
  roles: CAN.administer,
  request: { body: jsonBody(CreateApiKeySchema) },
  responses: { 201: jsonResponse(CreatedApiKeySchema, 'The key, shown once.'), ...problemResponses(422) },
});

export const listApiKeys = protectedRoute({
  method: 'get',
  path: '/v1/api-keys',
  tags,
  summary: "List the client's API keys (never the keys themselves)",
  roles: CAN.administer,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(ApiKeyPageSchema, 'A page of API keys, newest first.'), ...problemResponses(400) },
});

export const revokeApiKey = protectedRoute({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  tags,
  summary: 'Revoke an API key (idempotent)',
  roles: CAN.administer,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked.' }, ...problemResponses(400, 404) },
});

export const exchangeToken = createRoute({
  method: 'post',
  path: '/v1/auth/token',
  tags: ['auth'],
  summary: 'Exchange an API key for a short-lived bearer token',
  description: 'Valid, unrevoked, unexpired keys of active clients only; records the key as used. Never mints a system token.',
  request: { body: jsonBody(TokenRequestSchema) },
  responses: { 200: jsonResponse(TokenResponseSchema, 'A bearer token.'), ...problemResponses(401, 422) },
});
