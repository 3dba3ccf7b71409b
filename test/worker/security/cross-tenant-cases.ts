import type { FixtureIds } from '../../helpers/tenant-fixture';
import { ROUTES, type ValidRequest } from './routes';
import { decision, newEscalation, newReply } from './routes/engagement';
import { newKnowledgeBase } from './routes/knowledge';

/**
 * What another tenant's ids get, operation by operation (cross-tenant.test.ts). Written out, like
 * the role matrix: a route that answers another code (a renamed path answers ROUTE_NOT_FOUND, a
 * leak answers 2xx) fails its case, and the test checks that every tenant operation naming a
 * resource, and every tenant list with every documented filter, has a case here.
 */

/** How another tenant's request must fail; `field`: the one field error naming the foreign id. */
export interface Refusal {
  status: number;
  code: string;
  field?: string;
}

/**
 * A request naming another tenant's resources. `request(mine, theirs)`: the caller is `mine`'s
 * owner, the ids it names are `theirs`. The positive control sends, as the owner of those ids,
 * the very same request (`control: 'same'`), or its own version, every id its own (`'owned'`:
 * `request(theirs, theirs)`, when the attack mixes the caller's ids with the foreign one).
 */
export interface ForeignIdCase {
  op: string;
  /** Where the request names the foreign resource: `path.id`, `body.post_id`, … */
  names: string[];
  request: (mine: FixtureIds, theirs: FixtureIds) => Promise<ValidRequest>;
  control: 'same' | 'owned';
  refusal: Refusal;
}

/** Operations on a resource named in their path: the 404 code another tenant gets for the route's valid request. */
export const PATH_NOT_FOUND: Record<string, string> = {
  'PATCH /v1/members/{id}': 'MEMBER_NOT_FOUND',
  'DELETE /v1/members/{id}': 'MEMBER_NOT_FOUND',
  'DELETE /v1/api-keys/{id}': 'API_KEY_NOT_FOUND',
  'GET /v1/brand-kits/{id}': 'BRAND_KIT_NOT_FOUND',
  'PATCH /v1/brand-kits/{id}': 'BRAND_KIT_NOT_FOUND',
  'DELETE /v1/brand-kits/{id}': 'BRAND_KIT_NOT_FOUND',
  'POST /v1/brand-kits/{id}/default': 'BRAND_KIT_NOT_FOUND',
  'GET /v1/runs/{id}': 'RUN_NOT_FOUND',
  'POST /v1/runs/{id}/start': 'RUN_NOT_FOUND',
  'POST /v1/runs/{id}/complete': 'RUN_NOT_FOUND',
  'POST /v1/runs/{id}/fail': 'RUN_NOT_FOUND',
  'POST /v1/runs/{id}/cancel': 'RUN_NOT_FOUND',
  'POST /v1/runs/{id}/outputs': 'RUN_NOT_FOUND',
  'GET /v1/outputs/{id}': 'OUTPUT_NOT_FOUND',
  'GET /v1/outputs/{id}/content': 'OUTPUT_NOT_FOUND',
  'POST /v1/outputs/{id}/feedback': 'OUTPUT_NOT_FOUND',
  'GET /v1/outputs/{id}/feedback': 'OUTPUT_NOT_FOUND',
  'GET /v1/knowledge-bases/{id}': 'KNOWLEDGE_BASE_NOT_FOUND',
  'PATCH /v1/knowledge-bases/{id}': 'KNOWLEDGE_BASE_NOT_FOUND',
  'DELETE /v1/knowledge-bases/{id}': 'KNOWLEDGE_BASE_NOT_FOUND',
  'POST /v1/knowledge-bases/{id}/chunks': 'KNOWLEDGE_BASE_NOT_FOUND',
  'GET /v1/knowledge-bases/{id}/chunks': 'KNOWLEDGE_BASE_NOT_FOUND',
  'DELETE /v1/knowledge-bases/{id}/chunks': 'KNOWLEDGE_BASE_NOT_FOUND',
  'DELETE /v1/knowledge-bases/{id}/chunks/{chunk_id}': 'KNOWLEDGE_CHUNK_NOT_FOUND',
  'GET /v1/authors/{id}': 'AUTHOR_NOT_FOUND',
  'PATCH /v1/authors/{id}': 'AUTHOR_NOT_FOUND',
  'GET /v1/posts/{id}': 'POST_NOT_FOUND',
  'POST /v1/posts/{id}/processed': 'POST_NOT_FOUND',
  'POST /v1/posts/{id}/error': 'POST_NOT_FOUND',
  'POST /v1/posts/{id}/decisions': 'POST_NOT_FOUND',
  'GET /v1/decisions/{id}': 'DECISION_NOT_FOUND',
  'POST /v1/decisions/{id}/replies': 'DECISION_NOT_FOUND',
  'GET /v1/replies/{id}': 'REPLY_NOT_FOUND',
  'DELETE /v1/replies/{id}': 'REPLY_NOT_FOUND',
  'POST /v1/replies/{id}/approve': 'REPLY_NOT_FOUND',
  'POST /v1/replies/{id}/reject': 'REPLY_NOT_FOUND',
  'POST /v1/replies/{id}/posted': 'REPLY_NOT_FOUND',
  'POST /v1/replies/{id}/metrics': 'REPLY_NOT_FOUND',
  'GET /v1/escalations/{id}': 'ESCALATION_NOT_FOUND',
  'POST /v1/escalations/{id}/assign': 'ESCALATION_NOT_FOUND',
  'POST /v1/escalations/{id}/resolve': 'ESCALATION_NOT_FOUND',
  'POST /v1/escalations/{id}/dismiss': 'ESCALATION_NOT_FOUND',
  'GET /v1/competitors/{id}': 'COMPETITOR_NOT_FOUND',
  'PATCH /v1/competitors/{id}': 'COMPETITOR_NOT_FOUND',
  'DELETE /v1/competitors/{id}': 'COMPETITOR_NOT_FOUND',
  'GET /v1/community-champions/{id}': 'COMMUNITY_CHAMPION_NOT_FOUND',
  'POST /v1/community-champions/{id}/dm-sent': 'COMMUNITY_CHAMPION_NOT_FOUND',
  'POST /v1/community-champions/{id}/dm-response': 'COMMUNITY_CHAMPION_NOT_FOUND',
  'POST /v1/community-champions/{id}/sample-sent': 'COMMUNITY_CHAMPION_NOT_FOUND',
  'POST /v1/community-champions/{id}/converted': 'COMMUNITY_CHAMPION_NOT_FOUND',
  'POST /v1/community-champions/{id}/advocate-status': 'COMMUNITY_CHAMPION_NOT_FOUND',
  'GET /v1/experiments/{id}': 'EXPERIMENT_NOT_FOUND',
  'PATCH /v1/experiments/{id}': 'EXPERIMENT_NOT_FOUND',
  'DELETE /v1/experiments/{id}': 'EXPERIMENT_NOT_FOUND',
  'POST /v1/experiments/{id}/start': 'EXPERIMENT_NOT_FOUND',
  'POST /v1/experiments/{id}/stop': 'EXPERIMENT_NOT_FOUND',
  'POST /v1/experiments/{id}/conclude': 'EXPERIMENT_NOT_FOUND',
  'POST /v1/learning-events/{id}/evaluate': 'LEARNING_EVENT_NOT_FOUND',
  // The route's valid request names a segment (type and key) only the owner has.
  'GET /v1/segmented-weights/{segment_type}/{segment_key}': 'SEGMENTED_WEIGHT_NOT_FOUND',
  'GET /v1/webhook-endpoints/{id}': 'WEBHOOK_ENDPOINT_NOT_FOUND',
  'POST /v1/webhook-endpoints/{id}/disable': 'WEBHOOK_ENDPOINT_NOT_FOUND',
  'POST /v1/webhook-endpoints/{id}/rotate': 'WEBHOOK_ENDPOINT_NOT_FOUND',
  'DELETE /v1/webhook-endpoints/{id}': 'WEBHOOK_ENDPOINT_NOT_FOUND',
  'DELETE /v1/me/channels/{id}': 'CHANNEL_NOT_FOUND',
};

const pathParams = (op: string) => [...op.matchAll(/\{(\w+)\}/g)].map((m) => `path.${m[1]}`);

const notFound = (code: string, field?: string): Refusal => ({ status: 404, code, field });
const invalid = (code: string, field: string): Refusal => ({ status: 422, code, field });

/** A case whose request is the caller's own but for one foreign id (`names`); the control is the owner's own version. */
const mixed = (op: string, name: string, refusal: Refusal, request: ForeignIdCase['request']): ForeignIdCase => ({
  op,
  names: [name],
  request,
  control: 'owned',
  refusal,
});

/** Ids in bodies, and a path mixing the caller's knowledge base with another tenant's chunk. */
const MIXED_CASES: ForeignIdCase[] = [
  mixed('POST /v1/escalations', 'body.post_id', invalid('INVALID_REFERENCE', 'body.post_id'), async (_, t) => ({
    path: '/v1/escalations',
    body: { post_id: t.posts, reason: 'legal_risk' },
  })),
  mixed('POST /v1/escalations', 'body.decision_id', invalid('INVALID_REFERENCE', 'body.decision_id'), async (m, t) => ({
    path: '/v1/escalations',
    body: { post_id: m.posts, decision_id: t.decisions, reason: 'legal_risk' },
  })),
  mixed('POST /v1/escalations', 'body.reply_id', invalid('INVALID_REFERENCE', 'body.reply_id'), async (m, t) => ({
    path: '/v1/escalations',
    body: { post_id: m.posts, reply_id: t.replies, reason: 'legal_risk' },
  })),
  mixed('POST /v1/escalations/{id}/assign', 'body.user_id', invalid('USER_NOT_MEMBER', 'body.user_id'), async (m, t) => ({
    path: `/v1/escalations/${await newEscalation(m)}/assign`,
    body: { user_id: t.users },
  })),
  mixed('POST /v1/replies/approve', 'body.ids', notFound('REPLY_NOT_FOUND', 'body.ids.1'), async (m, t) => ({
    path: '/v1/replies/approve',
    body: { ids: [await newReply(m), await newReply(t)] },
  })),
  mixed('POST /v1/posts/{id}/decisions', 'body.experiment_id', invalid('EXPERIMENT_NOT_FOUND', 'body.experiment_id'), async (m, t) => ({
    path: `/v1/posts/${m.posts}/decisions`,
    body: { ...decision, experiment_id: t.experiments, experiment_variant: 'a' },
  })),
  mixed('POST /v1/competitive-mentions', 'body.post_id', notFound('POST_NOT_FOUND', 'body.post_id'), async (m, t) => ({
    path: '/v1/competitive-mentions',
    body: { post_id: t.posts, competitor_id: m.competitors, sentiment: 'negative', opportunity_score: 0.5 },
  })),
  mixed('POST /v1/competitive-mentions', 'body.competitor_id', notFound('COMPETITOR_NOT_FOUND', 'body.competitor_id'), async (m, t) => ({
    path: '/v1/competitive-mentions',
    body: { post_id: m.posts, competitor_id: t.competitors, sentiment: 'negative', opportunity_score: 0.5 },
  })),
  mixed('PUT /v1/community-champions', 'body.author_id', notFound('AUTHOR_NOT_FOUND', 'body.author_id'), async (_, t) => ({
    path: '/v1/community-champions',
    body: { author_id: t.authors, tier: 'gold' },
  })),
  mixed('POST /v1/randomized-experiments', 'body.decision_id', notFound('DECISION_NOT_FOUND', 'body.decision_id'), async (_, t) => ({
    path: '/v1/randomized-experiments',
    body: { decision_id: t.decisions, predicted_mode: 'helpful', actual_mode: 'hybrid' },
  })),
  mixed('DELETE /v1/knowledge-bases/{id}/chunks/{chunk_id}', 'path.chunk_id', notFound('KNOWLEDGE_CHUNK_NOT_FOUND'), async (m, t) => {
    const theirs = await newKnowledgeBase(t);
    // The control (the owner's own version) deletes the chunk from its own knowledge base.
    const kb = m === t ? theirs.kb : (await newKnowledgeBase(m)).kb;
    return { path: `/v1/knowledge-bases/${kb}/chunks/${theirs.chunk}` };
  }),
];

export const FOREIGN_ID_CASES: ForeignIdCase[] = [
  ...Object.entries(PATH_NOT_FOUND).map(
    ([op, code]): ForeignIdCase => ({ op, names: pathParams(op), request: (_, t) => ROUTES[op]!.valid(t), control: 'same', refusal: notFound(code) }),
  ),
  ...MIXED_CASES,
];

/**
 * Writes that find their row by a natural key, not an id (upserts): another tenant's key makes or
 * changes the caller's own row and never the owner's. `request(theirs)` names `theirs`' row by its
 * key (the fixture's values, test/helpers/tenant-fixture.ts); the owner's same request finds it:
 * its answer shows the row's id (`shows`), or the row changes (`changes`).
 */
export interface NaturalKeyCase {
  op: string;
  key: string;
  request: (theirs: FixtureIds) => ValidRequest;
  row: (o: FixtureIds) => { table: string; id: string };
  found: 'shows' | 'changes';
}

/** New values each time, so that the owner's upsert changes its row. */
const fresh = (min: number, spread: number) => min + Math.round(Math.random() * spread * 1000) / 1000;
/** Scoring weights summing to 1. */
const weights = (sss = fresh(0.1, 0.3)) => ({ sss_weight: sss, ars_weight: 0.2, evs_weight: 0.2, trs_weight: 0.6 - sss });

export const NATURAL_KEY_CASES: NaturalKeyCase[] = [
  {
    op: 'POST /v1/authors/bulk',
    key: '(platform, platform_id)',
    request: (t) => ({
      path: '/v1/authors/bulk',
      body: { platform: 'twitter', authors: [{ platform_id: `a-${t.authors}`, handle: 'taken', follower_count: 7 }] },
    }),
    row: (o) => ({ table: 'authors', id: o.authors }),
    found: 'shows',
  },
  {
    op: 'POST /v1/posts/bulk',
    key: '(platform, platform_post_id)',
    request: (t) => ({
      path: '/v1/posts/bulk',
      body: {
        platform: 'twitter',
        posts: [{ platform_post_id: `p-${t.posts}`, author: { platform_id: `a-${t.authors}`, handle: 'taken' }, content: 'Taken?', keyword_matches: ['sleep'] }],
      },
    }),
    row: (o) => ({ table: 'posts', id: o.posts }),
    found: 'shows',
  },
  {
    op: 'PUT /v1/segmented-weights',
    key: '(segment_type, segment_key)',
    request: () => ({ path: '/v1/segmented-weights', body: { segment_type: 'platform', segment_key: 'twitter', ...weights() } }),
    row: (o) => ({ table: 'segmented_weights', id: o.segmented_weights }),
    found: 'shows',
  },
  {
    op: 'POST /v1/kpi-metrics/bulk',
    key: '(date, platform, metric_type, metric_name)',
    request: () => ({
      path: '/v1/kpi-metrics/bulk',
      body: { date: '2026-11-01', metrics: [{ platform: 'twitter', metric_type: 'reach', metric_name: 'impressions', value: fresh(1, 1000) }] },
    }),
    row: (o) => ({ table: 'kpi_metrics', id: o.kpi_metrics }),
    found: 'changes',
  },
];

/** Parameters naming something that belongs to no tenant: the skill catalog is global (the same for every client). */
export const GLOBAL_NAMES: Record<string, string[]> = {
  'GET /v1/skills/{name}': ['path.name'],
  'POST /v1/runs': ['body.skill_id'],
};

/** Parameters whose answer is a read of the caller's own data, checked by its own test in cross-tenant.test.ts. */
export const READ_NAMES: Record<string, string[]> = {
  'GET /v1/skills/{name}/feedback-summary': ['path.name'],
  'POST /v1/knowledge/search': ['body.knowledge_base_ids'],
};

/** A list fixture: a client's fixture rows, made to match every filter below, and the extra rows some filters need. */
export interface Owned extends FixtureIds {
  /** A run an API key asked for (runs have a user or a key). */
  keyRun: string;
  /** A posted reply (the fixture's is pending). */
  postedReply: string;
  /** The client's KPI value, distinct per client (series show sums, not ids). */
  kpi: string;
}

/** A filter's value for owner `o`; by default it selects the list's row, else the row `shows` names. */
export type Filter = string | ((o: Owned) => string) | { value: (o: Owned) => string; shows: (o: Owned) => string };

export interface ListCase {
  /** What the owner's answer shows of its own rows (an id, or the KPI value). */
  shows: (o: Owned) => string;
  /** Required parameters, in every request. */
  always?: Record<string, Filter>;
  /** Every other documented query parameter (but limit and cursor). */
  filters: Record<string, Filter>;
}

const PAST = '2000-01-01T00:00:00Z';
const FUTURE = '2100-01-01T00:00:00Z';
const self = (id: keyof Owned) => (o: Owned) => o[id];

/** Every tenant list (and single-row reads without a path parameter). */
export const LISTS: Record<string, ListCase> = {
  'GET /v1/me': { shows: self('clients'), filters: {} },
  'GET /v1/client': { shows: self('clients'), filters: {} },
  'GET /v1/members': { shows: self('memberships'), filters: {} },
  'GET /v1/api-keys': { shows: self('api_keys'), filters: {} },
  'GET /v1/brand-kits': { shows: self('brand_kits'), filters: {} },
  'GET /v1/brand-kits/default': { shows: self('brand_kits'), filters: {} },
  'GET /v1/runs': {
    shows: self('runs'),
    filters: {
      status: 'queued',
      skill: 'fixture-skill',
      user_id: self('users'),
      api_key_id: { value: self('api_keys'), shows: self('keyRun') },
      queued_after: PAST,
      queued_before: FUTURE,
      include: { value: () => 'outputs', shows: self('outputs') },
    },
  },
  'GET /v1/knowledge-bases': { shows: self('knowledge_bases'), filters: { source_type: 'faq', is_active: 'true' } },
  'GET /v1/authors': {
    shows: self('authors'),
    filters: { platform: 'twitter', is_power_user: 'true', power_tier: 'micro', handle_prefix: 'fixture' },
  },
  'GET /v1/posts': {
    shows: self('posts'),
    filters: { platform: 'twitter', detected_after: PAST, detected_before: FUTURE, processed: 'false', keyword_category: 'problem' },
  },
  'GET /v1/decisions': {
    shows: self('decisions'),
    filters: { mode: 'helpful', archetype: 'coach', experiment_id: self('experiments'), created_after: PAST, created_before: FUTURE },
  },
  'GET /v1/replies/queue': { shows: self('replies'), filters: {} },
  'GET /v1/replies': {
    shows: self('replies'),
    filters: {
      approval_status: 'pending',
      platform: 'twitter',
      posted_after: { value: () => PAST, shows: self('postedReply') },
      posted_before: { value: () => FUTURE, shows: self('postedReply') },
      include_deleted: 'true',
    },
  },
  'GET /v1/escalations/queue': { shows: self('escalations'), filters: {} },
  'GET /v1/escalations': { shows: self('escalations'), filters: { status: 'open', priority: 'medium' } },
  'GET /v1/competitors': { shows: self('competitors'), filters: { category: 'direct', price_point: 'mid' } },
  'GET /v1/competitive-mentions': {
    shows: self('competitive_mentions'),
    filters: {
      order: 'created',
      competitor_id: self('competitors'),
      post_id: self('posts'),
      sentiment: 'neutral',
      replied: 'false',
      min_opportunity_score: '0.5',
    },
  },
  'GET /v1/community-champions': {
    shows: self('community_champions'),
    filters: { tier: 'bronze', advocate_status: 'prospect', author_id: self('authors') },
  },
  'GET /v1/kpi-metrics/series': {
    shows: self('kpi'),
    always: { metric_type: 'reach', metric_name: 'impressions', from: '2026-10-01', to: '2026-11-30', platform: 'twitter' },
    filters: { group_by: 'week' },
  },
  'GET /v1/experiments': { shows: self('experiments'), filters: { status: 'draft' } },
  'GET /v1/weight-adjustments': {
    shows: self('weight_adjustment_logs'),
    filters: { from: '2026-10-01', to: '2026-11-30', action: 'adjust' },
  },
  'GET /v1/learning-events': {
    shows: self('learning_events'),
    filters: { from: '2026-10-01', to: '2026-11-30', adjustment_type: 'weights', evaluated: 'false' },
  },
  'GET /v1/randomized-experiments': {
    shows: self('randomized_experiments'),
    filters: { decision_id: self('decisions'), predicted_mode: 'helpful', actual_mode: 'engagement' },
  },
  'GET /v1/segmented-weights': { shows: self('segmented_weights'), filters: { segment_type: 'platform' } },
  // The owner's own change (made by the list fixture's set-up): its brand kit, by its user.
  'GET /v1/audit-logs': {
    shows: self('brand_kits'),
    filters: { entity_type: 'brand_kits', entity_id: self('brand_kits'), actor_id: self('users'), action: 'update', from: PAST, to: FUTURE },
  },
  'GET /v1/webhook-endpoints': { shows: self('webhook_endpoints'), filters: {} },
  'GET /v1/me/channels': { shows: self('channel_links'), filters: {} },
  'GET /v1/webhook-deliveries': {
    shows: self('webhook_deliveries'),
    filters: { endpoint_id: self('webhook_endpoints'), status: 'received', received_after: PAST, received_before: FUTURE },
  },
};

/** Lists of no tenant's rows. */
export const GLOBAL_LISTS = ['GET /v1/skills'];

/** A filter's value and the row it selects, for owner `o` of a list whose row is `shows`. */
export function filterOf(filter: Filter, o: Owned, shows: ListCase['shows']): { value: string; shows: string } {
  if (typeof filter === 'string') return { value: filter, shows: shows(o) };
  if (typeof filter === 'function') return { value: filter(o), shows: shows(o) };
  return { value: filter.value(o), shows: filter.shows(o) };
}
