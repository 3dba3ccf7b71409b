import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  CompetitorListQuerySchema,
  CompetitorPageSchema,
  CompetitorSchema,
  CreateCompetitorSchema,
  UpdateCompetitorSchema,
} from './competitors.schemas';

const tags = ['competitors'];

export const listCompetitors = protectedRoute({
  method: 'get',
  path: '/v1/competitors',
  tags,
  summary: 'List competitors',
  description: 'Newest first, cursor-paginated; optionally filtered by category and price point.',
  roles: CAN.read,
  request: { query: CompetitorListQuerySchema },
  responses: { 200: jsonResponse(CompetitorPageSchema, 'A page of competitors, newest first.'), ...problemResponses(400) },
});

export const createCompetitor = protectedRoute({
  method: 'post',
  path: '/v1/competitors',
  tags,
  summary: 'Track a competitor',
  description: 'The name is unique per client: a second competitor with the same name answers 409.',
  roles: CAN.write,
  request: { body: jsonBody(CreateCompetitorSchema) },
  responses: { 201: jsonResponse(CompetitorSchema, 'The competitor.'), ...problemResponses(409, 422) },
});

export const getCompetitor = protectedRoute({
  method: 'get',
  path: '/v1/competitors/{id}',
  tags,
  summary: 'Get a competitor',
  roles: CAN.read,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(CompetitorSchema, 'The competitor.'), ...problemResponses(400, 404) },
});

export const updateCompetitor = protectedRoute({
  method: 'patch',
  path: '/v1/competitors/{id}',
  tags,
  summary: 'Update a competitor',
  description: 'Changes the fields given; renaming to a name the client already uses answers 409.',
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(UpdateCompetitorSchema) },
  responses: { 200: jsonResponse(CompetitorSchema, 'The competitor.'), ...problemResponses(400, 404, 409, 422) },
});

export const deleteCompetitor = protectedRoute({
  method: 'delete',
  path: '/v1/competitors/{id}',
  tags,
  summary: 'Stop tracking a competitor',
  description: 'Deletes the competitor and, by cascade, its competitive mentions.',
  roles: CAN.write,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted.' }, ...problemResponses(400, 404) },
});
