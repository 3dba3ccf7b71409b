import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { PageQuerySchema } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  AssignEscalationSchema,
  CreateEscalationSchema,
  DismissEscalationSchema,
  EscalationPageSchema,
  EscalationQuerySchema,
  EscalationSchema,
  ResolveEscalationSchema,
} from './escalations.schemas';

const tags = ['engagement: escalations'];
const escalation = (description: string) => jsonResponse(EscalationSchema, description);
const REFUSAL = ' Any other state answers 409 `INVALID_TRANSITION` and changes nothing.';

export const createEscalation = protectedRoute({
  method: 'post',
  path: '/v1/escalations',
  tags,
  summary: 'Hand a post (and its decision or reply) to a human',
  roles: CAN.automate,
  request: { body: jsonBody(CreateEscalationSchema) },
  responses: { 201: escalation('The open escalation.'), ...problemResponses(422) },
});

export const escalationQueue = protectedRoute({
  method: 'get',
  path: '/v1/escalations/queue',
  tags,
  summary: 'The escalation queue: open and assigned, most urgent first, then oldest first',
  roles: CAN.read,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(EscalationPageSchema, 'A page of the queue.'), ...problemResponses(400) },
});

export const listEscalations = protectedRoute({
  method: 'get',
  path: '/v1/escalations',
  tags,
  summary: 'List escalations',
  roles: CAN.read,
  request: { query: EscalationQuerySchema },
  responses: { 200: jsonResponse(EscalationPageSchema, 'A page of escalations, newest first.'), ...problemResponses(400) },
});

export const getEscalation = protectedRoute({
  method: 'get',
  path: '/v1/escalations/{id}',
  tags,
  summary: 'Get an escalation',
  roles: CAN.read,
  request: { params: IdParamSchema },
  responses: { 200: escalation('The escalation.'), ...problemResponses(400, 404) },
});

export const assignEscalation = protectedRoute({
  method: 'post',
  path: '/v1/escalations/{id}/assign',
  tags,
  summary: 'Assign an escalation to a member',
  description: `open | assigned → assigned. The user must be a member of this client (422 otherwise).${REFUSAL}`,
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(AssignEscalationSchema) },
  responses: { 200: escalation('The assigned escalation.'), ...problemResponses(400, 404, 409, 422) },
});

export const resolveEscalation = protectedRoute({
  method: 'post',
  path: '/v1/escalations/{id}/resolve',
  tags,
  summary: 'Resolve an escalation',
  description: `open | assigned → resolved; resolved_by is the caller, who must be a user (an API key gets 403).${REFUSAL}`,
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(ResolveEscalationSchema) },
  responses: { 200: escalation('The resolved escalation.'), ...problemResponses(400, 404, 409, 422) },
});

export const dismissEscalation = protectedRoute({
  method: 'post',
  path: '/v1/escalations/{id}/dismiss',
  tags,
  summary: 'Dismiss an escalation',
  description: `open | assigned → dismissed, with optional notes; resolved_by is the caller when a user.${REFUSAL}`,
  roles: CAN.write,
  request: { params: IdParamSchema, body: { ...jsonBody(DismissEscalationSchema), required: false } },
  responses: { 200: escalation('The dismissed escalation.'), ...problemResponses(400, 404, 409, 422) },
});
