import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../../helpers/db';
import { countRoundTrips } from '../../helpers/round-trips';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { AUDIENCE, ISSUER, systemToken, tokenFor } from '../../helpers/tokens';
import {
  accessAssertion,
  addMembership,
  claimsOf,
  desk,
  emailOf,
  expectCleared,
  expectDeskHeaders,
  expectNoSessionStarted,
  expectPage,
  expectProblemPage,
  expectSeeOther,
  expectSessionCookie,
  forgedAssertions,
  formTokenOf,
  JWT_SECRET,
  sessionCookieOf,
} from './support';

// The review desk's sign-in (Cloudflare Access) and its session cookie: who gets a session, what
// a cookie must be to be honoured, and what happens when the membership behind it changes.

const { run, create: fixture, member: addMember } = useTenantFixtures('desk-s');
let a: FixtureIds;
let b: FixtureIds;
let c: FixtureIds;

const member = async (ids: FixtureIds, role: string) => (await addMember(ids, role)).userId;

beforeAll(async () => {
  // Created in this order, named so that a's name sorts first: "first membership by client name".
  [a, b, c] = await Promise.all([fixture('a'), fixture('b'), fixture('c')]);
});

describe('sign-in through Cloudflare Access', () => {
  it('a valid assertion and no session: 303 back to the page with a session cookie that then opens the queue', async () => {
    const email = await emailOf(a.users);
    const response = await desk('GET', '/desk', { headers: { 'cf-access-jwt-assertion': await accessAssertion(email) } });
    expectSeeOther(response, '/desk');
    const cookie = sessionCookieOf(response);
    expectSessionCookie(cookie);
    expect(claimsOf(cookie.value)).toMatchObject({ sub: a.users, client_id: a.clients, role: 'owner', iss: ISSUER, aud: AUDIENCE });

    const page = await expectPage(await desk('GET', '/desk', { session: cookie.value }), 200);
    expect(page).toContain('<h1>Reply queue</h1>');
    expect(page).toContain(`Client desk-s-a-${run} · owner`);
    expect(page).toContain(`id="reply-${a.replies}"`);
  });

  it('sends the browser back to the page it asked for (the path), and the email matches in any case', async () => {
    const email = (await emailOf(a.users)).toUpperCase();
    const response = await desk('GET', '/desk/escalations', { headers: { 'cf-access-jwt-assertion': await accessAssertion(email) } });
    expectSeeOther(response, '/desk/escalations');
    expectSessionCookie(sessionCookieOf(response));
  });

  it("starts the session in the person's first membership by client name, with their role there", async () => {
    const person = await member(b, 'viewer'); // b sorts before c
    await addMembership(c, person, 'editor');
    const response = await desk('GET', '/desk', { headers: { 'cf-access-jwt-assertion': await accessAssertion(await emailOf(person)) } });
    expectSeeOther(response, '/desk');
    const cookie = sessionCookieOf(response);
    expectSessionCookie(cookie);
    expect(claimsOf(cookie.value)).toMatchObject({ sub: person, client_id: b.clients, role: 'viewer' });
  });

  it("takes the assertion from Access's CF_Authorization cookie when the header is missing; a forged one is refused", async () => {
    const email = await emailOf(a.users);
    const response = await desk('GET', '/desk', { headers: { cookie: `CF_Authorization=${await accessAssertion(email)}` } });
    expectSeeOther(response, '/desk');
    const cookie = sessionCookieOf(response);
    expectSessionCookie(cookie);
    expect(claimsOf(cookie.value)).toMatchObject({ sub: a.users, client_id: a.clients });
    const forged = (await forgedAssertions(email))['signed by another RSA key (same kid)']!;
    const refused = await desk('GET', '/desk', { headers: { cookie: `CF_Authorization=${forged}` } });
    await expectProblemPage(refused, 401);
    expectNoSessionStarted(refused);
  });

  it('GET /desk/sign-in with a valid assertion: 303 to the queue with a session cookie', async () => {
    const response = await desk('GET', '/desk/sign-in', { headers: { 'cf-access-jwt-assertion': await accessAssertion(await emailOf(a.users)) } });
    expectSeeOther(response, '/desk');
    expectSessionCookie(sessionCookieOf(response));
  });

  it('refuses every forged or bent assertion with a page (401), and sets no session cookie', async () => {
    const email = await emailOf(a.users);
    for (const [name, assertion] of Object.entries(await forgedAssertions(email))) {
      for (const path of ['/desk', '/desk/sign-in']) {
        const response = await desk('GET', path, { headers: { 'cf-access-jwt-assertion': assertion } });
        const page = await expectProblemPage(response, 401).catch((error: Error) => {
          throw new Error(`${name} at ${path}: ${error.message}`);
        });
        expect(page, name).toContain('The Cloudflare Access assertion did not verify.');
        expectNoSessionStarted(response);
      }
    }
  });

  it('an assertion for an email that is no member of any client: 403 page, no session', async () => {
    const response = await desk('GET', '/desk', {
      headers: { 'cf-access-jwt-assertion': await accessAssertion(`nobody-${run}@example.test`) },
    });
    const page = await expectProblemPage(response, 403);
    expect(page).toContain('is not a member of any client on this desk');
    expectNoSessionStarted(response);
  });

  it('an assertion for a member of a deactivated client only: 403 page, no session', async () => {
    const ids = await fixture('inactive');
    await asSystem(sql`update clients set is_active = false where id = ${ids.clients}`);
    const response = await desk('GET', '/desk', { headers: { 'cf-access-jwt-assertion': await accessAssertion(await emailOf(ids.users)) } });
    await expectProblemPage(response, 403);
    expectNoSessionStarted(response);
  });

  it('no assertion and no session: /desk sends to sign-in, which explains Access (401 page)', async () => {
    for (const path of ['/desk', '/desk/escalations', `/desk/replies/${a.replies}`, '/desk/xyz']) {
      const response = await desk('GET', path);
      expectSeeOther(response, '/desk/sign-in');
      expectNoSessionStarted(response);
    }
    const response = await desk('GET', '/desk/sign-in');
    const page = await expectPage(response, 401);
    expect(page).toContain('Cloudflare Access');
    expectNoSessionStarted(response);
  });

  it('the redirect after sign-in stays on the desk, whatever the path', async () => {
    const email = await emailOf(a.users);
    for (const path of ['/desk//evil.example', '/desk/%2F%2Fevil.example', '/desk/x%22%3E']) {
      const response = await desk('GET', path, { headers: { 'cf-access-jwt-assertion': await accessAssertion(email) } });
      const location = expectSeeOther(response, /^\/desk\//);
      expect(new URL(location, 'https://desk.test').origin).toBe('https://desk.test');
    }
  });

  // The way back is the path as the browser sent it (percent-encoded): a CR/LF in it cannot reach the Location header.
  it('sign-in at a path with an encoded CR/LF is not a 500', async () => {
    const response = await desk('GET', '/desk/replies/%0D%0Ax', {
      headers: { 'cf-access-jwt-assertion': await accessAssertion(await emailOf(a.users)) },
    });
    expect(response.status).not.toBe(500);
  });

  it('sign-in sends back to the path as it was sent (percent-encoded)', async () => {
    const response = await desk('GET', '/desk/caf%C3%A9', {
      headers: { 'cf-access-jwt-assertion': await accessAssertion(await emailOf(a.users)) },
    });
    expectSeeOther(response, '/desk/caf%C3%A9');
  });

  it('the development sign-in does not exist here: POST /desk/sign-in is a 404 page, no session', async () => {
    const response = await desk('POST', '/desk/sign-in', { form: { user_id: a.users, client_id: a.clients } });
    await expectProblemPage(response, 404);
    expectNoSessionStarted(response);
    const page = await expectPage(await desk('GET', '/desk/sign-in'), 401);
    expect(page).not.toContain('action="/desk/sign-in"');
  });
});

describe('the session cookie', () => {
  it('an owner token of the API in the cookie opens the queue (200 HTML)', async () => {
    const page = await expectPage(await desk('GET', '/desk', { session: await tokenAs(a, 'owner') }), 200);
    expect(page).toContain('<h1>Reply queue</h1>');
  });

  it('is not honoured when forged, expired, of an API key or of the system, or garbage: 303 to sign-in, never a 500', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: a.users, client_id: a.clients, role: 'owner', iss: ISSUER, aud: AUDIENCE };
    const hs256 = (payload: Record<string, unknown>, secret: string) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
    const cookies: Record<string, string> = {
      'signed with another secret': await hs256({ ...claims, iat: now, exp: now + 300 }, 'another-secret-0123456789abcdef0123456789'),
      expired: await hs256({ ...claims, iat: now - 7200, exp: now - 3600 }, JWT_SECRET),
      'an API key token': await apiKeyTokenAs(a, 'editor'),
      'the service API key token': await apiKeyTokenAs(a, 'service'),
      'a system token': await systemToken(),
      'a token without a client': await tokenFor({ userId: a.users, role: 'owner' }),
      'alg none': `${btoa('{"alg":"none","typ":"JWT"}').replace(/=+$/, '')}.${(await tokenAs(a, 'owner')).split('.')[1]}.`,
      garbage: 'not-a-token',
      'bad percent-encoding': '%E0%A4%A',
      'a very long value': 'x'.repeat(3000),
      empty: '',
    };
    for (const [name, session] of Object.entries(cookies)) {
      for (const path of ['/desk', `/desk/replies/${a.replies}`]) {
        const response = await desk('GET', path, { session });
        expect(response.status, `${name} at ${path}: ${await response.clone().text()}`).toBe(303);
        expectSeeOther(response, '/desk/sign-in');
        expectNoSessionStarted(response);
      }
      // A form posted with it does nothing either.
      const before = await asSystem(sql`select approval_status from replies where id = ${a.replies}`);
      const post = await desk('POST', `/desk/replies/${a.replies}/approve`, { session, form: { _csrf: 'x' } });
      expectSeeOther(post, '/desk/sign-in');
      expect(await asSystem(sql`select approval_status from replies where id = ${a.replies}`)).toEqual(before);
    }
  });

  it('a well-signed session of a person who is no member of the client: 403 page, the cookie cleared', async () => {
    const session = await tokenFor({ clientId: a.clients, userId: crypto.randomUUID(), role: 'owner' });
    const response = await desk('GET', '/desk', { session });
    await expectProblemPage(response, 403);
    expectCleared(sessionCookieOf(response));
    // A person of another client, with a token naming this one.
    const outsider = await tokenAs(a, 'owner', b.users);
    const other = await desk('GET', '/desk', { session: outsider });
    await expectProblemPage(other, 403);
    expectCleared(sessionCookieOf(other));
  });

  it('a page of the queue costs one database round trip', async () => {
    const session = await tokenAs(a, 'owner');
    const { result, roundTrips } = await countRoundTrips(() => desk('GET', '/desk', { session }));
    await expectPage(result, 200);
    expect(roundTrips).toBe(1);
  });

  it('a cookie without the __Host- prefix is not read', async () => {
    const response = await desk('GET', '/desk', { cookie: `desk_session=${await tokenAs(a, 'owner')}` });
    expectSeeOther(response, '/desk/sign-in');
  });

  it('a member removed after the cookie was minted: 403 page and the cookie cleared', async () => {
    const person = await member(a, 'editor');
    const session = await tokenAs(a, 'editor', person);
    await expectPage(await desk('GET', '/desk', { session }), 200);
    await asSystem(sql`delete from memberships where client_id = ${a.clients} and user_id = ${person}`);

    for (const path of ['/desk', '/desk/escalations', `/desk/replies/${a.replies}`]) {
      const response = await desk('GET', path, { session });
      const page = await expectProblemPage(response, 403);
      expect(page).toContain('not a member of this client');
      expect(page).toContain('href="/desk/sign-in"');
      expectCleared(sessionCookieOf(response));
    }
  });

  it('a session in a client deactivated since: 403 page and the cookie cleared', async () => {
    const ids = await fixture('deactivated');
    const session = await tokenAs(ids, 'owner');
    await expectPage(await desk('GET', '/desk', { session }), 200);
    await asSystem(sql`update clients set is_active = false where id = ${ids.clients}`);
    const response = await desk('GET', '/desk', { session });
    await expectProblemPage(response, 403);
    expectCleared(sessionCookieOf(response));
  });

  it('a member demoted from editor to viewer sees no Approve (or other action) buttons on their next page', async () => {
    const person = await member(a, 'editor');
    const session = await tokenAs(a, 'editor', person);
    const before = await expectPage(await desk('GET', '/desk', { session }), 200);
    expect(before).toContain(`action="/desk/replies/${a.replies}/approve"`);
    expect(before).toContain('Approve selected');
    expect(before).toContain(`desk-s-a-${run} · editor`);
    const escalationsBefore = await expectPage(await desk('GET', '/desk/escalations', { session }), 200);
    expect(escalationsBefore).toContain(`action="/desk/escalations/${a.escalations}/assign"`);

    await asSystem(sql`update memberships set role = 'viewer' where client_id = ${a.clients} and user_id = ${person}`);
    const after = await expectPage(await desk('GET', '/desk', { session }), 200);
    expect(after).toContain(`id="reply-${a.replies}"`);
    expect(after).not.toContain('/approve"');
    expect(after).not.toContain('/reject"');
    expect(after).not.toContain('Approve selected');
    expect(after).toContain('approving needs the editor role');
    expect(after).toContain(`desk-s-a-${run} · viewer`);
    const escalationsAfter = await expectPage(await desk('GET', '/desk/escalations', { session }), 200);
    expect(escalationsAfter).not.toMatch(/action="\/desk\/escalations\/[^"]+\/(assign|resolve|dismiss)"/);
    expect(escalationsAfter).toContain('working escalations needs the editor role');
  });

  it('signing out clears the cookie and sends to sign-in', async () => {
    const session = await tokenAs(a, 'owner');
    const response = await desk('POST', '/desk/sign-out', { session, form: { _csrf: await formTokenOf(session) } });
    expectSeeOther(response, '/desk/sign-in');
    expectCleared(sessionCookieOf(response));
  });
});

describe('switching client', () => {
  it('to a client you are a member of: a new cookie whose token names that client and your role there', async () => {
    const person = await member(a, 'owner');
    await addMembership(b, person, 'viewer');
    const session = await tokenAs(a, 'owner', person);
    const page = await expectPage(await desk('GET', '/desk', { session }), 200);
    expect(page).toContain(`<option value="${b.clients}">Client desk-s-b-${run} (viewer)</option>`);
    expect(page).not.toContain(`value="${c.clients}"`);

    const response = await desk('POST', '/desk/client', { session, form: { _csrf: await formTokenOf(session), client_id: b.clients } });
    expectSeeOther(response, '/desk?notice=switched');
    const cookie = sessionCookieOf(response);
    expectSessionCookie(cookie);
    expect(cookie.value).not.toBe(session);
    expect(claimsOf(cookie.value)).toMatchObject({ sub: person, client_id: b.clients, role: 'viewer' });

    const switched = await expectPage(await desk('GET', '/desk?notice=switched', { session: cookie.value }), 200);
    expect(switched).toContain('Switched client.');
    expect(switched).toContain(`Client desk-s-b-${run} · viewer`);
    expect(switched).toContain(`id="reply-${b.replies}"`);
    expect(switched).not.toContain(`id="reply-${a.replies}"`);
  });

  it('to a client you are not a member of: 403 page, no new session', async () => {
    const session = await tokenAs(a, 'owner');
    const formToken = await formTokenOf(session);
    for (const clientId of [c.clients, crypto.randomUUID(), 'not-a-uuid', '']) {
      const response = await desk('POST', '/desk/client', { session, form: { _csrf: formToken, client_id: clientId } });
      const page = await expectProblemPage(response, 403);
      expect(page).toContain('You are not a member of that client.');
      expect(sessionCookieOf(response)?.value ?? '', `switching to ${clientId} started a session`).toBe('');
    }
    // The session still opens a's queue.
    await expectPage(await desk('GET', '/desk', { session }), 200);
  });

  // The refusal is no reason to end a session that is still good.
  it('to a client you are not a member of leaves the cookie as it is (no Set-Cookie)', async () => {
    const session = await tokenAs(a, 'owner');
    const response = await desk('POST', '/desk/client', { session, form: { _csrf: await formTokenOf(session), client_id: c.clients } });
    await expectProblemPage(response, 403);
    expect(sessionCookieOf(response)).toBeUndefined();
  });
});

describe('headers of every desk response', () => {
  it('sign-in page, redirects, pages and refusals all carry the CSP and no-store', async () => {
    const session = await tokenAs(a, 'owner');
    const responses = [
      await desk('GET', '/desk/sign-in'),
      await desk('GET', '/desk'),
      await desk('GET', '/desk', { session }),
      await desk('GET', '/desk/escalations', { session }),
      await desk('GET', `/desk/replies/${a.replies}`, { session }),
      await desk('GET', '/desk/xyz', { session }),
      await desk('POST', `/desk/replies/${a.replies}/approve`, { session, origin: 'https://evil.example', form: {} }),
    ];
    for (const response of responses) {
      expectDeskHeaders(response);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});
