import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { nestedJson } from '../helpers/extreme';
import { countOf } from '../helpers/rows';

interface Decision {
  id: string;
  post_id: string;
  sss_score: number;
  composite_score: number;
  mode: string;
  archetype: string;
  safety_flags: string[];
  signals: Record<string, unknown>;
  temporal_context: Record<string, unknown> | null;
  experiment_id: string | null;
  experiment_variant: string | null;
  is_randomized_experiment: boolean;
  predicted_mode: string | null;
  created_at: string;
}

const { create: fixture } = useTenantFixtures('eng-d');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

const scores = { sss_score: 0.9, ars_score: 0.4, evs_score: 0.6, trs_score: 0.8, composite_score: 0.7 };
const minimal = { ...scores, mode: 'helpful', archetype: 'checklist' };

async function decide(ids: FixtureIds, body: unknown, postId = ids.posts, role: Role = 'service') {
  return call('POST', `/v1/posts/${postId}/decisions`, { token: await tokenAs(ids, role), body });
}

describe('POST /v1/posts/{id}/decisions', () => {
  it('records a full decision in one round trip', async () => {
    const body = {
      ...scores,
      mode: 'hybrid',
      archetype: 'mythbust',
      safety_flags: ['medical_topic'],
      signals: { keyword: 'insomnia', sentiment: -0.4, nested: { ok: true } },
      temporal_context: { hour: 23, weekday: 'fri' },
      competitor_detected: true,
      is_power_user: true,
      experiment_id: a.experiments,
      experiment_variant: 'b',
      is_randomized_experiment: true,
      predicted_mode: 'helpful',
    };
    const { result, roundTrips } = await countRoundTrips(async () => decide(a, body));
    expect(result.status, await result.clone().text()).toBe(201);
    expect(roundTrips).toBe(1);
    expect(await json<Decision>(result)).toMatchObject({ ...body, post_id: a.posts });
    const minimalDecision = await json<Decision>(await decide(a, minimal));
    expect(minimalDecision).toMatchObject({
      safety_flags: [],
      signals: {},
      temporal_context: null,
      experiment_id: null,
      experiment_variant: null,
      is_randomized_experiment: false,
      predicted_mode: null,
    });
  });

  it('accepts scores 0 and 1; refuses scores outside 0..1, unknown modes and archetypes, unknown fields', async () => {
    expect((await decide(a, { ...minimal, sss_score: 0, composite_score: 1 })).status).toBe(201);
    const before = await countOf('decisions', a);
    for (const [field, value] of [
      ['sss_score', 1.01],
      ['ars_score', -0.01],
      ['evs_score', '0.5'],
      ['trs_score', null],
      ['composite_score', 2],
      ['mode', 'aggressive'],
      ['archetype', 'poet'],
      ['predicted_mode', 'loud'],
      ['safety_flags', ['']],
      ['signals', { big: 'x'.repeat(17_000) }],
      ['surprise', 1],
    ] as const) {
      const problem = await expectProblem(await decide(a, { ...minimal, [field]: value }), 422, 'VALIDATION_FAILED');
      expect(JSON.stringify(problem.errors), field).toContain(field === 'surprise' ? 'body' : `body.${field}`);
    }
    expect(await countOf('decisions', a)).toBe(before);
  });

  it('an experiment variant needs an experiment; the experiment must be this client’s', async () => {
    const before = await countOf('decisions', a);
    const noExperiment = await expectProblem(await decide(a, { ...minimal, experiment_variant: 'a' }), 422, 'VALIDATION_FAILED');
    expect(noExperiment.errors).toEqual([{ path: 'body.experiment_variant', message: 'experiment_variant requires experiment_id' }]);
    const theirs = await expectProblem(await decide(a, { ...minimal, experiment_id: b.experiments, experiment_variant: 'a' }), 422, 'EXPERIMENT_NOT_FOUND');
    expect(theirs.errors).toEqual([{ path: 'body.experiment_id', message: 'no such experiment in this client' }]);
    await expectProblem(await decide(a, { ...minimal, experiment_id: crypto.randomUUID() }), 422, 'EXPERIMENT_NOT_FOUND');
    expect(await countOf('decisions', a)).toBe(before);
    // An experiment without a variant is allowed (the database has no rule against it).
    expect((await decide(a, { ...minimal, experiment_id: a.experiments })).status).toBe(201);
  });

  it('answers 404 for another client’s post (and writes nothing there); a viewer gets 403', async () => {
    const before = await countOf('decisions', b);
    await expectProblem(await decide(a, minimal, b.posts), 404, 'POST_NOT_FOUND');
    await expectProblem(await decide(a, minimal, crypto.randomUUID()), 404, 'POST_NOT_FOUND');
    expect(await countOf('decisions', b)).toBe(before);
    await expectProblem(await decide(a, minimal, a.posts, 'viewer'), 403, 'FORBIDDEN');
  });
});

describe('reading decisions', () => {
  it('GET /v1/decisions filters by mode, archetype, experiment and creation time, newest first', async () => {
    const ids = await fixture('list');
    const d1 = await json<Decision>(await decide(ids, { ...minimal, mode: 'engagement', archetype: 'storylet' }));
    const d2 = await json<Decision>(await decide(ids, { ...minimal, mode: 'engagement', archetype: 'coach', experiment_id: ids.experiments }));
    const token = await tokenAs(ids, 'viewer');
    const list = async (query: string) => {
      const response = await call('GET', `/v1/decisions?${query}`, { token });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await json<Page<Decision>>(response)).data.map((d) => d.id);
    };
    expect(await list('mode=engagement')).toEqual([d2.id, d1.id]);
    expect(await list('mode=engagement&archetype=storylet')).toEqual([d1.id]);
    expect(await list(`experiment_id=${ids.experiments}`)).toEqual([d2.id, ids.decisions]);
    expect(await list(`created_after=${encodeURIComponent(d2.created_at)}`)).toEqual([d2.id]);
    expect(await list(`created_before=${encodeURIComponent(d1.created_at)}`)).toEqual([ids.decisions]);
    expect(await list(`experiment_id=${b.experiments}`)).toEqual([]);
    for (const bad of ['mode=loud', 'archetype=poet', 'experiment_id=nope', 'created_after=today']) {
      await expectProblem(await call('GET', `/v1/decisions?${bad}`, { token }), 400, 'INVALID_REQUEST');
    }
  });

  it('GET /v1/decisions/{id}: this client’s decision; another client’s is 404', async () => {
    const token = await tokenAs(a, 'service');
    expect((await json<Decision>(await call('GET', `/v1/decisions/${a.decisions}`, { token }))).id).toBe(a.decisions);
    await expectProblem(await call('GET', `/v1/decisions/${b.decisions}`, { token }), 404, 'DECISION_NOT_FOUND');
  });
});

describe('free-form JSON limits', () => {
  it('signals and temporal_context nest at most 32 levels: 5,000 levels are 422 with a field path, and nothing is stored', async () => {
    const before = await countOf('decisions', a);
    for (const field of ['signals', 'temporal_context']) {
      for (const depth of [33, 5000]) {
        const problem = await expectProblem(await decide(a, { ...minimal, [field]: nestedJson(depth) }), 422, 'VALIDATION_FAILED');
        expect(problem.errors, `${field} ${depth}`).toEqual([{ path: `body.${field}`, message: expect.stringContaining('32') }]);
      }
    }
    expect(await countOf('decisions', a)).toBe(before);
    const deepest = await decide(a, { ...minimal, signals: nestedJson(32), temporal_context: nestedJson(32) });
    expect(deepest.status, await deepest.clone().text()).toBe(201);
    expect((await json<Decision>(deepest)).signals).toEqual(nestedJson(32));
  });
});
