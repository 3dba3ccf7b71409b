import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { json } from '../helpers/api';
import { asSystem, sqlState } from '../helpers/db';
import { useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { sender } from '../helpers/requests';
import { rowOf } from '../helpers/rows';

type Row = Record<string, unknown>;
type Status = 'draft' | 'running' | 'stopped' | 'concluded';

const { run: RUN, create: fixture } = useTenantFixtures('exp');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

const send = sender(() => a, 'editor');

const draft = (extra: Row = {}) => ({
  name: `Experiment ${crypto.randomUUID()}`,
  variant_a: { archetype: 'coach' },
  variant_b: { archetype: 'checklist' },
  metric: 'reply_ctr',
  ...extra,
});

async function createDraft(ids: FixtureIds = a, extra: Row = {}): Promise<Row> {
  const response = await send('POST', '/v1/experiments', { ids, body: draft(extra) });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

/** An experiment of `a` brought to `status` through the API. */
async function experimentIn(status: Status): Promise<string> {
  const id = (await createDraft()).id as string;
  if (status === 'draft') return id;
  expect((await send('POST', `/v1/experiments/${id}/start`)).status).toBe(200);
  if (status === 'running') return id;
  if (status === 'stopped') {
    expect((await send('POST', `/v1/experiments/${id}/stop`)).status).toBe(200);
    return id;
  }
  expect((await send('POST', `/v1/experiments/${id}/conclude`, { body: { winner: 'a' } })).status).toBe(200);
  return id;
}

describe('experiments: create, read, edit', () => {
  it('creates a draft (201; defaults) in one round trip; names are unique per client (409)', async () => {
    const body = draft({ description: 'Tone test', traffic_split: 0.3 });
    const response = await send('POST', '/v1/experiments', { body });
    expect(response.status).toBe(201);
    expect(await json(response)).toEqual({
      id: expect.any(String),
      client_id: a.clients,
      name: body.name,
      description: 'Tone test',
      variant_a: body.variant_a,
      variant_b: body.variant_b,
      metric: 'reply_ctr',
      traffic_split: 0.3,
      status: 'draft',
      start_date: null,
      end_date: null,
      results: null,
      winner: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await createDraft(a, { name: `x-${RUN}` })).toMatchObject({ traffic_split: 0.5 });
    await expectProblem(await send('POST', '/v1/experiments', { body: draft({ name: body.name }) }), 409, 'EXPERIMENT_NAME_TAKEN');
    expect(await createDraft(b, { name: body.name })).toMatchObject({ name: body.name });
  });

  it('validates (422, no round trip): traffic_split 0..1, JSON objects, lengths, no status or winner on create', async () => {
    for (const extra of [
      { traffic_split: -0.1 },
      { traffic_split: 1.1 },
      { variant_a: [] },
      { variant_b: 'b' },
      { variant_a: { blob: 'x'.repeat(17 * 1024) } },
      { metric: '' },
      { name: 'n'.repeat(256) },
      { status: 'running' },
      { winner: 'a' },
      { start_date: new Date().toISOString() },
    ]) {
      await expectProblem(await send('POST', '/v1/experiments', { body: draft(extra), trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    for (const extra of [{ traffic_split: 0 }, { traffic_split: 1 }]) expect((await createDraft(a, extra)).traffic_split).toBe(extra.traffic_split);
  });

  it('lists newest first, by status, paginated; gets one; machine clients read', async () => {
    const ids = await fixture('list');
    const made = [await createDraft(ids), await createDraft(ids), await createDraft(ids)];
    await send('POST', `/v1/experiments/${made[1]!.id}/start`, { ids });
    const drafts = await json<Page>(await send('GET', '/v1/experiments?status=draft&limit=2', { ids, as: 'service' }));
    const rest = await json<Page>(await send('GET', `/v1/experiments?status=draft&limit=2&cursor=${drafts.next_cursor}`, { ids, as: 'viewer' }));
    expect([...drafts.data, ...rest.data].map((e) => e.id)).toEqual([made[2]!.id, made[0]!.id, ids.experiments]);
    const running = await json<Page>(await send('GET', '/v1/experiments?status=running', { ids, as: 'viewer' }));
    expect(running.data.map((e) => e.id)).toEqual([made[1]!.id]);
    await expectProblem(await send('GET', '/v1/experiments?status=paused', { ids, trips: 0 }), 400);
    expect(await json(await send('GET', `/v1/experiments/${made[0]!.id}`, { ids, as: 'service' }))).toMatchObject({ id: made[0]!.id });
  });

  it('edits only while draft; afterwards 409 EXPERIMENT_NOT_DRAFT with the row unchanged', async () => {
    const id = await experimentIn('draft');
    const edited = await send('PATCH', `/v1/experiments/${id}`, { body: { description: 'Edited', traffic_split: 0.25, variant_b: { archetype: 'mythbust' } } });
    expect(await json(edited)).toMatchObject({ description: 'Edited', traffic_split: 0.25, variant_b: { archetype: 'mythbust' }, status: 'draft' });
    await expectProblem(await send('PATCH', `/v1/experiments/${id}`, { body: {}, trips: 0 }), 422, 'VALIDATION_FAILED');
    await expectProblem(await send('PATCH', `/v1/experiments/${id}`, { body: { status: 'running' }, trips: 0 }), 422);
    await expectProblem(await send('PATCH', `/v1/experiments/${id}`, { body: { traffic_split: 2 }, trips: 0 }), 422);

    for (const status of ['running', 'stopped', 'concluded'] as const) {
      const other = await experimentIn(status);
      const before = await rowOf('experiments', other);
      await expectProblem(await send('PATCH', `/v1/experiments/${other}`, { body: { description: 'Too late' } }), 409, 'EXPERIMENT_NOT_DRAFT');
      expect(await rowOf('experiments', other)).toEqual(before);
    }
    // A rename onto a taken name is 409 too, and changes nothing.
    const taken = (await createDraft()).name;
    const before = await rowOf('experiments', id);
    await expectProblem(await send('PATCH', `/v1/experiments/${id}`, { body: { name: taken, description: 'x' } }), 409, 'EXPERIMENT_NAME_TAKEN');
    expect(await rowOf('experiments', id)).toEqual(before);
  });
});

describe('experiments: the state machine (enforced in SQL)', () => {
  it('draft → running sets start_date; running → stopped sets end_date; stopped → concluded records winner and results', async () => {
    const id = await experimentIn('draft');
    const started = await json(await send('POST', `/v1/experiments/${id}/start`));
    expect(started).toMatchObject({ status: 'running', end_date: null, winner: null });
    expect(Date.parse(started.start_date as string)).toBeGreaterThan(Date.now() - 60_000);

    const stopped = await json(await send('POST', `/v1/experiments/${id}/stop`));
    expect(stopped).toMatchObject({ status: 'stopped', start_date: started.start_date });
    expect(Date.parse(stopped.end_date as string)).toBeGreaterThanOrEqual(Date.parse(started.start_date as string));

    const concluded = await json(await send('POST', `/v1/experiments/${id}/conclude`, { body: { winner: 'b', results: { ctr_a: 0.1, ctr_b: 0.14 } } }));
    expect(concluded).toMatchObject({ status: 'concluded', winner: 'b', results: { ctr_a: 0.1, ctr_b: 0.14 }, end_date: stopped.end_date });
  });

  it('running → concluded ends it now; an inconclusive experiment concludes with winner null', async () => {
    const id = await experimentIn('running');
    const concluded = await json(await send('POST', `/v1/experiments/${id}/conclude`, { body: { winner: null } }));
    expect(concluded).toMatchObject({ status: 'concluded', winner: null, results: null });
    expect(concluded.end_date).not.toBeNull();
    await expectProblem(await send('POST', `/v1/experiments/${id}/conclude`, { body: { winner: 'c' }, trips: 0 }), 422);
    await expectProblem(await send('POST', `/v1/experiments/${id}/conclude`, { body: {}, trips: 0 }), 422);
  });

  const invalid: [string, Status[], unknown?][] = [
    ['start', ['running', 'stopped', 'concluded']],
    ['stop', ['draft', 'stopped', 'concluded']],
    ['conclude', ['draft', 'concluded'], { winner: 'a' }],
  ];
  it.each(invalid)('%s from %j is 409 INVALID_TRANSITION and leaves the row unchanged', async (action, statuses, body) => {
    for (const status of statuses) {
      const id = await experimentIn(status);
      const before = await rowOf('experiments', id);
      const problem = await expectProblem(await send('POST', `/v1/experiments/${id}/${action}`, { body }), 409, 'INVALID_TRANSITION');
      expect(problem.detail).toContain(status);
      expect(await rowOf('experiments', id)).toEqual(before);
    }
  });

  it('the database refuses a winner outside concluded and an end before the start', async () => {
    const id = await experimentIn('running');
    expect(await sqlState(asSystem(sql`update experiments set winner = 'a' where id = ${id}`))).toBe('23514');
    expect(await sqlState(asSystem(sql`update experiments set end_date = start_date - interval '1 day' where id = ${id}`))).toBe('23514');
  });

  it('another tenant’s experiment is 404 for every action, and unchanged', async () => {
    const id = await experimentIn('running');
    const before = await rowOf('experiments', id);
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { description: 'x' }],
      ['DELETE', '', undefined],
      ['POST', '/start', undefined],
      ['POST', '/stop', undefined],
      ['POST', '/conclude', { winner: 'a' }],
    ] as const) {
      await expectProblem(await send(method, `/v1/experiments/${id}${suffix}`, { ids: b, body }), 404, 'EXPERIMENT_NOT_FOUND');
    }
    expect(await rowOf('experiments', id)).toEqual(before);
  });

  it('viewers and machine clients cannot create or change experiments', async () => {
    const id = await experimentIn('draft');
    for (const role of ['viewer', 'service'] as const) {
      await expectProblem(await send('POST', '/v1/experiments', { as: role, body: draft(), trips: 0 }), 403);
      await expectProblem(await send('POST', `/v1/experiments/${id}/start`, { as: role, trips: 0 }), 403);
    }
    expect((await rowOf('experiments', id))!.status).toBe('draft');
  });
});

describe('experiments: delete', () => {
  it('deletes a draft, stopped or concluded experiment; not a running one; not one decisions refer to', async () => {
    for (const status of ['draft', 'stopped', 'concluded'] as const) {
      const id = await experimentIn(status);
      expect((await send('DELETE', `/v1/experiments/${id}`)).status).toBe(204);
      expect(await rowOf('experiments', id)).toBeUndefined();
      await expectProblem(await send('DELETE', `/v1/experiments/${id}`), 404, 'EXPERIMENT_NOT_FOUND');
    }
    const running = await experimentIn('running');
    await expectProblem(await send('DELETE', `/v1/experiments/${running}`), 409, 'INVALID_TRANSITION');
    expect((await rowOf('experiments', running))!.status).toBe('running');

    // The fixture's decision refers to the fixture experiment (ON DELETE RESTRICT).
    const before = await rowOf('experiments', a.experiments);
    await expectProblem(await send('DELETE', `/v1/experiments/${a.experiments}`), 409, 'EXPERIMENT_IN_USE');
    expect(await rowOf('experiments', a.experiments)).toEqual(before);
  });
});
