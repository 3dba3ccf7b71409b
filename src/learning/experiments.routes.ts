import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  ConcludeExperimentSchema,
  CreateExperimentSchema,
  ExperimentListQuerySchema,
  ExperimentPageSchema,
  ExperimentSchema,
  UpdateExperimentSchema,
} from './experiments.schemas';

const tags = ['experiments'];
const experiment = (description: string) => jsonResponse(ExperimentSchema, description);

export const listExperiments = protectedRoute({
  method: 'get',
  path: '/v1/experiments',
  tags,
  summary: 'List A/B experiments',
  description: 'Newest first, cursor-paginated; optionally by status. Machine clients may read (they assign variants).',
  roles: CAN.readAutomated,
  request: { query: ExperimentListQuerySchema },
  responses: { 200: jsonResponse(ExperimentPageSchema, 'A page of experiments.'), ...problemResponses(400) },
});

export const createExperiment = protectedRoute({
  method: 'post',
  path: '/v1/experiments',
  tags,
  summary: 'Create an experiment (as a draft)',
  description: 'Experiments start as `draft`; the name is unique per client (409 `EXPERIMENT_NAME_TAKEN`).',
  roles: CAN.write,
  request: { body: jsonBody(CreateExperimentSchema) },
  responses: { 201: experiment('The draft experiment.'), ...problemResponses(409, 422) },
});

export const getExperiment = protectedRoute({
  method: 'get',
  path: '/v1/experiments/{id}',
  tags,
  summary: 'Get an experiment',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: experiment('The experiment.'), ...problemResponses(400, 404) },
});

export const updateExperiment = protectedRoute({
  method: 'patch',
  path: '/v1/experiments/{id}',
  tags,
  summary: 'Edit a draft experiment',
  description: 'Only while `draft`: afterwards 409 `EXPERIMENT_NOT_DRAFT` (what ran must stay what was measured).',
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(UpdateExperimentSchema) },
  responses: { 200: experiment('The experiment.'), ...problemResponses(400, 404, 409, 422) },
});

export const deleteExperiment = protectedRoute({
  method: 'delete',
  path: '/v1/experiments/{id}',
  tags,
  summary: 'Delete an experiment',
  description:
    'Not while `running` (409 `INVALID_TRANSITION`: stop it first), and not while decisions refer to it ' +
    '(409 `EXPERIMENT_IN_USE`).',
  roles: CAN.write,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted.' }, ...problemResponses(400, 404, 409) },
});

export const startExperiment = protectedRoute({
  method: 'post',
  path: '/v1/experiments/{id}/start',
  tags,
  summary: 'Start an experiment (draft → running)',
  description: 'Sets `start_date` to now. From any other status: 409 `INVALID_TRANSITION`, nothing changed.',
  roles: CAN.write,
  request: { params: IdParamSchema },
  responses: { 200: experiment('The running experiment.'), ...problemResponses(400, 404, 409) },
});

export const stopExperiment = protectedRoute({
  method: 'post',
  path: '/v1/experiments/{id}/stop',
  tags,
  summary: 'Stop an experiment (running → stopped)',
  description: 'Sets `end_date` to now. From any other status: 409 `INVALID_TRANSITION`, nothing changed.',
  roles: CAN.write,
  request: { params: IdParamSchema },
  responses: { 200: experiment('The stopped experiment.'), ...problemResponses(400, 404, 409) },
});

export const concludeExperiment = protectedRoute({
  method: 'post',
  path: '/v1/experiments/{id}/conclude',
  tags,
  summary: 'Conclude an experiment (running | stopped → concluded)',
  description:
    'Records the winner (or null: inconclusive) and the results; a running experiment ends now. From `draft` or ' +
    '`concluded`: 409 `INVALID_TRANSITION`, nothing changed.',
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(ConcludeExperimentSchema) },
  responses: { 200: experiment('The concluded experiment.'), ...problemResponses(400, 404, 409, 422) },
});
