import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../helpers/api';
import { asSystem, asTenant } from '../helpers/db';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { countOf, dataDigest, rowOf } from '../helpers/rows';
import { replyIn as replyInState, type ReplyState } from '../helpers/replies';

// Edit-then-approve (`POST /v1/replies/{id}/approve` with `content`), bulk approval
// (`POST /v1/replies/approve`) and the review desk's client list (`app_private.member_clients()`).

interface Reply {
  id: string;
  client_id: string;
  content: string;
  approval_status: string;
  approved_by: string | null;
  approved_at: string | null;
  deleted_at: string | null;
}

interface BulkApproval {
  approved: Reply[];
  not_approved: { id: string; reason: 'not_pending' | 'deleted' }[];
}

interface FieldErrors {
  errors: { path: string; message: string }[];
}

const SIGNATURE = '—Vita';
const CLAIMS = ['clinically proven', 'cure'];
const { run, create: fixture, member } = useTenantFixtures('eng-ra');
let a: FixtureIds;
let b: FixtureIds;
let editor: string; // a second member of a (editor)

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
  await asSystem(
    sql`update brand_kits set reply_signature = ${SIGNATURE},
          prohibited_claims = array[${sql.join(CLAIMS.map((c) => sql`${c}`), sql`, `)}]::text[]
        where id = ${a.brand_kits}`,
  );
  editor = (await member(a, 'editor')).userId;
});

const replyIn = (ids: FixtureIds, state: ReplyState, deleted = false) => replyInState(ids, state, SIGNATURE, deleted);

const approve = async (id: string, body?: unknown, token?: string) =>
  call('POST', `/v1/replies/${id}/approve`, { token: token ?? (await tokenAs(a, 'editor', editor)), body });

const bulk = async (ids: unknown, token?: string) =>
  call('POST', '/v1/replies/approve', { token: token ?? (await tokenAs(a, 'editor', editor)), body: { ids } });

/** The audit rows of one reply, oldest first. */
async function auditOf(ids: FixtureIds, replyId: string) {
  const [rows] = await asSystem(sql`
    select action, actor_id, changed_columns, details from audit_logs
    where client_id = ${ids.clients} and entity_type = 'replies' and entity_id = ${replyId} order by created_at, id`);
  return rows!;
}

describe('POST /v1/replies/{id}/approve with content: edit, then approve', () => {
  it('a passing edit sets the content and approves, in one round trip; the audit trail has the update by the caller', async () => {
    const id = await replyIn(a, 'pending');
    const content = `Edited: a steady bedtime helps most people. ${SIGNATURE}`;
    const { result, roundTrips } = await countRoundTrips(() => approve(id, { content }));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const reply = await json<Reply>(result);
    expect(reply).toMatchObject({ id, content, approval_status: 'approved', approved_by: editor, deleted_at: null });
    expect(Date.now() - Date.parse(reply.approved_at!)).toBeLessThan(60_000);
    expect(await rowOf('replies', id)).toMatchObject({ content, approval_status: 'approved', approved_by: editor });

    const audit = await auditOf(a, id);
    const updates = audit.filter((r) => r.action === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.actor_id).toBe(editor);
    expect(updates[0]!.changed_columns).toEqual(expect.arrayContaining(['content', 'approval_status', 'approved_by', 'approved_at']));
    const details = updates[0]!.details as Record<string, { old: unknown; new: unknown }>;
    expect(details.content).toEqual({ old: `A reply in state pending. ${SIGNATURE}`, new: content });
    expect(details.approval_status).toEqual({ old: 'pending', new: 'approved' });
  });

  it('without a body (or with an empty one) approves the drafted text as it is', async () => {
    for (const body of [undefined, {}]) {
      const id = await replyIn(a, 'pending');
      const before = await rowOf('replies', id);
      const { result, roundTrips } = await countRoundTrips(() => approve(id, body));
      expect(result.status, await result.clone().text()).toBe(200);
      expect(roundTrips).toBe(1);
      expect(await json<Reply>(result)).toMatchObject({ content: before!.content, approval_status: 'approved', approved_by: editor });
    }
  });

  /** An edit refused by the brand rules: 422 with the field errors in one round trip, the row and its audit trail unchanged. */
  async function refusedEdit(content: string): Promise<string[]> {
    const id = await replyIn(a, 'pending');
    const before = await rowOf('replies', id);
    const auditBefore = await auditOf(a, id);
    const { result, roundTrips } = await countRoundTrips(() => approve(id, { content }));
    const problem = (await expectProblem(result, 422, 'BRAND_RULES_VIOLATED')) as unknown as FieldErrors;
    expect(roundTrips).toBe(1);
    expect(problem.errors.every((e) => e.path === 'body.content')).toBe(true);
    expect(await rowOf('replies', id)).toEqual(before);
    expect(before).toMatchObject({ approval_status: 'pending', approved_by: null });
    expect(await auditOf(a, id)).toEqual(auditBefore);
    return problem.errors.map((e) => e.message);
  }

  it('refuses an edit without the signature: 422 naming it, nothing changes', async () => {
    expect(await refusedEdit('Edited: a steady bedtime helps most people.')).toEqual([`Reply must include signature "${SIGNATURE}"`]);
    // A lookalike of the signature does not count.
    expect(await refusedEdit('Edited: a steady bedtime helps most people. -Vita')).toEqual([`Reply must include signature "${SIGNATURE}"`]);
  });

  it("refuses an edit carrying another client's signature instead of its own", async () => {
    const theirs = `—eng-ra-b-${run}`; // b's default kit keeps the fixture's signature
    const [rows] = await asSystem(sql`select reply_signature from brand_kits where id = ${b.brand_kits}`);
    expect(rows![0]!.reply_signature).toBe(theirs);
    expect(await refusedEdit(`Edited: try a steady bedtime routine. ${theirs}`)).toEqual([`Reply must include signature "${SIGNATURE}"`]);
  });

  it('refuses a prohibited claim in another form of its word ("cured" for "cure"), naming the claim', async () => {
    expect(await refusedEdit(`This cured my insomnia in a week. ${SIGNATURE}`)).toEqual(['Reply contains the prohibited claim "cure"']);
    expect(await refusedEdit(`Insomnia is CURABLE, and clinically-proven so. ${SIGNATURE}`)).toEqual([
      'Reply contains the prohibited claim "clinically proven"',
      'Reply contains the prohibited claim "cure"',
    ]);
  });

  it('names every broken rule at once: the missing signature and each claim', async () => {
    expect(await refusedEdit('It cures everything, clinically proven.')).toEqual([
      `Reply must include signature "${SIGNATURE}"`,
      'Reply contains the prohibited claim "clinically proven"',
      'Reply contains the prohibited claim "cure"',
    ]);
  });

  it('does not mistake a word that merely contains a claim ("secure") for it', async () => {
    const id = await replyIn(a, 'pending');
    const content = `Secure your sleep with a routine. ${SIGNATURE}`;
    const response = await approve(id, { content });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await json<Reply>(response)).toMatchObject({ content, approval_status: 'approved' });
  });

  it('refuses every edit when the client has no default kit, or its kit has no signature (422 BRAND_KIT_REQUIRED), nothing changes', async () => {
    const ids = await fixture('nokit');
    const token = await tokenAs(ids, 'editor');
    const content = `Edited: a steady bedtime helps. —eng-ra-nokit-${run}`;
    const before = await rowOf('replies', ids.replies);

    await asSystem(sql`update brand_kits set reply_signature = null where id = ${ids.brand_kits}`);
    const noSignature = await expectProblem(await approve(ids.replies, { content }, token), 422, 'BRAND_KIT_REQUIRED');
    expect(noSignature.detail).toMatch(/no reply signature/);
    expect(await rowOf('replies', ids.replies)).toEqual(before);

    await asSystem(sql`update brand_kits set is_default = false, reply_signature = ${'—Kit'} where id = ${ids.brand_kits}`);
    const noKit = await expectProblem(await approve(ids.replies, { content: `${content} —Kit` }, token), 422, 'BRAND_KIT_REQUIRED');
    expect(noKit.detail).toMatch(/no default brand kit/);
    expect(await rowOf('replies', ids.replies)).toEqual(before);
  });

  const notPending: [string, ReplyState, boolean][] = [
    ['approved', 'approved', false],
    ['rejected', 'rejected', false],
    ['posted', 'posted', false],
    ['deleted (still pending)', 'pending', true],
  ];
  it.each(notPending)('an edit of a reply that is %s: 409, content unchanged even though the text passes', async (_name, state, deleted) => {
    const id = await replyIn(a, state, deleted);
    const before = await rowOf('replies', id);
    const { result, roundTrips } = await countRoundTrips(() => approve(id, { content: `Edited: a steady bedtime helps. ${SIGNATURE}` }));
    const problem = await expectProblem(result, 409, 'INVALID_TRANSITION');
    expect(problem.detail).toContain(deleted ? 'deleted' : `is ${state}`);
    expect(roundTrips).toBe(1);
    expect(await rowOf('replies', id)).toEqual(before);
  });

  it('an edit of a reply that is not pending answers 409 even when the text breaks the rules (the state decides first)', async () => {
    const id = await replyIn(a, 'approved');
    const before = await rowOf('replies', id);
    await expectProblem(await approve(id, { content: 'This cured me, no signature.' }), 409, 'INVALID_TRANSITION');
    expect(await rowOf('replies', id)).toEqual(before);
  });

  it("an edit of another client's reply: 404 REPLY_NOT_FOUND, that reply unchanged", async () => {
    const id = await replyIn(b, 'pending');
    const before = await rowOf('replies', id);
    for (const content of [`Edited: a steady bedtime helps. ${SIGNATURE}`, 'This cured me, no signature.']) {
      await expectProblem(await approve(id, { content }), 404, 'REPLY_NOT_FOUND');
    }
    await expectProblem(await approve(crypto.randomUUID(), { content: `Edited: a steady bedtime helps. ${SIGNATURE}` }), 404, 'REPLY_NOT_FOUND');
    expect(await rowOf('replies', id)).toEqual(before);
  });

  const invalid: [string, unknown, string][] = [
    ['content of 9 characters', { content: `Hell${SIGNATURE}` }, 'Reply too short'],
    ['content of 1001 characters', { content: `${'a'.repeat(996)}${SIGNATURE}` }, 'Reply exceeds maximum length'],
    ['content that is not a string', { content: 42 }, 'content'],
    ['content null', { content: null }, 'content'],
    ['an unknown field', { text: `Edited: a steady bedtime helps. ${SIGNATURE}` }, 'text'],
  ];
  it.each(invalid)('refuses %s with 422 VALIDATION_FAILED before the database', async (_name, body, message) => {
    const id = await replyIn(a, 'pending');
    const before = await rowOf('replies', id);
    const { result, roundTrips } = await countRoundTrips(() => approve(id, body));
    const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
    expect(roundTrips).toBe(0);
    expect(JSON.stringify(problem.errors)).toContain(message);
    expect(await rowOf('replies', id)).toEqual(before);
  });

  it('accepts content of exactly 10 and exactly 1000 characters', async () => {
    for (const content of [`Hello${SIGNATURE}`, `${'a'.repeat(995)}${SIGNATURE}`]) {
      const id = await replyIn(a, 'pending');
      const response = await approve(id, { content });
      expect(response.status, await response.clone().text()).toBe(200);
      expect((await json<Reply>(response)).content).toBe(content);
    }
  });

  it('an edit needs a user with write access: API key 403 USER_REQUIRED, viewer and service 403, a removed member 403; nothing changes', async () => {
    const id = await replyIn(a, 'pending');
    const before = await rowOf('replies', id);
    const content = `Edited: a steady bedtime helps. ${SIGNATURE}`;

    const apiKey = await apiKeyTokenAs(a, 'editor');
    const keyCall = await countRoundTrips(() => approve(id, { content }, apiKey));
    await expectProblem(keyCall.result, 403, 'USER_REQUIRED');
    expect(keyCall.roundTrips).toBe(0);
    await expectProblem(await approve(id, { content }, await tokenAs(a, 'viewer')), 403, 'FORBIDDEN');
    await expectProblem(await approve(id, { content }, await tokenAs(a, 'service')), 403, 'FORBIDDEN');

    const removed = await member(a, 'editor');
    const removedToken = await tokenAs(a, 'editor', removed.userId);
    await asSystem(sql`delete from memberships where id = ${removed.membershipId}`);
    await expectProblem(await approve(id, { content }, removedToken), 403, 'NOT_A_MEMBER');

    expect(await rowOf('replies', id)).toEqual(before);
  });
});

describe('POST /v1/replies/approve: bulk approval', () => {
  it('approves the pending ones in the order of ids and says why each other was left; one round trip', async () => {
    const ids = await fixture('bulk');
    const token = await tokenAs(ids, 'editor');
    const p1 = await replyIn(ids, 'pending');
    const p2 = await replyIn(ids, 'pending');
    const approved = await replyIn(ids, 'approved');
    const rejected = await replyIn(ids, 'rejected');
    const deleted = await replyIn(ids, 'pending', true);
    const untouched = await Promise.all([approved, rejected, deleted].map((id) => rowOf('replies', id)));
    const otherBefore = await dataDigest(b.clients);

    const list = [p2, approved, p1, deleted, rejected];
    const { result, roundTrips } = await countRoundTrips(() => bulk(list, token));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const body = await json<BulkApproval>(result);
    expect(body.approved.map((r) => r.id)).toEqual([p2, p1]);
    for (const reply of body.approved) {
      expect(reply).toMatchObject({ client_id: ids.clients, approval_status: 'approved', approved_by: ids.users, deleted_at: null });
      expect(Date.now() - Date.parse(reply.approved_at!)).toBeLessThan(60_000);
    }
    expect(body.not_approved).toEqual([
      { id: approved, reason: 'not_pending' },
      { id: deleted, reason: 'deleted' },
      { id: rejected, reason: 'not_pending' },
    ]);

    // The response is what was stored; the others are as they were; the other client is untouched.
    for (const reply of body.approved) {
      expect(await rowOf('replies', reply.id)).toMatchObject({ approval_status: 'approved', approved_by: ids.users });
    }
    expect(await Promise.all([approved, rejected, deleted].map((id) => rowOf('replies', id)))).toEqual(untouched);
    expect(await dataDigest(b.clients)).toEqual(otherBefore);

    // Each approval is audited with the caller.
    for (const id of [p1, p2]) {
      const updates = (await auditOf(ids, id)).filter((r) => r.action === 'update');
      expect(updates).toHaveLength(1);
      expect(updates[0]!.actor_id).toBe(ids.users);
      expect((updates[0]!.details as Record<string, unknown>).approval_status).toEqual({ old: 'pending', new: 'approved' });
    }
  });

  it("an id of another client's reply, or of none, is not found: 404 naming each, nothing approved; one round trip", async () => {
    const ids = await fixture('bulk-foreign');
    const token = await tokenAs(ids, 'editor');
    const mine = await replyIn(ids, 'pending');
    const theirs = await replyIn(b, 'pending');
    const unknown = crypto.randomUUID();
    const mineBefore = await dataDigest(ids.clients);
    const otherBefore = await dataDigest(b.clients);

    const { result, roundTrips } = await countRoundTrips(() => bulk([mine, theirs, unknown], token));
    expect(roundTrips).toBe(1);
    const problem = (await expectProblem(result, 404, 'REPLY_NOT_FOUND')) as unknown as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['body.ids.1', 'body.ids.2']);
    expect(await dataDigest(ids.clients)).toEqual(mineBefore);
    expect(await dataDigest(b.clients)).toEqual(otherBefore);
    expect(await rowOf('replies', mine)).toMatchObject({ approval_status: 'pending', approved_by: null });

    // Control: the same call without the foreign and unknown ids approves.
    expect((await json<BulkApproval>(await bulk([mine], token))).approved.map((r) => r.id)).toEqual([mine]);
  });

  it('approving the same ids again approves nothing: all are not_pending', async () => {
    const ids = await fixture('again');
    const token = await tokenAs(ids, 'editor');
    const list = [await replyIn(ids, 'pending'), await replyIn(ids, 'pending')];
    expect((await json<BulkApproval>(await bulk(list, token))).approved).toHaveLength(2);
    const before = await Promise.all(list.map((id) => rowOf('replies', id)));
    const again = await json<BulkApproval>(await bulk(list, token));
    expect(again).toEqual({ approved: [], not_approved: list.map((id) => ({ id, reason: 'not_pending' })) });
    expect(await Promise.all(list.map((id) => rowOf('replies', id)))).toEqual(before);
  });

  it('takes exactly 100 ids', async () => {
    const ids = await fixture('bulk-100');
    const token = await tokenAs(ids, 'editor');
    const list = Array.from({ length: 100 }, () => crypto.randomUUID());
    await asSystem(sql`
      insert into replies (id, client_id, decision_id, content, archetype, platform, utm_code)
      select id, ${ids.clients}::uuid, ${ids.decisions}::uuid, ${`A reply in a batch. ${SIGNATURE}`}, 'coach', 'twitter', 'utm_1'
      from unnest(${`{${list.join(',')}}`}::uuid[]) as id`);
    const { result, roundTrips } = await countRoundTrips(() => bulk(list, token));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const body = await json<BulkApproval>(result);
    expect(body.approved.map((r) => r.id)).toEqual(list);
    expect(body.not_approved).toEqual([]);
  });

  const invalid: [string, () => unknown][] = [
    ['an empty list', () => []],
    ['101 ids', () => Array.from({ length: 101 }, () => crypto.randomUUID())],
    ['a repeated id', () => [PENDING, crypto.randomUUID(), PENDING]],
    ['an id that is not a uuid', () => [PENDING, 'not-a-uuid']],
    ['no list', () => undefined],
  ];
  let PENDING: string;
  beforeAll(async () => {
    PENDING = await replyIn(a, 'pending');
  });
  it.each(invalid)('refuses %s with 422 before the database, nothing approved', async (_name, ids) => {
    const before = await rowOf('replies', PENDING);
    const { result, roundTrips } = await countRoundTrips(() => bulk(ids()));
    const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
    expect(roundTrips).toBe(0);
    expect(JSON.stringify(problem.errors)).toContain('ids');
    expect(await rowOf('replies', PENDING)).toEqual(before);
  });

  it('refuses an unknown field beside ids (422)', async () => {
    const response = await call('POST', '/v1/replies/approve', {
      token: await tokenAs(a, 'editor', editor),
      body: { ids: [PENDING], content: `Edited. ${SIGNATURE}` },
    });
    await expectProblem(response, 422, 'VALIDATION_FAILED');
    expect(await rowOf('replies', PENDING)).toMatchObject({ approval_status: 'pending' });
  });

  it('an API key gets 403 USER_REQUIRED, before the database; nothing approved', async () => {
    const id = await replyIn(a, 'pending');
    const before = await rowOf('replies', id);
    for (const role of ['editor', 'admin', 'service'] as const) {
      const token = await apiKeyTokenAs(a, role);
      const { result, roundTrips } = await countRoundTrips(() => bulk([id], token));
      // `service` is not a write role: refused by the route's roles (FORBIDDEN) before asking for a user.
      await expectProblem(result, 403, role === 'service' ? 'FORBIDDEN' : 'USER_REQUIRED');
      expect(roundTrips).toBe(0);
    }
    expect(await rowOf('replies', id)).toEqual(before);
  });

  it('a viewer and the service role get 403 before the database; nothing approved', async () => {
    const id = await replyIn(a, 'pending');
    const before = await rowOf('replies', id);
    for (const role of ['viewer', 'service'] as const) {
      const token = await tokenAs(a, role);
      const { result, roundTrips } = await countRoundTrips(() => bulk([id], token));
      await expectProblem(result, 403, 'FORBIDDEN');
      expect(roundTrips).toBe(0);
    }
    // A member whose role is viewer, with a token claiming editor, acts as a viewer.
    const viewer = await member(a, 'viewer');
    await expectProblem(await bulk([id], await tokenAs(a, 'editor', viewer.userId)), 403, 'FORBIDDEN');
    expect(await rowOf('replies', id)).toEqual(before);
  });

  it('a member removed after the token was minted: 403 NOT_A_MEMBER in one round trip, nothing approved', async () => {
    const ids = await fixture('removed');
    const list = [await replyIn(ids, 'pending'), await replyIn(ids, 'pending')];
    const removed = await member(ids, 'editor');
    const token = await tokenAs(ids, 'editor', removed.userId);
    await asSystem(sql`delete from memberships where id = ${removed.membershipId}`);
    const before = await dataDigest(ids.clients);

    const { result, roundTrips } = await countRoundTrips(() => bulk(list, token));
    await expectProblem(result, 403, 'NOT_A_MEMBER');
    expect(roundTrips).toBe(1);
    expect(await dataDigest(ids.clients)).toEqual(before);
    expect(await countOf('replies', ids, sql`approval_status = 'approved'`)).toBe(0);
  });

  it("a member of another client cannot approve this client's replies with a token naming this client", async () => {
    const outsider = await member(b, 'editor');
    const id = await replyIn(a, 'pending');
    const before = await rowOf('replies', id);
    await expectProblem(await bulk([id], await tokenAs(a, 'editor', outsider.userId)), 403, 'NOT_A_MEMBER');
    expect(await rowOf('replies', id)).toEqual(before);
  });
});

describe('app_private.member_clients(): the clients a person is a member of', () => {
  let x: FixtureIds;
  let y: FixtureIds;
  let inactive: FixtureIds;
  beforeAll(async () => {
    [x, y, inactive] = await Promise.all([fixture('mc-x'), fixture('mc-y'), fixture('mc-inactive')]);
    // x's owner is also a viewer of y and an editor of the inactive client.
    await asSystem(
      sql`insert into memberships (client_id, user_id, role) values (${y.clients}, ${x.users}, 'viewer'), (${inactive.clients}, ${x.users}, 'editor')`,
      sql`update clients set is_active = false where id = ${inactive.clients}`,
    );
  });

  /** Runs the function as the tenant role, in a transaction whose `app.user_id` is `userId`. */
  async function memberClients(userId: string | null, clientId = x.clients) {
    const [rows] = await asTenant({ clientId, userId, role: 'viewer' }, sql`select * from app_private.member_clients()`);
    return rows!;
  }

  const expected = async (ids: FixtureIds, role: string) => {
    const [rows] = await asSystem(sql`select id, name, slug from clients where id = ${ids.clients}`);
    const c = rows![0]!;
    return { client_id: c.id, name: c.name, slug: c.slug, role };
  };

  it("lists exactly the user's memberships of active clients, with the role in each, ordered by name", async () => {
    const rows = await memberClients(x.users);
    const want = [await expected(x, 'owner'), await expected(y, 'viewer')].sort((p, q) => String(p.name).localeCompare(String(q.name)));
    expect(rows).toEqual(want);
    // Across clients: the same list whichever client the transaction is in.
    expect(await memberClients(x.users, y.clients)).toEqual(want);
  });

  it('leaves out a deactivated client, and lists it again once it is active', async () => {
    expect((await memberClients(x.users)).map((r) => r.client_id)).not.toContain(inactive.clients);
    expect(await memberClients(inactive.users, inactive.clients)).toEqual([]);
    await asSystem(sql`update clients set is_active = true where id = ${inactive.clients}`);
    try {
      expect((await memberClients(x.users)).map((r) => r.client_id)).toContain(inactive.clients);
      expect(await memberClients(inactive.users, inactive.clients)).toEqual([await expected(inactive, 'owner')]);
    } finally {
      await asSystem(sql`update clients set is_active = false where id = ${inactive.clients}`);
    }
  });

  it("lists only the caller's own memberships: another user of the same client sees their own", async () => {
    expect(await memberClients(y.users, x.clients)).toEqual([await expected(y, 'owner')]);
  });

  it('returns nothing for an unknown user id, an API key id, or no user at all', async () => {
    expect(await memberClients(crypto.randomUUID())).toEqual([]);
    expect(await memberClients(x.api_keys)).toEqual([]);
    expect(await memberClients(null)).toEqual([]);
  });

  it('a removed membership is no longer listed', async () => {
    const m = await member(y, 'editor');
    expect((await memberClients(m.userId)).map((r) => r.client_id)).toEqual([y.clients]);
    await asSystem(sql`delete from memberships where id = ${m.membershipId}`);
    expect(await memberClients(m.userId)).toEqual([]);
  });
});
