import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  CreateLearningEventSchema,
  EvaluateLearningEventSchema,
  LearningEventListQuerySchema,
  LearningEventPageSchema,
  LearningEventSchema,
} from './learning-events.schemas';
import {
  CreateRandomizedExperimentSchema,
  RandomizedExperimentListQuerySchema,
  RandomizedExperimentPageSchema,
  RandomizedExperimentSchema,
} from './randomized-experiments.schemas';
import {
  PutSegmentedWeightSchema,
  SegmentedWeightListQuerySchema,
  SegmentedWeightPageSchema,
  SegmentedWeightSchema,
  SegmentParamsSchema,
  WEIGHT_SUM_TOLERANCE,
} from './segmented-weights.schemas';
import {
  CreateWeightAdjustmentSchema,
  WeightAdjustmentListQuerySchema,
  WeightAdjustmentPageSchema,
  WeightAdjustmentSchema,
} from './weight-adjustments.schemas';

// The learning loop: weight adjustments, learning events, randomized experiments, segmented weights.

export const createWeightAdjustment = protectedRoute({
  method: 'post',
  path: '/v1/weight-adjustments',
  tags: ['weight-adjustments'],
  summary: 'Log a change of the scoring weights',
  description: 'Append-only: adjustments are never edited. `valid_segments` may not exceed `total_segments`; weights are 0..1.',
  roles: CAN.automate,
  request: { body: jsonBody(CreateWeightAdjustmentSchema) },
  responses: { 201: jsonResponse(WeightAdjustmentSchema, 'The logged adjustment.'), ...problemResponses(422) },
});

export const listWeightAdjustments = protectedRoute({
  method: 'get',
  path: '/v1/weight-adjustments',
  tags: ['weight-adjustments'],
  summary: 'List weight adjustments',
  description: 'Newest first (as recorded), cursor-paginated; `from`/`to` bound the adjustment date (inclusive).',
  roles: CAN.read,
  request: { query: WeightAdjustmentListQuerySchema },
  responses: { 200: jsonResponse(WeightAdjustmentPageSchema, 'A page of adjustments.'), ...problemResponses(400) },
});

export const createLearningEvent = protectedRoute({
  method: 'post',
  path: '/v1/learning-events',
  tags: ['learning-events'],
  summary: 'Record a learning adjustment and its predicted improvement',
  description: 'Append-only; the outcome is recorded once, later, by `POST /v1/learning-events/{id}/evaluate`.',
  roles: CAN.automate,
  request: { body: jsonBody(CreateLearningEventSchema) },
  responses: { 201: jsonResponse(LearningEventSchema, 'The event.'), ...problemResponses(422) },
});

export const listLearningEvents = protectedRoute({
  method: 'get',
  path: '/v1/learning-events',
  tags: ['learning-events'],
  summary: 'List learning events',
  description: 'Newest first (as recorded), cursor-paginated; filters: date range, adjustment type, evaluated or not.',
  roles: CAN.read,
  request: { query: LearningEventListQuerySchema },
  responses: { 200: jsonResponse(LearningEventPageSchema, 'A page of events.'), ...problemResponses(400) },
});

export const evaluateLearningEvent = protectedRoute({
  method: 'post',
  path: '/v1/learning-events/{id}/evaluate',
  tags: ['learning-events'],
  summary: 'Record how a learning event turned out (once)',
  description:
    'Sets the actual improvement, the accuracy (0..1) and `evaluated_at` (now, or when the outcome was measured). Once only: ' +
    '409 `ALREADY_EVALUATED` after, nothing changed.',
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(EvaluateLearningEventSchema) },
  responses: { 200: jsonResponse(LearningEventSchema, 'The evaluated event.'), ...problemResponses(400, 404, 409, 422) },
});

export const createRandomizedExperiment = protectedRoute({
  method: 'post',
  path: '/v1/randomized-experiments',
  tags: ['randomized-experiments'],
  summary: 'Record a randomized decision (predicted vs actual mode)',
  description: 'Append-only. The decision must be this client’s: another id answers 404 `DECISION_NOT_FOUND`.',
  roles: CAN.automate,
  request: { body: jsonBody(CreateRandomizedExperimentSchema) },
  responses: { 201: jsonResponse(RandomizedExperimentSchema, 'The record.'), ...problemResponses(404, 422) },
});

export const listRandomizedExperiments = protectedRoute({
  method: 'get',
  path: '/v1/randomized-experiments',
  tags: ['randomized-experiments'],
  summary: 'List randomized decisions',
  description: 'Newest first, cursor-paginated; filters: decision, predicted mode, actual mode.',
  roles: CAN.read,
  request: { query: RandomizedExperimentListQuerySchema },
  responses: { 200: jsonResponse(RandomizedExperimentPageSchema, 'A page of records.'), ...problemResponses(400) },
});

export const putSegmentedWeight = protectedRoute({
  method: 'put',
  path: '/v1/segmented-weights',
  tags: ['segmented-weights'],
  summary: 'Set the scoring weights of a segment (upsert)',
  description:
    'One row per (segment_type, segment_key): 201 when created, 200 when it existed. The four weights are each 0..1 and ' +
    `sum to 1 (±${WEIGHT_SUM_TOLERANCE}) so the composite score stays in 0..1. Left-out optional fields keep their value.`,
  roles: CAN.automate,
  request: { body: jsonBody(PutSegmentedWeightSchema) },
  responses: {
    200: jsonResponse(SegmentedWeightSchema, 'The existing segment, updated.'),
    201: jsonResponse(SegmentedWeightSchema, 'The new segment.'),
    ...problemResponses(422),
  },
});

export const listSegmentedWeights = protectedRoute({
  method: 'get',
  path: '/v1/segmented-weights',
  tags: ['segmented-weights'],
  summary: 'List segmented weights',
  description: 'Newest first, cursor-paginated; optionally one segment type. Machine clients may read (the scorer loads them).',
  roles: CAN.readAutomated,
  request: { query: SegmentedWeightListQuerySchema },
  responses: { 200: jsonResponse(SegmentedWeightPageSchema, 'A page of segments.'), ...problemResponses(400) },
});

export const getSegmentedWeight = protectedRoute({
  method: 'get',
  path: '/v1/segmented-weights/{segment_type}/{segment_key}',
  tags: ['segmented-weights'],
  summary: 'Get the weights of one segment',
  roles: CAN.readAutomated,
  request: { params: SegmentParamsSchema },
  responses: { 200: jsonResponse(SegmentedWeightSchema, 'The segment.'), ...problemResponses(400, 404) },
});
