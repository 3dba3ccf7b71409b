import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { MAX_EMBEDDED_ITEMS } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, JSON_OBJECT_LIMITS, jsonBody, jsonResponse } from '../lib/schemas';
import {
  CompleteRunSchema,
  CreateRunSchema,
  FailRunSchema,
  ListRunsQuerySchema,
  RunPageSchema,
  RunSchema,
  RunWithOutputsSchema,
} from './runs.schemas';

const tags = ['runs'];

export const createRun = protectedRoute({
  method: 'post',
  path: '/v1/runs',
  tags,
  summary: 'Queue a run of a skill',
  description:
    'The requester is the caller: the user, or the API key of a machine client. `skill` (name) or `skill_id`, exactly one; ' +
    `an unknown skill is 422. \`user_message\` 1–20000 characters, \`metadata\` a JSON object ${JSON_OBJECT_LIMITS}.`,
  roles: CAN.automate,
  request: { body: jsonBody(CreateRunSchema) },
  responses: { 201: jsonResponse(RunSchema, 'The queued run.'), ...problemResponses(409, 422) },
});

export const listRuns = protectedRoute({
  method: 'get',
  path: '/v1/runs',
  tags,
  summary: 'List runs',
  description:
    'Newest first, `limit` 1–100. Filters: `status`, `skill` (name), `user_id`, `api_key_id`, `queued_after` (inclusive), ' +
    '`queued_before` (exclusive). `include=outputs` adds each run’s outputs in the same round trip: ' +
    `the oldest ${MAX_EMBEDDED_ITEMS} of each run, with \`has_more_outputs\` true when it has more.`,
  roles: CAN.readAutomated,
  request: { query: ListRunsQuerySchema },
  responses: { 200: jsonResponse(RunPageSchema, 'A page of runs.'), ...problemResponses(400) },
});

export const getRun = protectedRoute({
  method: 'get',
  path: '/v1/runs/{id}',
  tags,
  summary: 'Get a run with its outputs',
  description: `The run with its oldest ${MAX_EMBEDDED_ITEMS} outputs, oldest first; \`has_more_outputs\` is true when it has more.`,
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(RunWithOutputsSchema, 'The run and its outputs, oldest first.'), ...problemResponses(400, 404) },
});

const transition = '409 `INVALID_TRANSITION` (nothing changes) when the run is not in a state this step leaves from.';

export const startRun = protectedRoute({
  method: 'post',
  path: '/v1/runs/{id}/start',
  tags,
  summary: 'Start a queued run (queued → running)',
  description: `Sets \`started_at\`. ${transition}`,
  roles: CAN.automate,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(RunSchema, 'The running run.'), ...problemResponses(400, 404, 409) },
});

export const completeRun = protectedRoute({
  method: 'post',
  path: '/v1/runs/{id}/complete',
  tags,
  summary: 'Complete a running run (running → completed)',
  description: `Records token counts (integers ≥ 0) and sets \`completed_at\`. ${transition}`,
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(CompleteRunSchema) },
  responses: { 200: jsonResponse(RunSchema, 'The completed run.'), ...problemResponses(400, 404, 409, 422) },
});

export const failRun = protectedRoute({
  method: 'post',
  path: '/v1/runs/{id}/fail',
  tags,
  summary: 'Fail a running run (running → failed)',
  description: `Records \`error_message\` (1–10000 characters) and sets \`completed_at\`. ${transition}`,
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(FailRunSchema) },
  responses: { 200: jsonResponse(RunSchema, 'The failed run.'), ...problemResponses(400, 404, 409, 422) },
});

export const cancelRun = protectedRoute({
  method: 'post',
  path: '/v1/runs/{id}/cancel',
  tags,
  summary: 'Cancel a queued or running run (→ cancelled)',
  description: `Sets \`completed_at\`. ${transition}`,
  roles: CAN.automate,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(RunSchema, 'The cancelled run.'), ...problemResponses(400, 404, 409) },
});
