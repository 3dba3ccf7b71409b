import { SELF } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../../helpers/api';
import { asSystem } from '../../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { countRoundTrips } from '../../helpers/round-trips';
import { dataDigest } from '../../helpers/rows';
import {
  COOKIE,
  desk,
  expectPage,
  expectProblemPage,
  expectSeeOther,
  formTokenOf,
  newEscalation,
  newReply,
  ORIGIN,
  row,
  sessionCookieOf,
  signatureOf,
} from './support';

// The review desk's forms end to end: CSRF defences, approving, rejecting, editing, bulk
// approval, escalations, refusals as pages, and a reply's history.

const { create: fixture, member: addMember } = useTenantFixtures('desk-a');
let a: FixtureIds;
let b: FixtureIds;
let editor: string; // a member of a with the editor role, named "Erin Editor"
let viewer: string; // a member of a with the viewer role
let editorSession: string;
let editorForm: string;
let signature: string;

const member = async (ids: FixtureIds, role: string, displayName: string) => (await addMember(ids, role, displayName)).userId;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
  editor = await member(a, 'editor', 'Erin Editor');
  viewer = await member(a, 'viewer', 'Vic Viewer');
  editorSession = await tokenAs(a, 'editor', editor);
  editorForm = await formTokenOf(editorSession);
  signature = await signatureOf(a);
});

const approvePath = (id: string) => `/desk/replies/${id}/approve`;

/** Asserts a reply is still pending, never approved. */
async function expectPending(id: string): Promise<void> {
  expect(await row('replies', id)).toMatchObject({ approval_status: 'pending', approved_by: null, approved_at: null });
}

describe('CSRF defences on every form', () => {
  it('another Origin: 403 page, the reply still pending', async () => {
    const id = await newReply(a);
    for (const origin of ['https://evil.example', 'http://desk.test', 'https://desk.test.evil.example', 'null']) {
      const response = await desk('POST', approvePath(id), { session: editorSession, origin, form: { _csrf: editorForm } });
      await expectProblemPage(response, 403);
      expect(sessionCookieOf(response), origin).toBeUndefined();
    }
    await expectPending(id);
  });

  it('no Origin at all on a form post: 403 page, unchanged', async () => {
    const id = await newReply(a);
    const response = await desk('POST', approvePath(id), { session: editorSession, origin: null, form: { _csrf: editorForm } });
    await expectProblemPage(response, 403);
    await expectPending(id);
  });

  it('no form token, a wrong one, or another session\'s: 403 page, unchanged, and the session is kept', async () => {
    const id = await newReply(a);
    const otherSession = await tokenAs(a, 'owner'); // another person of the same client
    const otherForm = await formTokenOf(otherSession);
    expect(otherForm).not.toBe(editorForm);
    const forms: Record<string, Record<string, string | string[]>> = {
      'no _csrf': {},
      'empty _csrf': { _csrf: '' },
      'a wrong _csrf': { _csrf: 'A'.repeat(editorForm.length) },
      "another session's _csrf": { _csrf: otherForm },
      'the session token itself': { _csrf: editorSession },
      'a very long _csrf': { _csrf: `${editorForm}${'A'.repeat(200)}` },
    };
    for (const [name, form] of Object.entries(forms)) {
      const response = await desk('POST', approvePath(id), { session: editorSession, form });
      const page = await expectProblemPage(response, 403).catch((error: Error) => {
        throw new Error(`${name}: ${error.message}`);
      });
      expect(page, name).toContain('This form is out of date or did not come from the desk.');
      expect(sessionCookieOf(response), name).toBeUndefined();
    }
    await expectPending(id);
  });

  it('a JSON body (no form content type, so no Origin check) still needs the form token: 403 page, unchanged', async () => {
    const id = await newReply(a);
    const response = await SELF.fetch(`${ORIGIN}${approvePath(id)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `${COOKIE}=${editorSession}`, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ _csrf: editorForm }),
    });
    await expectProblemPage(response, 403);
    await expectPending(id);
  });

  it('a form token in the query string does not count', async () => {
    const id = await newReply(a);
    const response = await desk('POST', `${approvePath(id)}?_csrf=${encodeURIComponent(editorForm)}`, { session: editorSession, form: {} });
    await expectProblemPage(response, 403);
    await expectPending(id);
  });

  it('everything right: 303 to /desk?notice=approved and the reply approved by that person', async () => {
    const id = await newReply(a);
    const response = await desk('POST', approvePath(id), { session: editorSession, form: { _csrf: editorForm } });
    expectSeeOther(response, '/desk?notice=approved');
    expect(await row('replies', id)).toMatchObject({ approval_status: 'approved', approved_by: editor });
    const page = await expectPage(await desk('GET', '/desk?notice=approved', { session: editorSession }), 200);
    expect(page).toContain('Reply approved.');
    expect(page).not.toContain(`id="reply-${id}"`);
  });
});

describe('reply actions end to end', () => {
  it('approve keeps the reviewer\'s place (at) in the redirect, and ignores a bogus one', async () => {
    const id = await newReply(a);
    expectSeeOther(await desk('POST', approvePath(id), { session: editorSession, form: { _csrf: editorForm, at: '3' } }), '/desk?notice=approved&at=3');
    const other = await newReply(a);
    expectSeeOther(
      await desk('POST', approvePath(other), { session: editorSession, form: { _csrf: editorForm, at: 'https://evil.example' } }),
      '/desk?notice=approved',
    );
  });

  it('the desk\'s approve is one forwarded request: the same single database round trip as the API, plus the session check\'s none', async () => {
    const id = await newReply(a);
    const { result, roundTrips } = await countRoundTrips(() => desk('POST', approvePath(id), { session: editorSession, form: { _csrf: editorForm } }));
    expectSeeOther(result, '/desk?notice=approved');
    expect(roundTrips).toBe(1);
  });

  it('reject with a reason: 303 notice=rejected, rejected with that reason', async () => {
    const id = await newReply(a);
    const response = await desk('POST', `/desk/replies/${id}/reject`, { session: editorSession, form: { _csrf: editorForm, reason: 'Off brand tone.' } });
    expectSeeOther(response, '/desk?notice=rejected');
    expect(await row('replies', id)).toMatchObject({ approval_status: 'rejected', rejection_reason: 'Off brand tone.' });
  });

  it('reject with an empty (or missing) reason: 422 page, unchanged', async () => {
    const id = await newReply(a);
    for (const form of [{ reason: '' }, { reason: '   ' }, {}] as Record<string, string>[]) {
      const response = await desk('POST', `/desk/replies/${id}/reject`, { session: editorSession, form: { _csrf: editorForm, ...form } });
      await expectProblemPage(response, 422);
    }
    expect(await row('replies', id)).toMatchObject({ approval_status: 'pending', rejection_reason: null });
  });

  it('an edit that breaks a brand rule: 422 page with the errors beside the textarea, unchanged; the fixed edit approves with the new text', async () => {
    const id = await newReply(a);
    const before = await row('replies', id);
    const broken = 'This will cure your insomnia overnight, promise.';
    const response = await desk('POST', approvePath(id), { session: editorSession, form: { _csrf: editorForm, content: broken, at: '0' } });
    const page = await expectPage(response, 422);
    expect(await row('replies', id)).toEqual(before);

    // The refused text is shown again in its own textarea, the errors right after it.
    const textarea = page.indexOf(`<textarea id="content-${id}"`);
    expect(textarea).toBeGreaterThan(-1);
    const afterTextarea = page.slice(textarea);
    expect(afterTextarea).toMatch(new RegExp(`^<textarea id="content-${id}"[^>]*aria-invalid="true"[^>]*>${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</textarea>`));
    expect(afterTextarea).toMatch(new RegExp(`^<textarea[^>]*aria-describedby="reply-${id}-errors"`));
    const errors = errorsAfterTextarea(afterTextarea, id);
    expect(errors).toEqual([`Reply must include signature "${signature}"`, 'Reply contains the prohibited claim "cure"']);
    expect(page).toMatch(/<details data-edit="true" open="">/);

    const fixed = `A steady bedtime routine helps most people. ${signature}`;
    const ok = await desk('POST', approvePath(id), { session: editorSession, form: { _csrf: formTokenFromPage(page), content: fixed } });
    expectSeeOther(ok, '/desk?notice=approved');
    expect(await row('replies', id)).toMatchObject({ approval_status: 'approved', approved_by: editor, content: fixed });
  });

  it('an edit too short for a reply: 422 page with the refused text beside its error, unchanged', async () => {
    const id = await newReply(a);
    const response = await desk('POST', approvePath(id), { session: editorSession, form: { _csrf: editorForm, content: 'short' } });
    const page = await expectPage(response, 422);
    const textarea = page.slice(page.indexOf(`<textarea id="content-${id}"`));
    expect(textarea).toMatch(/^<textarea[^>]*aria-invalid="true"[^>]*>short<\/textarea>/);
    expect(errorsAfterTextarea(textarea, id)).toEqual([expect.stringMatching(/short/i)]);
    await expectPending(id);
  });

  it('bulk approve of two ids via repeated ids fields: both approved by the person', async () => {
    const [first, second, untouched] = [await newReply(a), await newReply(a), await newReply(a)];
    const response = await desk('POST', '/desk/replies/approve', { session: editorSession, form: { _csrf: editorForm, ids: [first, second] } });
    expectSeeOther(response, '/desk?notice=bulk-approved');
    for (const id of [first, second]) expect(await row('replies', id)).toMatchObject({ approval_status: 'approved', approved_by: editor });
    await expectPending(untouched);
  });

  it('bulk approve with one already handled: notice=bulk-partial, the other approved', async () => {
    const [done, pending] = [await newReply(a, 'approved'), await newReply(a)];
    const response = await desk('POST', '/desk/replies/approve', { session: editorSession, form: { _csrf: editorForm, ids: [done, pending, 'not-a-uuid'] } });
    expectSeeOther(response, '/desk?notice=bulk-partial');
    expect(await row('replies', pending)).toMatchObject({ approval_status: 'approved', approved_by: editor });
  });

  it("bulk approve naming another client's reply: a 404 page, nothing approved, theirs or ours", async () => {
    const [ours, theirs] = [await newReply(a), await newReply(b)];
    const response = await desk('POST', '/desk/replies/approve', { session: editorSession, form: { _csrf: editorForm, ids: [ours, theirs] } });
    await expectProblemPage(response, 404);
    await expectPending(ours);
    await expectPending(theirs);
  });

  it('bulk approve with no ids: back to the queue, nothing written', async () => {
    const digest = await dataDigest(a.clients);
    expectSeeOther(await desk('POST', '/desk/replies/approve', { session: editorSession, form: { _csrf: editorForm } }), '/desk');
    expect(await dataDigest(a.clients)).toEqual(digest);
  });

  it('a stale action (approving an already approved reply): 303 with notice=conflict, nothing changes', async () => {
    const id = await newReply(a, 'approved');
    const before = await row('replies', id);
    const response = await desk('POST', approvePath(id), { session: editorSession, form: { _csrf: editorForm } });
    expectSeeOther(response, '/desk?notice=conflict');
    expect(await row('replies', id)).toEqual(before);
    const page = await expectPage(await desk('GET', '/desk?notice=conflict', { session: editorSession }), 200);
    expect(page).toContain('Someone else handled that item first');
    // Rejecting it too.
    expectSeeOther(await desk('POST', `/desk/replies/${id}/reject`, { session: editorSession, form: { _csrf: editorForm, reason: 'Late.' } }), '/desk?notice=conflict');
  });

  it('a notice the desk does not know is not echoed', async () => {
    const page = await expectPage(await desk('GET', '/desk?notice=%3Cscript%3Ealert(1)%3C/script%3E', { session: editorSession }), 200);
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('class="notice"');
  });
});

describe('escalations end to end', () => {
  it('assign to me: assigned_to is the person; the page says so', async () => {
    const id = await newEscalation(a);
    const response = await desk('POST', `/desk/escalations/${id}/assign`, { session: editorSession, form: { _csrf: editorForm } });
    expectSeeOther(response, '/desk/escalations?notice=assigned');
    expect(await row('escalations', id)).toMatchObject({ status: 'assigned', assigned_to: editor });
    const page = await expectPage(await desk('GET', '/desk/escalations?notice=assigned', { session: editorSession }), 200);
    expect(page).toContain('Escalation assigned to you.');
    const item = page.slice(page.indexOf(`id="escalation-${id}"`));
    expect(item.slice(0, item.indexOf('</li>'))).toContain('assigned to you');
    expect(item.slice(0, item.indexOf('</li>'))).not.toContain(`/desk/escalations/${id}/assign`);
  });

  it('a form cannot assign the escalation to someone else (user_id is the session\'s)', async () => {
    const id = await newEscalation(a);
    const response = await desk('POST', `/desk/escalations/${id}/assign`, { session: editorSession, form: { _csrf: editorForm, user_id: viewer } });
    expectSeeOther(response, '/desk/escalations?notice=assigned');
    expect(await row('escalations', id)).toMatchObject({ assigned_to: editor });
  });

  it('resolve with notes: resolved by the person, with the notes', async () => {
    const id = await newEscalation(a);
    const response = await desk('POST', `/desk/escalations/${id}/resolve`, { session: editorSession, form: { _csrf: editorForm, notes: 'Answered by DM.' } });
    expectSeeOther(response, '/desk/escalations?notice=resolved');
    const escalation = await row('escalations', id);
    expect(escalation).toMatchObject({ status: 'resolved', resolved_by: editor, resolution_notes: 'Answered by DM.' });
    expect(escalation.resolved_at).not.toBeNull();
  });

  it('dismiss (with and without notes): dismissed', async () => {
    for (const form of [{ notes: 'False alarm.' }, {}] as Record<string, string>[]) {
      const id = await newEscalation(a);
      const response = await desk('POST', `/desk/escalations/${id}/dismiss`, { session: editorSession, form: { _csrf: editorForm, ...form } });
      expectSeeOther(response, '/desk/escalations?notice=dismissed');
      expect(await row('escalations', id)).toMatchObject({ status: 'dismissed' });
    }
  });

  it('resolve without notes: 422 page, unchanged', async () => {
    const id = await newEscalation(a);
    const before = await row('escalations', id);
    for (const form of [{ notes: '' }, {}] as Record<string, string>[]) {
      await expectProblemPage(await desk('POST', `/desk/escalations/${id}/resolve`, { session: editorSession, form: { _csrf: editorForm, ...form } }), 422);
    }
    expect(await row('escalations', id)).toEqual(before);
  });

  it('resolving one already resolved: notice=conflict', async () => {
    const id = await newEscalation(a);
    expectSeeOther(await desk('POST', `/desk/escalations/${id}/resolve`, { session: editorSession, form: { _csrf: editorForm, notes: 'Done.' } }), /notice=resolved/);
    const before = await row('escalations', id);
    expectSeeOther(
      await desk('POST', `/desk/escalations/${id}/resolve`, { session: editorSession, form: { _csrf: editorForm, notes: 'Again.' } }),
      '/desk/escalations?notice=conflict',
    );
    expect(await row('escalations', id)).toEqual(before);
  });
});

describe('refusals as pages', () => {
  it("another client's reply in /desk/replies/{id}: 404 page; its approve: 404 page, their reply unchanged; the owner's own approve works", async () => {
    const theirs = await newReply(b);
    const before = await row('replies', theirs);
    const digest = await dataDigest(a.clients, b.clients);

    const history = await expectProblemPage(await desk('GET', `/desk/replies/${theirs}`, { session: editorSession }), 404);
    expect(history).toContain('There is no such page, or it belongs to another client.');
    await expectProblemPage(await desk('POST', approvePath(theirs), { session: editorSession, form: { _csrf: editorForm } }), 404);
    await expectProblemPage(
      await desk('POST', approvePath(theirs), { session: editorSession, form: { _csrf: editorForm, content: `Taken over. ${signature}` } }),
      404,
    );
    await expectProblemPage(await desk('POST', `/desk/replies/${theirs}/reject`, { session: editorSession, form: { _csrf: editorForm, reason: 'x' } }), 404);
    await expectProblemPage(await desk('POST', `/desk/escalations/${b.escalations}/resolve`, { session: editorSession, form: { _csrf: editorForm, notes: 'x' } }), 404);
    expect(await row('replies', theirs)).toEqual(before);
    expect(await dataDigest(a.clients, b.clients)).toEqual(digest);

    // Positive control: b's own owner approves it through the desk.
    const owner = await tokenAs(b, 'owner');
    expectSeeOther(await desk('POST', approvePath(theirs), { session: owner, form: { _csrf: await formTokenOf(owner) } }), '/desk?notice=approved');
    expect(await row('replies', theirs)).toMatchObject({ approval_status: 'approved', approved_by: b.users });
  });

  it('a non-uuid id: 404 page (GET and POST), nothing written', async () => {
    const digest = await dataDigest(a.clients);
    for (const id of ['not-a-uuid', '1', `${a.replies}x`, "'%20or%201=1"]) {
      await expectProblemPage(await desk('GET', `/desk/replies/${id}`, { session: editorSession }), 404);
      await expectProblemPage(await desk('POST', `/desk/replies/${id}/approve`, { session: editorSession, form: { _csrf: editorForm } }), 404);
      await expectProblemPage(await desk('POST', `/desk/escalations/${id}/assign`, { session: editorSession, form: { _csrf: editorForm } }), 404);
    }
    expect(await dataDigest(a.clients)).toEqual(digest);
  });

  it("a viewer's approve (and reject, bulk, escalation work): 403 page, unchanged, the session kept", async () => {
    const id = await newReply(a);
    const escalation = await newEscalation(a);
    const session = await tokenAs(a, 'viewer', viewer);
    const form = await formTokenOf(session);
    const digest = await dataDigest(a.clients);
    const attempts: [string, Record<string, string | string[]>][] = [
      [approvePath(id), {}],
      [approvePath(id), { content: `Viewer edit. ${signature}` }],
      [`/desk/replies/${id}/reject`, { reason: 'No.' }],
      ['/desk/replies/approve', { ids: [id] }],
      [`/desk/escalations/${escalation}/assign`, {}],
      [`/desk/escalations/${escalation}/resolve`, { notes: 'x' }],
      [`/desk/escalations/${escalation}/dismiss`, {}],
    ];
    for (const [path, fields] of attempts) {
      const response = await desk('POST', path, { session, form: { _csrf: form, ...fields } });
      await expectProblemPage(response, 403).catch((error: Error) => {
        throw new Error(`${path}: ${error.message}`);
      });
      expect(sessionCookieOf(response), path).toBeUndefined();
    }
    expect(await dataDigest(a.clients)).toEqual(digest);
    await expectPending(id);
  });

  it('a viewer token that claims editor is held to the current viewer role', async () => {
    const id = await newReply(a);
    const session = await tokenAs(a, 'editor', viewer);
    const response = await desk('POST', approvePath(id), { session, form: { _csrf: await formTokenOf(session) } });
    await expectProblemPage(response, 403);
    await expectPending(id);
  });

  it('an unknown desk path: 404 HTML page, not problem+json', async () => {
    for (const path of ['/desk/xyz', '/desk/replies', '/desk/escalations/xyz', '/desk/replies/approve']) {
      const response = await desk('GET', path, { session: editorSession });
      const page = await expectProblemPage(response, 404);
      expect(page, path).toContain('There is no such page');
    }
    const post = await desk('POST', '/desk/xyz', { session: editorSession, form: { _csrf: editorForm } });
    await expectProblemPage(post, 404);
  });
});

describe('a reply\'s history', () => {
  it('after draft, edit and approve through the API, the page lists the entries with the actors\' membership names', async () => {
    const author = await member(a, 'editor', 'Dana Drafter');
    const drafted = await call('POST', `/v1/decisions/${a.decisions}/replies`, {
      token: await tokenAs(a, 'editor', author),
      body: { content: `Drafted: a steady bedtime helps. ${signature}`, utm_code: 'desk_history' },
    });
    expect(drafted.status, await drafted.clone().text()).toBe(201);
    const { id } = await json<{ id: string }>(drafted);

    const edited = `Edited: a steady bedtime helps most people. ${signature}`;
    const approved = await call('POST', `/v1/replies/${id}/approve`, { token: editorSession, body: { content: edited } });
    expect(approved.status, await approved.clone().text()).toBe(200);

    const page = await expectPage(await desk('GET', `/desk/replies/${id}`, { session: editorSession }), 200);
    expect(page).toContain('<h1>Reply history</h1>');
    expect(page).toContain('now approved');
    const rows = [...page.matchAll(/<tr><td><time[^>]*>[^<]*<\/time><\/td><td>([^<]*)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => ({ who: m[1], what: m[2] }));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ who: 'Dana Drafter' });
    expect(rows[0]!.what).toContain('Drafted the reply');
    expect(rows[1]).toMatchObject({ who: 'Erin Editor' });
    expect(rows[1]!.what).toContain('Edited the text');
    expect(rows[1]!.what).toContain('Approved the reply');
    expect(rows[1]!.what).toContain(`<del>Drafted: a steady bedtime helps. ${signature}</del>`);
    expect(rows[1]!.what).toContain(`<ins>${edited}</ins>`);
  });

  it('a rejection through the desk shows with its reason, by the reviewer', async () => {
    const id = await newReply(a);
    expectSeeOther(await desk('POST', `/desk/replies/${id}/reject`, { session: editorSession, form: { _csrf: editorForm, reason: 'Too salesy.' } }), /rejected/);
    const page = await expectPage(await desk('GET', `/desk/replies/${id}`, { session: editorSession }), 200);
    expect(page).toContain('now rejected');
    expect(page).toContain('<td>Erin Editor</td>');
    expect(page).toContain('Rejected the reply: Too salesy.');
  });

  // A member with no display name (it is optional) is shown by email, not taken for someone who has left.
  it('a current member without a display name is not shown as "A former member or API key"', async () => {
    const id = await newReply(a);
    const owner = await tokenAs(a, 'owner'); // the fixture's owner: a member, no display name
    expectSeeOther(await desk('POST', approvePath(id), { session: owner, form: { _csrf: await formTokenOf(owner) } }), /approved/);
    const page = await expectPage(await desk('GET', `/desk/replies/${id}`, { session: owner }), 200);
    expect(page).toContain('Approved the reply');
    expect(page).not.toContain('A former member or API key');
  });

  it('an action by someone who has left the client shows as a former member', async () => {
    const id = await newReply(a);
    const leaver = await member(a, 'editor', 'Lee Leaver');
    const session = await tokenAs(a, 'editor', leaver);
    expectSeeOther(await desk('POST', approvePath(id), { session, form: { _csrf: await formTokenOf(session) } }), /approved/);
    await asSystem(sql`delete from memberships where client_id = ${a.clients} and user_id = ${leaver}`);
    const page = await expectPage(await desk('GET', `/desk/replies/${id}`, { session: editorSession }), 200);
    expect(page).toContain('<td>A former member or API key</td>');
    expect(page).not.toContain('Lee Leaver');
  });

  it('text from the data is escaped on the page', async () => {
    const id = crypto.randomUUID();
    await asSystem(sql`
      insert into replies (id, client_id, decision_id, content, archetype, platform, utm_code)
      values (${id}, ${a.clients}, ${a.decisions}, ${`<script>alert(1)</script> ${signature}`}, 'coach', 'twitter', 'desk')`);
    const page = await expectPage(await desk('GET', `/desk/replies/${id}`, { session: editorSession }), 200);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const queue = await expectPage(await desk('GET', '/desk', { session: editorSession }), 200);
    expect(queue).not.toContain('<script>alert(1)</script>');
  });
});

/**
 * The error messages of the element named by the textarea's aria-describedby, which must come
 * right after the textarea (`html` starts at the textarea).
 */
function errorsAfterTextarea(html: string, id: string): string[] {
  const rest = html.slice(html.indexOf('</textarea>') + '</textarea>'.length);
  const opening = new RegExp(`^<(\\w+) class="errors" id="reply-${id}-errors" role="alert">`).exec(rest);
  expect(opening, `the errors follow the textarea: ${rest.slice(0, 200)}`).not.toBeNull();
  const element = rest.slice(0, rest.indexOf(`</${opening![1]}>`, opening![0].length));
  const unescape = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return [...element.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => unescape(m[1]!));
}

/** The form token on a page. */
function formTokenFromPage(html: string): string {
  return /name="_csrf" value="([^"]*)"/.exec(html)![1]!;
}
