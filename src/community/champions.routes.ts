import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  AdvocateStatusBodySchema,
  CommunityChampionListQuerySchema,
  CommunityChampionPageSchema,
  CommunityChampionSchema,
  DmResponseBodySchema,
  UpsertCommunityChampionSchema,
} from './champions.schemas';

const tags = ['community-champions'];
const champion = (description: string) => jsonResponse(CommunityChampionSchema, description);

export const upsertCommunityChampion = protectedRoute({
  method: 'put',
  path: '/v1/community-champions',
  tags,
  summary: 'Create or update the champion row of an author',
  description:
    'One row per author (upsert on `author_id`): 201 when created, 200 when it existed. Fields left out keep ' +
    'their current value (or take the default on creation). Milestones (DM, sample, conversion) have their own actions.',
  roles: CAN.write,
  request: { body: jsonBody(UpsertCommunityChampionSchema) },
  responses: {
    200: champion('The existing champion, updated.'),
    201: champion('The new champion.'),
    ...problemResponses(404, 422),
  },
});

export const listCommunityChampions = protectedRoute({
  method: 'get',
  path: '/v1/community-champions',
  tags,
  summary: 'List community champions',
  description: 'Newest first, cursor-paginated; filters: tier, advocate status, author.',
  roles: CAN.read,
  request: { query: CommunityChampionListQuerySchema },
  responses: { 200: jsonResponse(CommunityChampionPageSchema, 'A page of champions.'), ...problemResponses(400) },
});

export const getCommunityChampion = protectedRoute({
  method: 'get',
  path: '/v1/community-champions/{id}',
  tags,
  summary: 'Get a community champion',
  roles: CAN.read,
  request: { params: IdParamSchema },
  responses: { 200: champion('The champion.'), ...problemResponses(400, 404) },
});

const milestone = <const P extends string>(path: P, summary: string, description: string) =>
  ({
    method: 'post',
    path,
    tags,
    summary,
    description,
    roles: CAN.write,
  }) as const;

export const markDmSent = protectedRoute({
  ...milestone(
    '/v1/community-champions/{id}/dm-sent',
    'Milestone: the outreach DM was sent',
    'Sets `dm_sent_at` to now and `dm_response` to `pending`. Once only: a second call answers 409 `INVALID_TRANSITION`.',
  ),
  request: { params: IdParamSchema },
  responses: { 200: champion('The champion.'), ...problemResponses(400, 404, 409) },
});

export const recordDmResponse = protectedRoute({
  ...milestone(
    '/v1/community-champions/{id}/dm-response',
    'Milestone: the answer to the DM',
    'Needs a sent DM whose answer is `pending` or `no_response` (a late answer may follow `no_response`); `accepted` ' +
      'and `declined` are final. Otherwise 409 `INVALID_TRANSITION`.',
  ),
  request: { params: IdParamSchema, body: jsonBody(DmResponseBodySchema) },
  responses: { 200: champion('The champion.'), ...problemResponses(400, 404, 409, 422) },
});

export const markSampleSent = protectedRoute({
  ...milestone(
    '/v1/community-champions/{id}/sample-sent',
    'Milestone: a product sample was sent',
    'Sets `sample_sent`. Once only: 409 `INVALID_TRANSITION` when already sent.',
  ),
  request: { params: IdParamSchema },
  responses: { 200: champion('The champion.'), ...problemResponses(400, 404, 409) },
});

export const markConverted = protectedRoute({
  ...milestone(
    '/v1/community-champions/{id}/converted',
    'Milestone: the champion converted (became a customer)',
    'Sets `converted`. Once only: 409 `INVALID_TRANSITION` when already converted.',
  ),
  request: { params: IdParamSchema },
  responses: { 200: champion('The champion.'), ...problemResponses(400, 404, 409) },
});

export const setAdvocateStatus = protectedRoute({
  ...milestone(
    '/v1/community-champions/{id}/advocate-status',
    'Set the advocate status',
    'Any status may follow any other (prospect, active, inactive, churned); setting the current one changes nothing.',
  ),
  request: { params: IdParamSchema, body: jsonBody(AdvocateStatusBodySchema) },
  responses: { 200: champion('The champion.'), ...problemResponses(400, 404, 422) },
});
