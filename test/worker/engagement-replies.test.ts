import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { countOf, rowOf } from '../helpers/rows';
import { replyIn as replyInState, type ReplyState } from '../helpers/replies';

interface Reply {
  id: string;
  decision_id: string;
  content: string;
  archetype: string;
  platform: string;
  utm_code: string | null;
  reply_type: string;
  approval_status: string;
  approved_by: string | null;
  approved_at: string | null;
  rejection_reason: string | null;
  posted_at: string | null;
  platform_post_id: string | null;
  metrics: Record<string, unknown> | null;
  deleted_at: string | null;
  delete_reason: string | null;
}

const SIGNATURE = '—Vita';
const { create: fixture, member } = useTenantFixtures('eng-r');
let a: FixtureIds;
let b: FixtureIds;
let editor: string; // a second member of a (editor)
let outsider: string; // a user who is a member of b only


beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
  // A short signature so that seed 003's length bounds can be tested exactly.
  await asSystem(
    sql`update brand_kits set reply_signature = ${SIGNATURE}, prohibited_claims = '{cure,clinically proven}' where id = ${a.brand_kits}`,
  );
  editor = (await member(a, 'editor')).userId;
  outsider = (await member(b, 'editor')).userId;
});

/** Drafts a reply; the UTM code (required) is added unless the body names one or says `utm_code: undefined`. */
async function draft(ids: FixtureIds, body: Record<string, unknown>, decisionId = ids.decisions, role: Role = 'service') {
  const withUtm = 'utm_code' in body ? body : { utm_code: 'test_1', ...body };
  return call('POST', `/v1/decisions/${decisionId}/replies`, { token: await tokenAs(ids, role), body: withUtm });
}

const replyIn = (ids: FixtureIds, state: ReplyState, deleted = false) => replyInState(ids, state, SIGNATURE, deleted);

describe('POST /v1/decisions/{id}/replies: seed 003 rules', () => {
  const failing: [string, Record<string, unknown>, string][] = [
    ['content of 9 characters', { content: `Hell${SIGNATURE}` }, 'Reply too short'],
    ['content of 1001 characters', { content: `${'a'.repeat(996)}${SIGNATURE}` }, 'Reply exceeds maximum length'],
    ['a UTM code with capitals', { content: `Sleep tips for you ${SIGNATURE}`, utm_code: 'Spring_Sale' }, 'Invalid UTM code'],
    ['a UTM code with a space', { content: `Sleep tips for you ${SIGNATURE}`, utm_code: 'spring sale' }, 'Invalid UTM code'],
    ['an empty UTM code', { content: `Sleep tips for you ${SIGNATURE}`, utm_code: '' }, ''],
    ['no UTM code (seed 003: every reply is attributed)', { content: `Sleep tips for you ${SIGNATURE}`, utm_code: undefined }, 'utm_code'],
  ];
  it.each(failing)('refuses %s with 422 before the database', async (_name, body, message) => {
    const before = await countOf('replies', a);
    const { result, roundTrips } = await countRoundTrips(() => draft(a, body));
    const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
    expect(roundTrips).toBe(0);
    if (message) expect(JSON.stringify(problem.errors)).toContain(message);
    expect(await countOf('replies', a)).toBe(before);
  });

  const passing: [string, Record<string, unknown>][] = [
    ['content of exactly 10 characters', { content: `Hello${SIGNATURE}` }],
    ['content of exactly 1000 characters', { content: `${'a'.repeat(995)}${SIGNATURE}` }],
    ['a UTM code of lowercase letters, digits, _ and -', { content: `Sleep tips for you ${SIGNATURE}`, utm_code: 'spring_sale-2026' }],
  ];
  it.each(passing)('accepts %s', async (_name, body) => {
    const response = await draft(a, body);
    expect(response.status, await response.clone().text()).toBe(201);
  });

  it('drafts a pending reply in one round trip, platform from the post, archetype from the decision unless given', async () => {
    const { result, roundTrips } = await countRoundTrips(() => draft(a, { content: `Try a steady bedtime. ${SIGNATURE}`, utm_code: 'tw_1' }));
    expect(result.status).toBe(201);
    expect(roundTrips).toBe(1);
    const reply = await json<Reply>(result);
    expect(reply).toMatchObject({
      decision_id: a.decisions,
      platform: 'twitter',
      archetype: 'coach',
      reply_type: 'direct_reply',
      approval_status: 'pending',
      approved_by: null,
      utm_code: 'tw_1',
      deleted_at: null,
    });
    const other = await json<Reply>(await draft(a, { content: `Checklist: dark room. ${SIGNATURE}`, archetype: 'checklist', reply_type: 'thread_reply' }));
    expect(other).toMatchObject({ archetype: 'checklist', reply_type: 'thread_reply' });
  });
});

describe('POST /v1/decisions/{id}/replies: brand kit rules', () => {
  /** The errors of a refused draft, as a caller who may read brand kits sees them (`service` sees less: role-visibility.test.ts). */
  async function violation(ids: FixtureIds, content: string) {
    const before = await countOf('replies', ids);
    const problem = await expectProblem(await draft(ids, { content }, ids.decisions, 'editor'), 422, 'BRAND_RULES_VIOLATED');
    expect(await countOf('replies', ids)).toBe(before);
    return (problem.errors as { path: string; message: string }[]).map((e) => e.message);
  }

  it('refuses a reply without the signature of the default brand kit', async () => {
    expect(await violation(a, 'Try a steady bedtime routine.')).toEqual([`Reply must include signature "${SIGNATURE}"`]);
    // The signature must be there as written: a lookalike does not count.
    expect(await violation(a, 'Try a steady bedtime routine. -Vita')).toHaveLength(1);
  });

  it("does not accept another client's signature", async () => {
    const [rows] = await asSystem(sql`select reply_signature from brand_kits where id = ${b.brand_kits}`);
    const theirs = rows![0]!.reply_signature as string;
    expect(await violation(a, `Try a steady bedtime routine. ${theirs}`)).toEqual([`Reply must include signature "${SIGNATURE}"`]);
    // and the other way round
    const response = await draft(b, { content: `Try a steady bedtime routine. ${SIGNATURE}` });
    await expectProblem(response, 422, 'BRAND_RULES_VIOLATED');
  });

  it('refuses prohibited claims case-insensitively, as whole words or phrases, and names each', async () => {
    expect(await violation(a, `This will CURE your insomnia! ${SIGNATURE}`)).toEqual(['Reply contains the prohibited claim "cure"']);
    expect(await violation(a, `Cure-all? No, but clinically\n  PROVEN to help. ${SIGNATURE}`)).toEqual([
      'Reply contains the prohibited claim "clinically proven"',
      'Reply contains the prohibited claim "cure"',
    ]);
    expect(await violation(a, 'It will cure you')).toEqual([
      `Reply must include signature "${SIGNATURE}"`,
      'Reply contains the prohibited claim "cure"',
    ]);
  });

  describe('claims match every form of their words (seed 003 compliance, README "Brand rules")', () => {
    const CLAIMS = ['clinically proven', 'cure', 'prevent', 'treat'];
    let forms: FixtureIds;
    beforeAll(async () => {
      forms = await fixture('forms');
      await asSystem(
        sql`update brand_kits set reply_signature = ${SIGNATURE}, prohibited_claims = array[${sql.join(CLAIMS.map((c) => sql`${c}`), sql`, `)}]::text[] where id = ${forms.brand_kits}`,
      );
    });

    const refused: [string, string][] = [
      ['Magnesium prevents insomnia.', 'prevent'],
      ['It prevented my headaches.', 'prevent'],
      ['Preventing burnout, naturally.', 'prevent'],
      ['A natural prevention for colds.', 'prevent'],
      ['Preventive care in a capsule.', 'prevent'],
      ['Preventative support for joints.', 'prevent'],
      ['Colds are preventable with this.', 'prevent'],
      ['It treats anxiety.', 'treat'],
      ['We treated hundreds of people.', 'treat'],
      ['Treating the cause, not the symptom.', 'treat'],
      ['A treatment for insomnia.', 'treat'],
      ['New treatments every week.', 'treat'],
      ['Insomnia is treatable.', 'treat'],
      ['This cured my insomnia.', 'cure'],
      ['It cures everything.', 'cure'],
      ['Curing stress daily.', 'cure'],
      ['A curative blend.', 'cure'],
      ['Insomnia is curable.', 'cure'],
      ['TREATS, CURES!', 'cure'],
      ['Clinically proven to help.', 'clinically proven'],
      ['Clinically-proven formula.', 'clinically proven'],
      // Decided on purpose: the check cannot know the topic, so "preventive" counts wherever it is.
      ['Preventive maintenance of the website is on Sunday.', 'prevent'],
    ];
    it.each(refused)('refuses "%s" (the claim "%s")', async (text, claim) => {
      const messages = await violation(forms, `${text} ${SIGNATURE}`);
      expect(messages).toContain(`Reply contains the prohibited claim "${claim}"`);
    });

    const accepted = [
      'Secure your sleep with a routine.',
      'Procured from trusted farms.',
      'A treaty between night owls and early birds.',
      'A short treatise on naps.',
      'Our curation of sleep tips.',
      'We curate the best routines.',
      'Clinically tested, and proven by many users.',
      'Proven by many, clinically tested.',
      'A steady bedtime helps.',
    ];
    it.each(accepted)('accepts "%s"', async (text) => {
      const response = await draft(forms, { content: `${text} ${SIGNATURE}` }, forms.decisions, 'editor');
      expect(response.status, await response.clone().text()).toBe(201);
    });
  });

  it('does not match a claim inside another word or a partial phrase (seed 003 regex bug fixed)', async () => {
    for (const content of [
      `Secure your sleep with a routine. ${SIGNATURE}`,
      `Procured from trusted farms. ${SIGNATURE}`,
      `Clinically tested, and proven by many users. ${SIGNATURE}`,
    ]) {
      const response = await draft(a, { content });
      expect(response.status, `${content}: ${await response.clone().text()}`).toBe(201);
    }
  });

  it('uses the default kit only: rules of another kit of the client do not apply', async () => {
    await asSystem(sql`
      insert into brand_kits (client_id, name, tone, colors, reply_signature, prohibited_claims)
      values (${a.clients}, 'Other kit', '{"voice":"casual","personality":[],"do_list":[],"dont_list":[]}', '{"primary":"#000000"}',
              '—Other', '{routine}')`);
    const response = await draft(a, { content: `Try a steady routine. ${SIGNATURE}` });
    expect(response.status).toBe(201);
  });

  it('refuses every draft when the client has no default kit, or its default kit has no signature (fail closed)', async () => {
    const ids = await fixture('nokit');
    await asSystem(sql`update brand_kits set reply_signature = null where id = ${ids.brand_kits}`);
    const noSignature = await expectProblem(await draft(ids, { content: 'Any reply at all, really.' }), 422, 'BRAND_KIT_REQUIRED');
    expect(noSignature.detail).toMatch(/no reply signature/);
    await asSystem(sql`update brand_kits set is_default = false where id = ${ids.brand_kits}`);
    const noKit = await expectProblem(await draft(ids, { content: 'Any reply at all, really.' }), 422, 'BRAND_KIT_REQUIRED');
    expect(noKit.detail).toMatch(/no default brand kit/);
    expect(await countOf('replies', ids)).toBe(1); // the fixture's own reply only
  });

  it("answers 404 for another client's decision (before any brand rule)", async () => {
    const before = await countOf('replies', b);
    await expectProblem(await draft(a, { content: `Try a steady bedtime. ${SIGNATURE}` }, b.decisions), 404, 'DECISION_NOT_FOUND');
    await expectProblem(await draft(a, { content: 'no signature here' }, crypto.randomUUID()), 404, 'DECISION_NOT_FOUND');
    expect(await countOf('replies', b)).toBe(before);
  });
});

describe('the approval workflow', () => {
  type Action = { name: string; method: string; path: (id: string) => string; body?: unknown; role: Role; valid: ReplyState[] };
  const actions: Action[] = [
    { name: 'approve', method: 'POST', path: (id) => `/v1/replies/${id}/approve`, role: 'editor', valid: ['pending'] },
    { name: 'reject', method: 'POST', path: (id) => `/v1/replies/${id}/reject`, body: { reason: 'Too salesy.' }, role: 'editor', valid: ['pending'] },
    {
      name: 'posted',
      method: 'POST',
      path: (id) => `/v1/replies/${id}/posted`,
      body: { platform_post_id: 'tw_reply_99' },
      role: 'service',
      valid: ['approved'],
    },
    {
      name: 'metrics',
      method: 'POST',
      path: (id) => `/v1/replies/${id}/metrics`,
      body: { metrics: { likes: 7, replies: 2 } },
      role: 'service',
      valid: ['posted'],
    },
    {
      name: 'delete',
      method: 'DELETE',
      path: (id) => `/v1/replies/${id}`,
      body: { reason: 'Duplicate.' },
      role: 'editor',
      valid: ['pending', 'approved', 'rejected', 'posted'],
    },
  ];
  const states: ReplyState[] = ['pending', 'approved', 'rejected', 'posted'];

  for (const action of actions) {
    for (const state of states) {
      const allowed = action.valid.includes(state);
      it(`${action.name} from ${state}: ${allowed ? 'allowed' : '409, nothing changes'}`, async () => {
        const id = await replyIn(a, state);
        const before = await rowOf('replies', id);
        const token = await tokenAs(a, action.role, action.role === 'editor' ? editor : a.users);
        const { result, roundTrips } = await countRoundTrips(() => call(action.method, action.path(id), { token, body: action.body }));
        expect(roundTrips).toBe(1);
        if (allowed) {
          expect(result.status, await result.clone().text()).toBe(200);
          expect(await rowOf('replies', id)).not.toEqual(before);
        } else {
          const problem = await expectProblem(result, 409, 'INVALID_TRANSITION');
          expect(problem.detail).toContain(`is ${state}`);
          expect(await rowOf('replies', id)).toEqual(before);
        }
      });
    }
    it(`${action.name} of a deleted reply: 409, nothing changes`, async () => {
      const id = await replyIn(a, action.valid[0]!, true);
      const before = await rowOf('replies', id);
      const token = await tokenAs(a, action.role, action.role === 'editor' ? editor : a.users);
      const problem = await expectProblem(await call(action.method, action.path(id), { token, body: action.body }), 409, 'INVALID_TRANSITION');
      expect(problem.detail).toContain('deleted');
      expect(await rowOf('replies', id)).toEqual(before);
    });
    it(`${action.name} of another client's reply: 404, nothing changes`, async () => {
      const id = await replyIn(b, action.valid[0]!);
      const before = await rowOf('replies', id);
      const token = await tokenAs(a, action.role, action.role === 'editor' ? editor : a.users);
      await expectProblem(await call(action.method, action.path(id), { token, body: action.body }), 404, 'REPLY_NOT_FOUND');
      expect(await rowOf('replies', id)).toEqual(before);
    });
  }

  it('approve records the approving user and time; the audit trail names them', async () => {
    const id = await replyIn(a, 'pending');
    const response = await call('POST', `/v1/replies/${id}/approve`, { token: await tokenAs(a, 'editor', editor) });
    const reply = await json<Reply>(response);
    expect(reply).toMatchObject({ approval_status: 'approved', approved_by: editor });
    expect(Date.now() - Date.parse(reply.approved_at!)).toBeLessThan(60_000);

    const [audit] = await asSystem(sql`
      select actor_id, changed_columns, details from audit_logs
      where client_id = ${a.clients} and entity_type = 'replies' and entity_id = ${id} and action = 'update'`);
    expect(audit).toHaveLength(1);
    expect(audit![0]!.actor_id).toBe(editor);
    expect(audit![0]!.changed_columns).toEqual(expect.arrayContaining(['approval_status', 'approved_by', 'approved_at']));
    expect((audit![0]!.details as Record<string, unknown>).approval_status).toEqual({ old: 'pending', new: 'approved' });
  });

  it('the whole path pending → approved → posted → metrics → deleted, each step audited with its actor', async () => {
    const created = await json<Reply>(await draft(a, { content: `Magnesium glycinate may help. ${SIGNATURE}` }));
    const id = created.id;
    await call('POST', `/v1/replies/${id}/approve`, { token: await tokenAs(a, 'owner') });
    const postedAt = new Date(Date.now() - 60_000).toISOString();
    const posted = await json<Reply>(
      await call('POST', `/v1/replies/${id}/posted`, { token: await tokenAs(a, 'service'), body: { platform_post_id: 'tw_1', posted_at: postedAt } }),
    );
    expect(posted).toMatchObject({ approval_status: 'posted', platform_post_id: 'tw_1', posted_at: postedAt, approved_by: a.users });
    const measured = await json<Reply>(
      await call('POST', `/v1/replies/${id}/metrics`, {
        token: await tokenAs(a, 'service'),
        body: { metrics: { likes: 12, replies: 2 }, measured_at: '2026-11-20T08:00:00.000Z' },
      }),
    );
    expect(measured.metrics).toEqual({ likes: 12, replies: 2, measured_at: '2026-11-20T08:00:00.000Z' });
    const deleted = await json<Reply>(
      await call('DELETE', `/v1/replies/${id}?reason=${encodeURIComponent('Taken down on request')}`, { token: await tokenAs(a, 'editor', editor) }),
    );
    expect(deleted).toMatchObject({ approval_status: 'posted', delete_reason: 'Taken down on request' });
    expect(deleted.deleted_at).not.toBeNull();

    const [audit] = await asSystem(sql`
      select action, actor_id, changed_columns from audit_logs
      where client_id = ${a.clients} and entity_type = 'replies' and entity_id = ${id} order by created_at, id`);
    expect(audit!.map((r) => [r.action, r.actor_id])).toEqual([
      ['insert', a.users],
      ['update', a.users],
      ['update', a.users],
      ['update', a.users],
      ['update', editor],
    ]);
    expect(audit![1]!.changed_columns).toContain('approval_status');
  });

  it('approve needs a user: an API key gets 403 USER_REQUIRED, a non-member 403 NOT_A_MEMBER, a viewer or service 403', async () => {
    const id = await replyIn(a, 'pending');
    const before = await rowOf('replies', id);
    const apiKey = await apiKeyTokenAs(a, 'editor');
    const { result, roundTrips } = await countRoundTrips(() => call('POST', `/v1/replies/${id}/approve`, { token: apiKey }));
    await expectProblem(result, 403, 'USER_REQUIRED');
    expect(roundTrips).toBe(0);
    await expectProblem(await call('POST', `/v1/replies/${id}/approve`, { token: await tokenAs(a, 'editor', outsider) }), 403, 'NOT_A_MEMBER');
    await expectProblem(await call('POST', `/v1/replies/${id}/approve`, { token: await tokenAs(a, 'viewer') }), 403, 'FORBIDDEN');
    await expectProblem(await call('POST', `/v1/replies/${id}/approve`, { token: await tokenAs(a, 'service') }), 403, 'FORBIDDEN');
    expect(await rowOf('replies', id)).toEqual(before);
  });

  it('two concurrent approvals: exactly one wins, the other gets 409', async () => {
    const id = await replyIn(a, 'pending');
    const [t1, t2] = await Promise.all([tokenAs(a, 'owner'), tokenAs(a, 'editor', editor)]);
    const responses = await Promise.all([
      call('POST', `/v1/replies/${id}/approve`, { token: t1 }),
      call('POST', `/v1/replies/${id}/approve`, { token: t2 }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('validates the bodies: reject needs a reason, posted a platform id and no future time, metrics flat values, delete a reason', async () => {
    const id = await replyIn(a, 'pending');
    const approved = await replyIn(a, 'approved');
    const posted = await replyIn(a, 'posted');
    const editorToken = await tokenAs(a, 'editor', editor);
    const service = await tokenAs(a, 'service');
    await expectProblem(await call('POST', `/v1/replies/${id}/reject`, { token: editorToken, body: {} }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('POST', `/v1/replies/${id}/reject`, { token: editorToken, body: { reason: ' ' } }), 422, 'VALIDATION_FAILED');
    for (const body of [{}, { platform_post_id: 'has space' }, { platform_post_id: 'ok', posted_at: new Date(Date.now() + 3_600_000).toISOString() }]) {
      await expectProblem(await call('POST', `/v1/replies/${approved}/posted`, { token: service, body }), 422, 'VALIDATION_FAILED');
    }
    for (const body of [{}, { metrics: { nested: { likes: 1 } } }, { metrics: [1, 2] }]) {
      await expectProblem(await call('POST', `/v1/replies/${posted}/metrics`, { token: service, body }), 422, 'VALIDATION_FAILED');
    }
    await expectProblem(await call('DELETE', `/v1/replies/${id}`, { token: editorToken }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('DELETE', `/v1/replies/${id}`, { token: editorToken, body: { reason: '' } }), 422, 'VALIDATION_FAILED');
    const deleted = await json<Reply>(await call('DELETE', `/v1/replies/${id}`, { token: editorToken, body: { reason: 'Spam' } }));
    expect(deleted.delete_reason).toBe('Spam');
    // Deleting twice is refused.
    await expectProblem(await call('DELETE', `/v1/replies/${id}`, { token: editorToken, body: { reason: 'Again' } }), 409, 'INVALID_TRANSITION');
  });
});

describe('reading replies', () => {
  it('GET /v1/replies/queue: pending and not deleted, oldest first, paginated', async () => {
    const ids = await fixture('q');
    const pending: string[] = [ids.replies];
    for (let i = 0; i < 3; i++) pending.push(await replyIn(ids, 'pending'));
    await replyIn(ids, 'approved');
    await replyIn(ids, 'rejected');
    await replyIn(ids, 'pending', true);
    const [ordered] = await asSystem(sql`select id from replies where id in ${pending} order by created_at, id`);
    const expected = ordered!.map((r) => r.id);

    const token = await tokenAs(ids, 'service');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await call('GET', `/v1/replies/queue?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(response.status).toBe(200);
      const page: Page<Reply> = await json<Page<Reply>>(response);
      expect(page.data.every((r) => r.approval_status === 'pending' && r.deleted_at === null)).toBe(true);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    await expectProblem(await call('GET', '/v1/replies/queue?cursor=bogus', { token }), 400, 'INVALID_CURSOR');
  });

  it('GET /v1/replies filters by status, platform, posted time; deleted ones only on request', async () => {
    const ids = await fixture('l');
    const posted = await replyIn(ids, 'posted');
    const rejected = await replyIn(ids, 'rejected');
    const gone = await replyIn(ids, 'approved', true);
    await asSystem(sql`update replies set posted_at = '2026-10-10T00:00:00Z' where id = ${posted}`);
    const token = await tokenAs(ids, 'viewer');
    const list = async (query: string) => (await json<Page<Reply>>(await call('GET', `/v1/replies?${query}`, { token }))).data.map((r) => r.id);
    expect(await list('approval_status=posted')).toEqual([posted]);
    expect(await list('approval_status=rejected&platform=twitter')).toEqual([rejected]);
    expect(await list('platform=reddit')).toEqual([]);
    expect(await list('posted_after=2026-10-01T00:00:00Z&posted_before=2026-10-11T00:00:00Z')).toEqual([posted]);
    expect(await list('posted_after=2026-10-11T00:00:00Z')).toEqual([]);
    expect(await list('approval_status=approved')).toEqual([]);
    expect(await list('approval_status=approved&include_deleted=true')).toEqual([gone]);
    await expectProblem(await call('GET', '/v1/replies?approval_status=maybe', { token }), 400, 'INVALID_REQUEST');
  });

  it('GET /v1/replies/{id}: a deleted reply is still readable; another client’s is 404', async () => {
    const gone = await replyIn(a, 'pending', true);
    const response = await call('GET', `/v1/replies/${gone}`, { token: await tokenAs(a, 'viewer') });
    expect((await json<Reply>(response)).delete_reason).toBe('spam');
    await expectProblem(await call('GET', `/v1/replies/${b.replies}`, { token: await tokenAs(a, 'viewer') }), 404, 'REPLY_NOT_FOUND');
  });
});
