import { sql } from 'drizzle-orm';
import { asSystem } from '../../../helpers/db';
import type { FixtureIds } from '../../../helpers/tenant-fixture';
import type { RouteSpec } from './types';

async function newExperiment(a: FixtureIds, status: 'draft' | 'running' | 'stopped' = 'draft'): Promise<string> {
  const id = crypto.randomUUID();
  const name = `Suite experiment ${id}`;
  await asSystem(
    status === 'draft'
      ? sql`insert into experiments (id, client_id, name, variant_a, variant_b, metric) values (${id}, ${a.clients}, ${name}, '{}', '{}', 'ctr')`
      : sql`insert into experiments (id, client_id, name, variant_a, variant_b, metric, status, start_date, end_date)
            values (${id}, ${a.clients}, ${name}, '{}', '{}', 'ctr', ${status}, now() - interval '1 day', ${status === 'stopped' ? sql`now()` : null})`,
  );
  return id;
}

async function newLearningEvent(a: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(
    sql`insert into learning_events (id, client_id, date, adjustment_type, adjustment) values (${id}, ${a.clients}, '2026-11-02', 'weights', '{}')`,
  );
  return id;
}

async function newSegment(a: FixtureIds): Promise<string> {
  const key = `suite-${crypto.randomUUID()}`;
  await asSystem(
    sql`insert into segmented_weights (client_id, segment_type, segment_key, sss_weight, ars_weight, evs_weight, trs_weight)
        values (${a.clients}, 'archetype', ${key}, 0.4, 0.3, 0.2, 0.1)`,
  );
  return key;
}

/** KPI metrics, experiments, weight adjustments, learning events, randomized experiments, segmented weights. */
export const LEARNING_ROUTES: Record<string, RouteSpec> = {
  'POST /v1/kpi-metrics/bulk': {
    valid: async () => ({
      path: '/v1/kpi-metrics/bulk',
      body: {
        date: '2026-11-02',
        metrics: [
          { platform: 'twitter', metric_type: 'reach', metric_name: 'impressions', value: 5 },
          { platform: null, metric_type: 'reach', metric_name: 'impressions', value: 7 },
        ],
      },
    }),
  },
  'GET /v1/kpi-metrics/series': {
    valid: async () => ({ path: '/v1/kpi-metrics/series?metric_type=reach&metric_name=impressions&platform=twitter&from=2026-10-01&to=2026-11-30&group_by=week' }),
  },
  'GET /v1/experiments': { valid: async () => ({ path: '/v1/experiments?status=draft' }) },
  'POST /v1/experiments': {
    valid: async () => ({
      path: '/v1/experiments',
      body: { name: `Suite experiment ${crypto.randomUUID()}`, variant_a: { tone: 'coach' }, variant_b: { tone: 'checklist' }, metric: 'reply_ctr' },
    }),
  },
  'GET /v1/experiments/{id}': { valid: async (a) => ({ path: `/v1/experiments/${a.experiments}` }) },
  'PATCH /v1/experiments/{id}': { valid: async (a) => ({ path: `/v1/experiments/${await newExperiment(a)}`, body: { description: 'Suite edit' } }) },
  'DELETE /v1/experiments/{id}': { valid: async (a) => ({ path: `/v1/experiments/${await newExperiment(a)}` }) },
  'POST /v1/experiments/{id}/start': { valid: async (a) => ({ path: `/v1/experiments/${await newExperiment(a)}/start` }) },
  'POST /v1/experiments/{id}/stop': { valid: async (a) => ({ path: `/v1/experiments/${await newExperiment(a, 'running')}/stop` }) },
  'POST /v1/experiments/{id}/conclude': {
    valid: async (a) => ({ path: `/v1/experiments/${await newExperiment(a, 'stopped')}/conclude`, body: { winner: 'b', results: { ctr_b: 0.12 } } }),
  },
  'POST /v1/weight-adjustments': {
    valid: async () => ({
      path: '/v1/weight-adjustments',
      body: {
        date: '2026-11-02',
        action: 'adjust',
        reason: 'Suite adjustment',
        valid_segments: 2,
        total_segments: 3,
        old_weights: { sss: 0.25, ars: 0.25 },
        new_weights: { sss: 0.3, ars: 0.2 },
      },
    }),
  },
  'GET /v1/weight-adjustments': { valid: async () => ({ path: '/v1/weight-adjustments?from=2026-01-01&to=2026-12-31' }) },
  'POST /v1/learning-events': {
    valid: async () => ({
      path: '/v1/learning-events',
      body: { date: '2026-11-02', adjustment_type: 'weights', adjustment: { sss: 0.3 }, predicted_improvement: 0.05 },
    }),
  },
  'GET /v1/learning-events': { valid: async () => ({ path: '/v1/learning-events?evaluated=false' }) },
  'POST /v1/learning-events/{id}/evaluate': {
    valid: async (a) => ({ path: `/v1/learning-events/${await newLearningEvent(a)}/evaluate`, body: { actual_improvement: 0.04, accuracy: 0.8, evaluated_at: '2026-11-09T12:00:00Z' } }),
  },
  'POST /v1/randomized-experiments': {
    valid: async (a) => ({
      path: '/v1/randomized-experiments',
      body: { decision_id: a.decisions, predicted_mode: 'helpful', actual_mode: 'hybrid', predicted_outcome: 0.6 },
    }),
  },
  'GET /v1/randomized-experiments': { valid: async () => ({ path: '/v1/randomized-experiments?predicted_mode=helpful' }) },
  'PUT /v1/segmented-weights': {
    valid: async () => ({
      path: '/v1/segmented-weights',
      body: { segment_type: 'platform', segment_key: 'reddit', sss_weight: 0.4, ars_weight: 0.3, evs_weight: 0.2, trs_weight: 0.1 },
    }),
  },
  'GET /v1/segmented-weights': { valid: async () => ({ path: '/v1/segmented-weights?segment_type=platform' }) },
  // Addressed by (segment_type, segment_key), not by id: every fixture client has platform/twitter,
  // so the suite's cross-tenant check cannot apply; test/worker/learning-loop.test.ts covers it.
  'GET /v1/segmented-weights/{segment_type}/{segment_key}': {
    valid: async (a) => ({ path: `/v1/segmented-weights/archetype/${await newSegment(a)}` }),
  },
};
