import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { countOf, rowOf } from '../helpers/rows';

interface Escalation {
  id: string;
  post_id: string;
  decision_id: string | null;
  reply_id: string | null;
  reason: string;
  priority: string;
  status: string;
  assigned_to: string | null;
  resolved_by: string | null;
  resolution_notes: string | null;
  resolved_at: string | null;
}

const { run: RUN, create: fixture } = useTenantFixtures('eng-e');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

type Status = 'open' | 'assigned' | 'resolved' | 'dismissed';

async function escalationIn(ids: FixtureIds, status: Status, priority = 'medium'): Promise<string> {
  const id = crypto.randomUUID();
  const closed = status === 'resolved' || status === 'dismissed';
  await asSystem(sql`
    insert into escalations (id, client_id, post_id, reason, priority, status, assigned_to, resolved_at)
    values (${id}, ${ids.clients}, ${ids.posts}, 'other', ${priority}::escalation_priority, ${status}::escalation_status,
            ${status === 'assigned' ? ids.users : null}::uuid, ${closed ? sql`now()` : null})`);
  return id;
}

describe('POST /v1/escalations', () => {
  it('opens an escalation in one round trip (default priority medium); a reply fills in its decision', async () => {
    const token = await tokenAs(a, 'service');
    const { result, roundTrips } = await countRoundTrips(() =>
      call('POST', '/v1/escalations', { token, body: { post_id: a.posts, reason: 'safety_concern' } }),
    );
    expect(result.status, await result.clone().text()).toBe(201);
    expect(roundTrips).toBe(1);
    expect(await json<Escalation>(result)).toMatchObject({
      post_id: a.posts,
      decision_id: null,
      reply_id: null,
      reason: 'safety_concern',
      priority: 'medium',
      status: 'open',
    });
    const withReply = await json<Escalation>(
      await call('POST', '/v1/escalations', { token, body: { post_id: a.posts, reply_id: a.replies, reason: 'legal_risk', priority: 'urgent' } }),
    );
    expect(withReply).toMatchObject({ decision_id: a.decisions, reply_id: a.replies, priority: 'urgent' });
  });

  it('refuses references that are not this client’s or do not belong together (422), and unknown enums', async () => {
    const token = await tokenAs(a, 'service');
    const before = [await countOf('escalations', a), await countOf('escalations', b)];
    await fixture('post');
    // A second post of client a with no decision, to test that references belong together.
    const lonelyPost = crypto.randomUUID();
    await asSystem(sql`
      insert into posts (id, client_id, platform, platform_post_id, author_id, content, keyword_matches)
      values (${lonelyPost}, ${a.clients}, 'twitter', ${`lonely-${RUN}`}, ${a.authors}, 'Lonely post', '{sleep}')`);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ post_id: b.posts }, ['body.post_id']],
      [{ post_id: crypto.randomUUID() }, ['body.post_id']],
      [{ post_id: a.posts, decision_id: b.decisions }, ['body.decision_id']],
      [{ post_id: a.posts, reply_id: b.replies }, ['body.reply_id']],
      [{ post_id: lonelyPost, decision_id: a.decisions }, ['body.decision_id']],
      [{ post_id: lonelyPost, reply_id: a.replies }, ['body.reply_id']],
    ];
    for (const [refs, paths] of cases) {
      const problem = await expectProblem(
        await call('POST', '/v1/escalations', { token, body: { ...refs, reason: 'other' } }),
        422,
        'INVALID_REFERENCE',
      );
      expect((problem.errors as { path: string }[]).map((e) => e.path)).toEqual(paths);
    }
    for (const body of [{ post_id: a.posts, reason: 'boredom' }, { post_id: a.posts, reason: 'other', priority: 'asap' }, { reason: 'other' }]) {
      await expectProblem(await call('POST', '/v1/escalations', { token, body }), 422, 'VALIDATION_FAILED');
    }
    expect([await countOf('escalations', a), await countOf('escalations', b)]).toEqual(before);
  });
});

describe('GET /v1/escalations/queue and /v1/escalations', () => {
  it('the queue holds open and assigned escalations, most urgent first, then oldest first, paginated', async () => {
    const ids = await fixture('q');
    const low = await escalationIn(ids, 'open', 'low');
    const urgentOld = await escalationIn(ids, 'assigned', 'urgent');
    const high = await escalationIn(ids, 'open', 'high');
    const urgentNew = await escalationIn(ids, 'open', 'urgent');
    await escalationIn(ids, 'resolved', 'urgent');
    await escalationIn(ids, 'dismissed', 'urgent');
    const expected = [urgentOld, urgentNew, high, ids.escalations /* medium, fixture */, low];

    const token = await tokenAs(ids, 'viewer');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await call('GET', `/v1/escalations/queue?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(response.status, await response.clone().text()).toBe(200);
      const page: Page<Escalation> = await json<Page<Escalation>>(response);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const list = async (query: string) => (await json<Page<Escalation>>(await call('GET', `/v1/escalations?${query}`, { token }))).data.map((e) => e.id);
    expect(await list('priority=urgent&status=open')).toEqual([urgentNew]);
    expect(await list('status=assigned')).toEqual([urgentOld]);
    expect((await list('limit=100')).length).toBe(7);
    await expectProblem(await call('GET', '/v1/escalations?status=closed', { token }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('GET', '/v1/escalations/queue?cursor=eyJ0IjoxfQ', { token }), 400, 'INVALID_CURSOR');
    // Humans' queue: machine clients do not read it.
    await expectProblem(await call('GET', '/v1/escalations/queue', { token: await tokenAs(ids, 'service') }), 403, 'FORBIDDEN');
  });

  it('GET /v1/escalations/{id}: another client’s escalation is 404', async () => {
    const token = await tokenAs(a, 'viewer');
    expect((await json<Escalation>(await call('GET', `/v1/escalations/${a.escalations}`, { token }))).id).toBe(a.escalations);
    await expectProblem(await call('GET', `/v1/escalations/${b.escalations}`, { token }), 404, 'ESCALATION_NOT_FOUND');
  });
});

describe('escalation transitions', () => {
  const statuses: Status[] = ['open', 'assigned', 'resolved', 'dismissed'];
  const actions = [
    { name: 'assign', body: (ids: FixtureIds) => ({ user_id: ids.users }), to: 'assigned' },
    { name: 'resolve', body: () => ({ notes: 'Replied by DM.' }), to: 'resolved' },
    { name: 'dismiss', body: () => ({ notes: 'Not an issue.' }), to: 'dismissed' },
  ];
  for (const action of actions) {
    for (const status of statuses) {
      const allowed = status === 'open' || status === 'assigned';
      it(`${action.name} from ${status}: ${allowed ? `→ ${action.to}` : '409, nothing changes'}`, async () => {
        const id = await escalationIn(a, status);
        const before = await rowOf('escalations', id);
        const { result, roundTrips } = await countRoundTrips(async () =>
          call('POST', `/v1/escalations/${id}/${action.name}`, { token: await tokenAs(a, 'editor'), body: action.body(a) }),
        );
        expect(roundTrips).toBe(1);
        if (allowed) {
          expect(result.status, await result.clone().text()).toBe(200);
          expect((await json<Escalation>(result)).status).toBe(action.to);
        } else {
          const problem = await expectProblem(result, 409, 'INVALID_TRANSITION');
          expect(problem.detail).toContain(`is ${status}`);
          expect(await rowOf('escalations', id)).toEqual(before);
        }
      });
    }
    it(`${action.name} of another client’s escalation: 404, nothing changes`, async () => {
      const before = await rowOf('escalations', b.escalations);
      await expectProblem(
        await call('POST', `/v1/escalations/${b.escalations}/${action.name}`, { token: await tokenAs(a, 'editor'), body: action.body(a) }),
        404,
        'ESCALATION_NOT_FOUND',
      );
      expect(await rowOf('escalations', b.escalations)).toEqual(before);
    });
  }

  it('assign records the assignee, who must be a member of this client (422 otherwise)', async () => {
    const id = await escalationIn(a, 'open');
    const assigned = await json<Escalation>(await call('POST', `/v1/escalations/${id}/assign`, { token: await tokenAs(a, 'editor'), body: { user_id: a.users } }));
    expect(assigned).toMatchObject({ status: 'assigned', assigned_to: a.users });
    const before = await rowOf('escalations', id);
    for (const userId of [b.users, crypto.randomUUID()]) {
      const problem = await expectProblem(
        await call('POST', `/v1/escalations/${id}/assign`, { token: await tokenAs(a, 'editor'), body: { user_id: userId } }),
        422,
        'USER_NOT_MEMBER',
      );
      expect(problem.errors).toEqual([{ path: 'body.user_id', message: 'not a member of this client' }]);
    }
    expect(await rowOf('escalations', id)).toEqual(before);
  });

  it('resolve records the caller, notes and time; an API key cannot resolve (403); dismiss by an API key is anonymous', async () => {
    const id = await escalationIn(a, 'assigned');
    const before = await rowOf('escalations', id);
    await expectProblem(
      await call('POST', `/v1/escalations/${id}/resolve`, { token: await apiKeyTokenAs(a, 'editor'), body: { notes: 'x' } }),
      403,
      'USER_REQUIRED',
    );
    expect(await rowOf('escalations', id)).toEqual(before);
    await expectProblem(await call('POST', `/v1/escalations/${id}/resolve`, { token: await tokenAs(a, 'editor'), body: { notes: ' ' } }), 422, 'VALIDATION_FAILED');
    const resolved = await json<Escalation>(
      await call('POST', `/v1/escalations/${id}/resolve`, { token: await tokenAs(a, 'owner'), body: { notes: 'Refund issued.' } }),
    );
    expect(resolved).toMatchObject({ status: 'resolved', resolved_by: a.users, resolution_notes: 'Refund issued.' });
    expect(resolved.resolved_at).not.toBeNull();

    const other = await escalationIn(a, 'open');
    const dismissed = await json<Escalation>(await call('POST', `/v1/escalations/${other}/dismiss`, { token: await apiKeyTokenAs(a, 'editor') }));
    expect(dismissed).toMatchObject({ status: 'dismissed', resolved_by: null, resolution_notes: null });
    expect(dismissed.resolved_at).not.toBeNull();

    const [audit] = await asSystem(sql`
      select actor_id, changed_columns from audit_logs
      where client_id = ${a.clients} and entity_type = 'escalations' and entity_id = ${id} and action = 'update'`);
    expect(audit).toEqual([{ actor_id: a.users, changed_columns: expect.arrayContaining(['status', 'resolved_by', 'resolved_at']) }]);
  });
});
