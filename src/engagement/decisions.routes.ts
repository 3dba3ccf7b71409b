import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import { CreateDecisionSchema, DecisionPageSchema, DecisionQuerySchema, DecisionSchema } from './decisions.schemas';

const tags = ['engagement: decisions'];

export const createDecision = protectedRoute({
  method: 'post',
  path: '/v1/posts/{id}/decisions',
  tags,
  summary: 'Record the scored engagement decision for a post',
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(CreateDecisionSchema) },
  responses: {
    201: jsonResponse(DecisionSchema, 'The decision.'),
    ...problemResponses(400, 404, 422),
  },
});

export const listDecisions = protectedRoute({
  method: 'get',
  path: '/v1/decisions',
  tags,
  summary: 'List decisions',
  roles: CAN.readAutomated,
  request: { query: DecisionQuerySchema },
  responses: { 200: jsonResponse(DecisionPageSchema, 'A page of decisions, newest first.'), ...problemResponses(400) },
});

export const getDecision = protectedRoute({
  method: 'get',
  path: '/v1/decisions/{id}',
  tags,
  summary: 'Get a decision',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(DecisionSchema, 'The decision.'), ...problemResponses(400, 404) },
});
