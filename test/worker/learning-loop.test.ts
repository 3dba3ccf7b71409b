import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { json } from '../helpers/api';
import { asSystem, sqlState } from '../helpers/db';
import { useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { sender } from '../helpers/requests';
import { rowOf } from '../helpers/rows';

type Row = Record<string, unknown>;

const { run: RUN, create: fixture } = useTenantFixtures('loop');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

const send = sender(() => a, 'service');

async function created(method: string, path: string, body: unknown, ids: FixtureIds = a): Promise<Row> {
  const response = await send(method, path, { ids, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

const ids = (page: Page) => page.data.map((r) => r.id);

// ---------------------------------------------------------------------------------------------

describe('weight adjustments', () => {
  const adjustment = (extra: Row = {}) => ({
    date: '2026-06-01',
    action: 'adjust',
    reason: 'ARS under-predicted engagement on reddit',
    valid_segments: 3,
    total_segments: 4,
    sample_sizes: { reddit: 120, twitter: 80 },
    old_weights: { sss: 0.25, ars: 0.25, evs: 0.25, trs: 0.25 },
    new_weights: { sss: 0.2, ars: 0.35, evs: 0.25, trs: 0.2 },
    predicted_improvement: 0.04,
    ...extra,
  });

  it('a machine client appends an adjustment (201) in one round trip', async () => {
    const body = adjustment();
    expect(await created('POST', '/v1/weight-adjustments', body)).toEqual({
      id: expect.any(String),
      client_id: a.clients,
      ...body,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const minimal = await created('POST', '/v1/weight-adjustments', {
      date: '2026-06-02',
      action: 'hold',
      reason: 'not enough data',
      old_weights: { sss: 0.25 },
      new_weights: { sss: 0.25 },
    });
    expect(minimal).toMatchObject({ valid_segments: 0, total_segments: 0, sample_sizes: {}, predicted_improvement: null });
    await expectProblem(await send('POST', '/v1/weight-adjustments', { as: 'viewer', body, trips: 0 }), 403);
  });

  it('validates (422): weights 0..1, valid ≤ total segments, dates, counts, no unknown fields', async () => {
    for (const extra of [
      { new_weights: { sss: 1.2 } },
      { old_weights: { sss: -0.1 } },
      { old_weights: { 'Not A Key': 0.1 } },
      { valid_segments: 5, total_segments: 4 },
      { valid_segments: -1 },
      { sample_sizes: { reddit: 1.5 } },
      { date: '2026-13-01' },
      { action: '' },
      { reason: 'r'.repeat(2001) },
      { new_weights: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`w${i}`, 0.1])) },
      { id: crypto.randomUUID() },
    ]) {
      await expectProblem(await send('POST', '/v1/weight-adjustments', { body: adjustment(extra), trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    // The database holds the segment rule as well.
    expect(
      await sqlState(
        asSystem(sql`insert into weight_adjustment_logs (client_id, date, action, reason, valid_segments, total_segments, old_weights, new_weights)
                     values (${a.clients}, '2026-06-01', 'x', 'x', 5, 4, '{}', '{}')`),
      ),
    ).toBe('23514');
  });

  it('lists newest first, by date range and action, paginated; another tenant sees none of them', async () => {
    const t = await fixture('wa-list');
    const made: Row[] = [];
    for (const [date, action] of [['2026-06-01', 'adjust'], ['2026-06-10', 'hold'], ['2026-06-20', 'adjust'], ['2026-07-01', 'adjust']]) {
      made.push(await created('POST', '/v1/weight-adjustments', adjustment({ date, action }), t));
    }
    const june = await json<Page>(await send('GET', '/v1/weight-adjustments?from=2026-06-01&to=2026-06-30&limit=2', { ids: t, as: 'viewer' }));
    const rest = await json<Page>(
      await send('GET', `/v1/weight-adjustments?from=2026-06-01&to=2026-06-30&limit=2&cursor=${june.next_cursor}`, { ids: t, as: 'viewer' }),
    );
    expect([...ids(june), ...ids(rest)]).toEqual([made[2]!.id, made[1]!.id, made[0]!.id]);
    expect(rest.next_cursor).toBeNull();
    // The fixture's adjustment (2026-11-01, adjust) is the oldest recorded.
    expect(ids(await json<Page>(await send('GET', '/v1/weight-adjustments?action=adjust&from=2026-06-15', { ids: t, as: 'viewer' })))).toEqual([
      made[3]!.id,
      made[2]!.id,
      t.weight_adjustment_logs,
    ]);
    expect(ids(await json<Page>(await send('GET', '/v1/weight-adjustments?action=hold', { ids: t, as: 'viewer' })))).toEqual([made[1]!.id]);
    for (const query of ['from=2026-07-01&to=2026-06-01', 'from=june', 'limit=0', 'limit=101']) {
      await expectProblem(await send('GET', `/v1/weight-adjustments?${query}`, { ids: t, as: 'viewer', trips: 0 }), 400, 'INVALID_REQUEST');
    }
    const other = await json<Page>(await send('GET', '/v1/weight-adjustments?limit=100', { ids: b, as: 'viewer' }));
    expect(ids(other)).toEqual([b.weight_adjustment_logs]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('learning events', () => {
  const event = (extra: Row = {}) => ({
    date: '2026-06-01',
    adjustment_type: 'weights',
    adjustment: { ars: '+0.1' },
    predicted_improvement: 0.05,
    baseline_performance: 0.31,
    ...extra,
  });

  it('appends an event (201), unevaluated; outcome fields cannot be set on creation', async () => {
    const body = event();
    expect(await created('POST', '/v1/learning-events', body)).toEqual({
      id: expect.any(String),
      client_id: a.clients,
      ...body,
      actual_improvement: null,
      accuracy: null,
      evaluated_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    for (const extra of [{ accuracy: 0.5 }, { evaluated_at: new Date().toISOString() }, { adjustment: [] }, { adjustment_type: '' }, { date: '2026-02-29' }]) {
      await expectProblem(await send('POST', '/v1/learning-events', { body: event(extra), trips: 0 }), 422, 'VALIDATION_FAILED');
    }
  });

  it('evaluates once (sets evaluated_at); a second evaluation is 409 ALREADY_EVALUATED with the row unchanged', async () => {
    const id = (await created('POST', '/v1/learning-events', event())).id as string;
    const evaluated = await json(await send('POST', `/v1/learning-events/${id}/evaluate`, { body: { actual_improvement: 0.03, accuracy: 0.6 } }));
    expect(evaluated).toMatchObject({ id, actual_improvement: 0.03, accuracy: 0.6 });
    expect(Date.parse(evaluated.evaluated_at as string)).toBeGreaterThan(Date.now() - 60_000);

    const before = await rowOf('learning_events', id);
    await expectProblem(
      await send('POST', `/v1/learning-events/${id}/evaluate`, { body: { actual_improvement: 0.09, accuracy: 0.9 } }),
      409,
      'ALREADY_EVALUATED',
    );
    expect(await rowOf('learning_events', id)).toEqual(before);
  });

  it('evaluation validates accuracy 0..1 and an explicit evaluated_at (not in the future)', async () => {
    const id = (await created('POST', '/v1/learning-events', event())).id as string;
    for (const body of [
      { actual_improvement: 0.1, accuracy: 1.01 },
      { actual_improvement: 0.1, accuracy: -0.01 },
      { actual_improvement: 0.1 },
      { accuracy: 0.5 },
      { actual_improvement: 0.1, accuracy: 0.5, evaluated_at: new Date(Date.now() + 3_600_000).toISOString() },
      { actual_improvement: 0.1, accuracy: 0.5, evaluated_at: 'yesterday' },
    ]) {
      await expectProblem(await send('POST', `/v1/learning-events/${id}/evaluate`, { body, trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    expect((await rowOf('learning_events', id))!.evaluated_at).toBeNull();
    for (const accuracy of [0, 1]) {
      const other = (await created('POST', '/v1/learning-events', event())).id as string;
      const response = await send('POST', `/v1/learning-events/${other}/evaluate`, {
        body: { actual_improvement: -0.02, accuracy, evaluated_at: '2026-06-08T09:30:00+02:00' },
      });
      expect(await json(response)).toMatchObject({ accuracy, actual_improvement: -0.02, evaluated_at: '2026-06-08T07:30:00.000Z' });
    }
  });

  it('another tenant’s event is 404 to evaluate and stays unevaluated; viewers may not evaluate', async () => {
    const before = await rowOf('learning_events', a.learning_events);
    const body = { actual_improvement: 0.1, accuracy: 0.5 };
    await expectProblem(await send('POST', `/v1/learning-events/${a.learning_events}/evaluate`, { ids: b, body }), 404, 'LEARNING_EVENT_NOT_FOUND');
    await expectProblem(await send('POST', `/v1/learning-events/${a.learning_events}/evaluate`, { as: 'viewer', body, trips: 0 }), 403);
    await expectProblem(await send('POST', `/v1/learning-events/${crypto.randomUUID()}/evaluate`, { body }), 404);
    expect(await rowOf('learning_events', a.learning_events)).toEqual(before);
  });

  it('lists with filters: evaluated or not, type, date range', async () => {
    const t = await fixture('le-list');
    const e1 = (await created('POST', '/v1/learning-events', event({ date: '2026-06-05' }), t)).id as string;
    const e2 = (await created('POST', '/v1/learning-events', event({ date: '2026-06-06', adjustment_type: 'threshold' }), t)).id as string;
    await send('POST', `/v1/learning-events/${e1}/evaluate`, { ids: t, body: { actual_improvement: 0.01, accuracy: 0.2 } });
    const list = async (query: string) => ids(await json<Page>(await send('GET', `/v1/learning-events?${query}`, { ids: t, as: 'viewer' })));
    expect(await list('')).toEqual([e2, e1, t.learning_events]);
    expect(await list('evaluated=true')).toEqual([e1]);
    expect(await list('evaluated=false')).toEqual([e2, t.learning_events]);
    expect(await list('adjustment_type=threshold')).toEqual([e2]);
    expect(await list('from=2026-06-06&to=2026-06-30')).toEqual([e2]);
    expect(await list('to=2026-06-05')).toEqual([e1]); // the fixture's event is dated 2026-11-01
    await expectProblem(await send('GET', '/v1/learning-events?evaluated=maybe', { ids: t, as: 'viewer', trips: 0 }), 400);
  });
});

// ---------------------------------------------------------------------------------------------

describe('randomized experiments', () => {
  const record = (decision: string, extra: Row = {}) => ({
    decision_id: decision,
    predicted_mode: 'helpful',
    actual_mode: 'engagement',
    predicted_outcome: 0.7,
    actual_outcome: 0.4,
    ...extra,
  });

  it('appends a record for a decision of this client (201)', async () => {
    const body = record(a.decisions);
    expect(await created('POST', '/v1/randomized-experiments', body)).toEqual({
      id: expect.any(String),
      client_id: a.clients,
      ...body,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await created('POST', '/v1/randomized-experiments', { decision_id: a.decisions, predicted_mode: 'hybrid', actual_mode: 'hybrid' })).toMatchObject({
      predicted_outcome: null,
      actual_outcome: null,
    });
  });

  it('another tenant’s (or no) decision is 404 DECISION_NOT_FOUND; nothing written', async () => {
    const [before] = await asSystem(sql`select count(*)::int as n from randomized_experiments where client_id = ${b.clients}`);
    for (const decision of [a.decisions, crypto.randomUUID()]) {
      const problem = await expectProblem(await send('POST', '/v1/randomized-experiments', { ids: b, body: record(decision) }), 404, 'DECISION_NOT_FOUND');
      expect(problem.errors).toEqual([{ path: 'body.decision_id', message: expect.any(String) }]);
    }
    const [after] = await asSystem(sql`select count(*)::int as n from randomized_experiments where client_id = ${b.clients}`);
    expect(after![0]!.n).toBe(before![0]!.n);
  });

  it('validates modes and outcomes 0..1 (422)', async () => {
    for (const extra of [{ predicted_mode: 'sleepy' }, { actual_mode: 'HELPFUL' }, { predicted_outcome: 1.5 }, { actual_outcome: -1 }, { decision_id: 'x' }]) {
      await expectProblem(await send('POST', '/v1/randomized-experiments', { body: record(a.decisions, extra), trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    for (const outcome of [0, 1]) {
      expect((await created('POST', '/v1/randomized-experiments', record(a.decisions, { predicted_outcome: outcome }))).predicted_outcome).toBe(outcome);
    }
  });

  it('lists with filters', async () => {
    const t = await fixture('re-list');
    const r1 = (await created('POST', '/v1/randomized-experiments', record(t.decisions, { predicted_mode: 'disengaged' }), t)).id;
    const r2 = (await created('POST', '/v1/randomized-experiments', record(t.decisions, { actual_mode: 'hybrid' }), t)).id;
    const list = async (query: string) => ids(await json<Page>(await send('GET', `/v1/randomized-experiments?${query}`, { ids: t, as: 'viewer' })));
    expect(await list(`decision_id=${t.decisions}`)).toEqual([r2, r1, t.randomized_experiments]);
    expect(await list('predicted_mode=disengaged')).toEqual([r1]);
    expect(await list('actual_mode=hybrid')).toEqual([r2]);
    expect(await list(`decision_id=${a.decisions}`)).toEqual([]);
    await expectProblem(await send('GET', '/v1/randomized-experiments?actual_mode=x', { ids: t, as: 'viewer', trips: 0 }), 400);
  });
});

// ---------------------------------------------------------------------------------------------

describe('segmented weights', () => {
  const weights = (key: string, extra: Row = {}) => ({
    segment_type: 'archetype',
    segment_key: key,
    sss_weight: 0.4,
    ars_weight: 0.3,
    evs_weight: 0.2,
    trs_weight: 0.1,
    ...extra,
  });

  it('PUT creates (201) then updates in place (200); left-out optional fields keep their value', async () => {
    const key = `coach-${RUN}`;
    const first = await created('PUT', '/v1/segmented-weights', weights(key, { sample_size: 40, performance: 0.31 }));
    expect(first).toEqual({
      id: expect.any(String),
      client_id: a.clients,
      ...weights(key),
      sample_size: 40,
      performance: 0.31,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const updated = await send('PUT', '/v1/segmented-weights', { body: weights(key, { sss_weight: 0.25, ars_weight: 0.45 }) });
    expect(updated.status).toBe(200);
    expect(await json(updated)).toMatchObject({ id: first.id, sss_weight: 0.25, ars_weight: 0.45, sample_size: 40, performance: 0.31 });
    const cleared = await json(await send('PUT', '/v1/segmented-weights', { body: weights(key, { performance: null, sample_size: 0 }) }));
    expect(cleared).toMatchObject({ id: first.id, performance: null, sample_size: 0 });
    const [rows] = await asSystem(sql`select count(*)::int as n from segmented_weights where client_id = ${a.clients} and segment_key = ${key}`);
    expect(rows![0]!.n).toBe(1);

    // The same weights again change nothing.
    const before = await rowOf('segmented_weights', first.id as string);
    expect((await send('PUT', '/v1/segmented-weights', { body: weights(key, { performance: null, sample_size: 0 }) })).status).toBe(200);
    expect(await rowOf('segmented_weights', first.id as string)).toEqual(before);
  });

  it('weights are 0..1 each and sum to 1 within ±0.01 (422 otherwise)', async () => {
    for (const extra of [
      { sss_weight: 1.1, ars_weight: 0, evs_weight: 0, trs_weight: 0 },
      { sss_weight: -0.1, ars_weight: 0.5, evs_weight: 0.4, trs_weight: 0.2 },
      { sss_weight: 0.5, ars_weight: 0.5, evs_weight: 0.5, trs_weight: 0.5 },
      { sss_weight: 0.2, ars_weight: 0.2, evs_weight: 0.2, trs_weight: 0.2 },
      { sss_weight: 0.4, ars_weight: 0.3, evs_weight: 0.2, trs_weight: 0.115 },
      { sample_size: -1 },
      { segment_type: 'Bad Type' },
      { segment_key: 'has/slash' },
      { segment_key: '' },
    ]) {
      await expectProblem(await send('PUT', '/v1/segmented-weights', { body: weights(`bad-${RUN}`, extra), trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    for (const [i, extra] of [
      { sss_weight: 1, ars_weight: 0, evs_weight: 0, trs_weight: 0 },
      { sss_weight: 0.333, ars_weight: 0.333, evs_weight: 0.333, trs_weight: 0 },
      { sss_weight: 0.4, ars_weight: 0.3, evs_weight: 0.2, trs_weight: 0.105 },
    ].entries()) {
      expect((await send('PUT', '/v1/segmented-weights', { body: weights(`ok-${i}-${RUN}`, extra) })).status).toBe(201);
    }
  });

  it('gets one segment by type and key; lists by type; another tenant’s same segment is its own', async () => {
    const key = `mythbust-${RUN}`;
    await created('PUT', '/v1/segmented-weights', weights(key));
    const got = await send('GET', `/v1/segmented-weights/archetype/${key}`, { as: 'service' });
    expect(await json(got)).toMatchObject({ segment_type: 'archetype', segment_key: key, sss_weight: 0.4 });
    await expectProblem(await send('GET', `/v1/segmented-weights/archetype/${key}`, { ids: b }), 404, 'SEGMENTED_WEIGHT_NOT_FOUND');
    await expectProblem(await send('GET', '/v1/segmented-weights/archetype/has%20space', { trips: 0 }), 400, 'INVALID_REQUEST');

    // Both fixtures have platform/twitter: each client reads its own row.
    const mine = await json(await send('GET', '/v1/segmented-weights/platform/twitter', { as: 'viewer' }));
    const theirs = await json(await send('GET', '/v1/segmented-weights/platform/twitter', { ids: b, as: 'viewer' }));
    expect(mine.id).toBe(a.segmented_weights);
    expect(theirs.id).toBe(b.segmented_weights);
    // And b's PUT of the same segment never touches a's row.
    const before = await rowOf('segmented_weights', a.segmented_weights);
    expect((await send('PUT', '/v1/segmented-weights', { ids: b, body: weights('twitter', { segment_type: 'platform' }) })).status).toBe(200);
    expect(await rowOf('segmented_weights', a.segmented_weights)).toEqual(before);

    const t = await fixture('sw-list');
    const made = await created('PUT', '/v1/segmented-weights', weights('coach'), t);
    const list = await json<Page>(await send('GET', '/v1/segmented-weights?segment_type=archetype', { ids: t, as: 'service' }));
    expect(ids(list)).toEqual([made.id]);
    expect(ids(await json<Page>(await send('GET', '/v1/segmented-weights', { ids: t, as: 'viewer' })))).toEqual([made.id, t.segmented_weights]);
  });

  it('viewers read but may not write', async () => {
    await expectProblem(await send('PUT', '/v1/segmented-weights', { as: 'viewer', body: weights('x'), trips: 0 }), 403);
  });
});
