import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { countOf, rowOf } from '../helpers/rows';
import { MAX_EMBEDDED_ITEMS } from '../../src/lib/pagination';
import { seedOutput, seedRun, seedSkill, type RunState } from './security/routes/agent-work';

interface Output {
  id: string;
  run_id: string;
  format: string;
}
interface Run {
  id: string;
  client_id: string;
  skill_id: string;
  skill: string;
  user_id: string | null;
  api_key_id: string | null;
  status: RunState;
  user_message: string;
  external_event_id: string | null;
  tokens_input: number | null;
  tokens_output: number | null;
  error_message: string | null;
  metadata: Record<string, unknown>;
  queued_at: string;
  started_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  outputs?: Output[];
}

const skillsCreated: string[] = [];
const { run: RUN, create: fixture } = useTenantFixtures('aw-runs', {
  async afterDeleteAll() {
    if (skillsCreated.length) await asSystem(...skillsCreated.map((name) => sql`delete from skills where name = ${name}`));
  },
});

async function skill(): Promise<{ name: string; id: string }> {
  const name = await seedSkill(`aw-runs-${RUN}`);
  skillsCreated.push(name);
  const [rows] = await asSystem(sql`select id from skills where name = ${name}`);
  return { name, id: rows![0]!.id as string };
}

describe('runs: create', () => {
  it('an editor queues a run by skill name: the requester is the user, one round trip', async () => {
    const ids = await fixture('create');
    const { result, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/runs', { token: await tokenAs(ids, 'editor'), body: { skill: 'fixture-skill', user_message: '  Write a headline  ' } }),
    );
    expect(result.status).toBe(201);
    expect(roundTrips).toBe(1);
    const run = await json<Run>(result);
    expect(run).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      skill_id: ids.skills,
      skill: 'fixture-skill',
      user_id: ids.users,
      api_key_id: null,
      status: 'queued',
      user_message: 'Write a headline',
      external_event_id: null,
      tokens_input: null,
      tokens_output: null,
      error_message: null,
      metadata: {},
      queued_at: expect.any(String),
      started_at: null,
      completed_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const [rows] = await asSystem(sql`select client_id, user_id, api_key_id, status::text, skill_id from runs where id = ${run.id}`);
    expect(rows).toEqual([{ client_id: ids.clients, user_id: ids.users, api_key_id: null, status: 'queued', skill_id: ids.skills }]);
  });

  it('queues by skill_id with metadata and an external event id', async () => {
    const ids = await fixture('create-id');
    const response = await call('POST', '/v1/runs', {
      token: await tokenAs(ids, 'owner'),
      body: { skill_id: ids.skills, user_message: 'Draft an email', metadata: { channel: 'slack', thread: { ts: '1.2' } }, external_event_id: 'evt_123' },
    });
    expect(response.status).toBe(201);
    const run = await json<Run>(response);
    expect(run).toMatchObject({ skill: 'fixture-skill', metadata: { channel: 'slack', thread: { ts: '1.2' } }, external_event_id: 'evt_123' });
  });

  it('an unknown skill is 422 with a field error, in one round trip, and inserts nothing', async () => {
    const ids = await fixture('create-unknown');
    const token = await tokenAs(ids, 'editor');
    const before = await countOf('runs', ids);
    const { result, roundTrips } = await countRoundTrips(() =>
      call('POST', '/v1/runs', { token, body: { skill: 'no-such-skill', user_message: 'hello' } }),
    );
    expect(roundTrips).toBe(1);
    const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ path: 'body.skill', message: 'unknown skill' }]);

    const byId = await expectProblem(
      await call('POST', '/v1/runs', { token, body: { skill_id: crypto.randomUUID(), user_message: 'hello' } }),
      422,
      'VALIDATION_FAILED',
    );
    expect(byId.errors).toEqual([{ path: 'body.skill_id', message: 'unknown skill' }]);
    expect(await countOf('runs', ids)).toBe(before);
  });

  it('refuses bodies naming both or neither skill, unknown fields, and oversized metadata', async () => {
    const ids = await fixture('create-invalid');
    const token = await tokenAs(ids, 'editor');
    const bodies = [
      { skill: 'fixture-skill', skill_id: ids.skills, user_message: 'x' },
      { user_message: 'x' },
      { skill: 'fixture-skill', user_message: 'x', priority: 1 },
      { skill: 'fixture-skill', user_message: '   ' },
      { skill: 'fixture-skill', user_message: 'x'.repeat(20_001) },
      { skill: 'fixture-skill', user_message: 'x', metadata: { blob: 'x'.repeat(17 * 1024) } },
      { skill: 'fixture-skill', user_message: 'x', metadata: ['not', 'an', 'object'] },
    ];
    for (const body of bodies) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/runs', { token, body }));
      await expectProblem(result, 422, 'VALIDATION_FAILED');
      expect(roundTrips).toBe(0);
    }
  });

  it('a viewer may not queue or drive runs (403, no database work)', async () => {
    const ids = await fixture('viewer');
    const token = await tokenAs(ids, 'viewer');
    const queued = await seedRun(ids, 'queued');
    const { result, roundTrips } = await countRoundTrips(() =>
      call('POST', '/v1/runs', { token, body: { skill: 'fixture-skill', user_message: 'x' } }),
    );
    await expectProblem(result, 403, 'FORBIDDEN');
    expect(roundTrips).toBe(0);
    for (const step of ['start', 'cancel']) await expectProblem(await call('POST', `/v1/runs/${queued}/${step}`, { token }), 403, 'FORBIDDEN');
    // …but reads them.
    expect((await call('GET', `/v1/runs/${queued}`, { token })).status).toBe(200);
  });
});

describe('runs: a machine client (service role, API key token)', () => {
  it('queues a run as its API key and drives it through start, outputs and complete', async () => {
    const ids = await fixture('service');
    const token = await apiKeyTokenAs(ids, 'service');
    const created = await call('POST', '/v1/runs', { token, body: { skill: 'fixture-skill', user_message: 'Write a tweet' } });
    expect(created.status).toBe(201);
    const run = await json<Run>(created);
    expect(run).toMatchObject({ user_id: null, api_key_id: ids.api_keys, status: 'queued' });

    const started = await call('POST', `/v1/runs/${run.id}/start`, { token });
    expect(started.status).toBe(200);
    expect(await json<Run>(started)).toMatchObject({ status: 'running', started_at: expect.any(String), completed_at: null });

    const output = await call('POST', `/v1/runs/${run.id}/outputs`, { token, body: { format: 'markdown', content: '# Tweet' } });
    expect(output.status).toBe(201);

    const completed = await call('POST', `/v1/runs/${run.id}/complete`, { token, body: { tokens_input: 100, tokens_output: 250, model: 'model-x' } });
    expect(completed.status).toBe(200);
    const done = await json<Run>(completed);
    expect(done).toMatchObject({ status: 'completed', tokens_input: 100, tokens_output: 250, metadata: { model: 'model-x' } });
    expect(Date.parse(done.completed_at!)).toBeGreaterThanOrEqual(Date.parse(done.started_at!));

    const fetched = await json<Run>(await call('GET', `/v1/runs/${run.id}`, { token }));
    expect(fetched.status).toBe('completed');
    expect(fetched.outputs!.map((o) => o.run_id)).toEqual([run.id]);

    const listed = await json<Page<Run>>(await call('GET', `/v1/runs?api_key_id=${ids.api_keys}`, { token }));
    expect(listed.data.map((r) => r.id)).toEqual([run.id]);
  });
});

const STEPS = {
  start: { from: ['queued'], to: 'running', body: undefined },
  complete: { from: ['running'], to: 'completed', body: { tokens_input: 12, tokens_output: 34 } },
  fail: { from: ['running'], to: 'failed', body: { error_message: 'model timed out' } },
  cancel: { from: ['queued', 'running'], to: 'cancelled', body: undefined },
} as const;
const STATES: RunState[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

describe('runs: the state machine', () => {
  let ids: FixtureIds;
  let token: string;
  beforeAll(async () => {
    ids = await fixture('states');
    token = await tokenAs(ids, 'editor');
  });

  for (const [step, rule] of Object.entries(STEPS)) {
    for (const state of STATES) {
      const allowed = (rule.from as readonly string[]).includes(state);
      it(`${step} from ${state}: ${allowed ? `→ ${rule.to}` : '409 INVALID_TRANSITION, unchanged'} (one round trip)`, async () => {
        const id = await seedRun(ids, state);
        const before = (await rowOf('runs', id)) as Record<string, unknown>;
        const { result, roundTrips } = await countRoundTrips(() => call('POST', `/v1/runs/${id}/${step}`, { token, body: rule.body }));
        expect(roundTrips).toBe(1);
        if (!allowed) {
          const problem = await expectProblem(result, 409, 'INVALID_TRANSITION');
          expect(problem.detail).toContain(state);
          expect(await rowOf('runs', id)).toEqual(before);
          return;
        }
        expect(result.status).toBe(200);
        const run = await json<Run>(result);
        expect(run.status).toBe(rule.to);
        const after = (await rowOf('runs', id)) as Record<string, unknown>;
        expect(after.status).toBe(rule.to);
        if (step === 'start') {
          expect(after.started_at).not.toBeNull();
          expect(after.completed_at).toBeNull();
        } else {
          expect(after.completed_at).not.toBeNull();
          expect(after.started_at).toEqual(before.started_at); // kept (null when cancelled while queued)
        }
        if (step === 'complete') expect(after).toMatchObject({ tokens_input: 12, tokens_output: 34, error_message: null });
        if (step === 'fail') expect(after).toMatchObject({ error_message: 'model timed out', tokens_input: null });
      });
    }
  }

  it('a second identical step is refused: start twice, cancel twice', async () => {
    const id = await seedRun(ids, 'queued');
    expect((await call('POST', `/v1/runs/${id}/start`, { token })).status).toBe(200);
    await expectProblem(await call('POST', `/v1/runs/${id}/start`, { token }), 409, 'INVALID_TRANSITION');
    expect((await call('POST', `/v1/runs/${id}/cancel`, { token })).status).toBe(200);
    await expectProblem(await call('POST', `/v1/runs/${id}/cancel`, { token }), 409, 'INVALID_TRANSITION');
    const run = await json<Run>(await call('GET', `/v1/runs/${id}`, { token }));
    expect(run).toMatchObject({ status: 'cancelled', started_at: expect.any(String), completed_at: expect.any(String) });
  });

  it('an unknown run or another client’s run is 404 and stays unchanged', async () => {
    const other = await fixture('states-other');
    const theirs = await seedRun(other, 'queued');
    const before = await rowOf('runs', theirs);
    for (const [step, rule] of Object.entries(STEPS)) {
      await expectProblem(await call('POST', `/v1/runs/${theirs}/${step}`, { token, body: rule.body }), 404, 'RUN_NOT_FOUND');
      await expectProblem(await call('POST', `/v1/runs/${crypto.randomUUID()}/${step}`, { token, body: rule.body }), 404, 'RUN_NOT_FOUND');
    }
    expect(await rowOf('runs', theirs)).toEqual(before);
  });

  it('validates the bodies of complete and fail', async () => {
    const id = await seedRun(ids, 'running');
    const before = await rowOf('runs', id);
    for (const body of [{ tokens_input: -1, tokens_output: 0 }, { tokens_input: 1.5, tokens_output: 0 }, { tokens_input: 1 }, {}]) {
      await expectProblem(await call('POST', `/v1/runs/${id}/complete`, { token, body }), 422, 'VALIDATION_FAILED');
    }
    for (const body of [{}, { error_message: '' }, { error_message: 'x'.repeat(10_001) }, { error_message: 'x', extra: 1 }]) {
      await expectProblem(await call('POST', `/v1/runs/${id}/fail`, { token, body }), 422, 'VALIDATION_FAILED');
    }
    expect(await rowOf('runs', id)).toEqual(before);
  });
});

describe('runs: get and list', () => {
  let ids: FixtureIds;
  let token: string;
  let other: { name: string; id: string };
  const made = {} as Record<'running' | 'completed' | 'failed' | 'byKey' | 'out1' | 'out2', string>;

  beforeAll(async () => {
    ids = await fixture('list');
    token = await tokenAs(ids, 'viewer');
    other = await skill();
    // Fixture run (queued, fixture-skill, by the user) plus these, oldest first.
    made.running = await seedRun(ids, 'running');
    made.completed = await seedRun(ids, 'completed', other.id);
    made.failed = await seedRun(ids, 'failed');
    made.byKey = crypto.randomUUID();
    await asSystem(
      sql`insert into runs (id, client_id, api_key_id, skill_id, user_message) values (${made.byKey}, ${ids.clients}, ${ids.api_keys}, ${other.id}, 'by key')`,
    );
    await asSystem(
      sql`update runs set queued_at = '2026-01-01T00:00:00Z' where id = ${ids.runs}`,
      sql`update runs set queued_at = '2026-02-01T00:00:00Z' where id = ${made.running}`,
      sql`update runs set queued_at = '2026-03-01T00:00:00Z' where id = ${made.completed}`,
      sql`update runs set queued_at = '2026-04-01T00:00:00Z' where id = ${made.failed}`,
      sql`update runs set queued_at = '2026-05-01T00:00:00Z' where id = ${made.byKey}`,
    );
    made.out1 = await seedOutput(ids, made.completed);
    made.out2 = await seedOutput(ids, made.completed);
  });

  const list = async (query: string) => {
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/runs${query}`, { token }));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    return json<Page<Run>>(result);
  };
  const ids_ = (page: Page<Run>) => page.data.map((r) => r.id).sort();

  it('gets one run with its outputs (oldest first) in one round trip; 404 for others', async () => {
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/runs/${made.completed}`, { token }));
    expect(roundTrips).toBe(1);
    const run = await json<Run>(result);
    expect(run).toMatchObject({ id: made.completed, skill: other.name, status: 'completed' });
    expect(run.outputs!.map((o) => o.id)).toEqual([made.out1, made.out2]);
    expect((await json<Run>(await call('GET', `/v1/runs/${made.running}`, { token }))).outputs).toEqual([]);

    const stranger = await fixture('list-stranger');
    await expectProblem(await call('GET', `/v1/runs/${ids.runs}`, { token: await tokenAs(stranger, 'owner') }), 404, 'RUN_NOT_FOUND');
  });

  it('lists newest first, paginated with limit and cursor', async () => {
    const all = await list('');
    expect(all.data).toHaveLength(5);
    expect(all.data.every((r) => r.outputs === undefined)).toBe(true);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Run> = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((r) => r.id));
    for (const limit of ['0', '101', 'x']) await expectProblem(await call('GET', `/v1/runs?limit=${limit}`, { token }), 400, 'INVALID_REQUEST');
  });

  it('filters by status, skill, user_id, api_key_id and queued time range', async () => {
    expect(ids_(await list('?status=running'))).toEqual([made.running]);
    expect(ids_(await list(`?skill=${other.name}`))).toEqual([made.completed, made.byKey].sort());
    expect(ids_(await list('?skill=no-such-skill'))).toEqual([]);
    expect(ids_(await list(`?user_id=${ids.users}`))).toEqual([ids.runs, made.running, made.completed, made.failed].sort());
    expect(ids_(await list(`?api_key_id=${ids.api_keys}`))).toEqual([made.byKey]);
    expect(ids_(await list('?queued_after=2026-02-01T00:00:00Z&queued_before=2026-04-01T00:00:00Z'))).toEqual(
      [made.running, made.completed].sort(),
    );
    expect(ids_(await list('?queued_after=2026-04-01T00:00:00%2B00:00'))).toEqual([made.failed, made.byKey].sort());
    expect(ids_(await list(`?status=queued&skill=${other.name}&queued_before=2026-06-01T00:00:00Z`))).toEqual([made.byKey]);
    await expectProblem(await call('GET', '/v1/runs?status=done', { token }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('GET', '/v1/runs?queued_after=yesterday', { token }), 400, 'INVALID_REQUEST');
    await expectProblem(
      await call('GET', '/v1/runs?queued_after=2026-04-01T00:00:00Z&queued_before=2026-01-01T00:00:00Z', { token }),
      400,
      'INVALID_REQUEST',
    );
  });

  it('include=outputs returns each run with its outputs in the same single round trip', async () => {
    const page = await list('?include=outputs');
    expect(page.data).toHaveLength(5);
    const byId = Object.fromEntries(page.data.map((r) => [r.id, r]));
    expect(byId[made.completed]!.outputs!.map((o) => o.id)).toEqual([made.out1, made.out2]);
    expect(byId[ids.runs]!.outputs!.map((o) => o.id)).toEqual([ids.outputs]);
    expect(byId[made.running]!.outputs).toEqual([]);

    // With filters and pagination, only the page's runs carry outputs.
    const first = await list('?include=outputs&limit=2&status=completed');
    expect(first.data.map((r) => [r.id, r.outputs!.length])).toEqual([[made.completed, 2]]);
    const paged = await list('?include=outputs&limit=2');
    expect(paged.data.map((r) => r.id)).toEqual([made.byKey, made.failed]);
    expect(paged.data.every((r) => r.outputs!.length === 0)).toBe(true);
    const next = await list(`?include=outputs&limit=2&cursor=${paged.next_cursor}`);
    expect(next.data.map((r) => [r.id, r.outputs!.length])).toEqual([
      [made.completed, 2],
      [made.running, 0],
    ]);
  });

  it('never shows another client’s runs', async () => {
    const stranger = await fixture('list-other');
    const page = await json<Page<Run>>(await call('GET', '/v1/runs?include=outputs', { token: await tokenAs(stranger, 'viewer') }));
    expect(page.data.map((r) => r.id)).toEqual([stranger.runs]);
  });
});

describe('runs: outputs in responses are capped', () => {
  async function runWithOutputs(ids: FixtureIds, count: number): Promise<{ run: string; outputs: string[] }> {
    const run = await seedRun(ids, 'running');
    const [, rows] = await asSystem(
      sql`insert into outputs (client_id, run_id, object_key, format, size_bytes)
          select ${ids.clients}::uuid, ${run}::uuid, 'clients/x/outputs/' || gen_random_uuid()::text || '.md', 'markdown', 1
          from generate_series(1, ${count}::int)`,
      sql`select id from outputs where run_id = ${run} order by created_at, id`,
    );
    return { run, outputs: rows!.map((r) => r.id as string) };
  }

  it(`GET /v1/runs/{id} shows the oldest ${MAX_EMBEDDED_ITEMS} outputs and says whether there are more`, async () => {
    const ids = await fixture('cap');
    const token = await tokenAs(ids, 'viewer');
    const many = await runWithOutputs(ids, MAX_EMBEDDED_ITEMS + 7);
    const exact = await runWithOutputs(ids, MAX_EMBEDDED_ITEMS);
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/runs/${many.run}`, { token }));
    expect(roundTrips).toBe(1);
    const body = await json<Run & { has_more_outputs: boolean }>(result);
    expect(body.outputs!.map((o) => o.id)).toEqual(many.outputs.slice(0, MAX_EMBEDDED_ITEMS));
    expect(body.has_more_outputs).toBe(true);
    const full = await json<Run & { has_more_outputs: boolean }>(await call('GET', `/v1/runs/${exact.run}`, { token }));
    expect(full.outputs!.map((o) => o.id)).toEqual(exact.outputs);
    expect(full.has_more_outputs).toBe(false);

    // include=outputs caps each run of the page the same way, in the same single round trip.
    const listed = await countRoundTrips(() => call('GET', '/v1/runs?include=outputs&status=running', { token }));
    expect(listed.roundTrips).toBe(1);
    const page = await json<Page<Run & { has_more_outputs?: boolean }>>(listed.result);
    const byId = Object.fromEntries(page.data.map((r) => [r.id, r]));
    expect(byId[many.run]).toMatchObject({ has_more_outputs: true });
    expect(byId[many.run]!.outputs!.map((o) => o.id)).toEqual(many.outputs.slice(0, MAX_EMBEDDED_ITEMS));
    expect(byId[exact.run]).toMatchObject({ has_more_outputs: false });
    expect(byId[exact.run]!.outputs).toHaveLength(MAX_EMBEDDED_ITEMS);
    // Without include=outputs, neither field is there.
    const plain = await json<Page<Run & { has_more_outputs?: boolean }>>(await call('GET', '/v1/runs?status=running', { token }));
    expect(plain.data.every((r) => r.outputs === undefined && r.has_more_outputs === undefined)).toBe(true);
  });
});
