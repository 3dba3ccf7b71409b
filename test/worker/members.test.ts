import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MemberSchema } from '../../src/members/members.schemas';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';

type Member = z.infer<typeof MemberSchema>;

/** `RUN` tags this run: every email this file creates contains it, so the cleanup can remove those users. */
const { run: RUN, create: fixture } = useTenantFixtures('mem', {
  async afterDeleteAll() {
    await asSystem(sql`delete from users where email ilike ${`%-${RUN}-%`}`);
  },
});
const email = (name: string) => `${name}-${RUN}-${crypto.randomUUID().slice(0, 8)}@example.test`;

async function addMember(ids: FixtureIds, role: string, options: { as?: Role; email?: string; display_name?: string } = {}) {
  const response = await call('POST', '/v1/members', {
    token: await tokenAs(ids, options.as ?? 'owner'),
    body: { email: options.email ?? email(role), role, ...(options.display_name ? { display_name: options.display_name } : {}) },
  });
  expect(response.status).toBe(201);
  return json<Member>(response);
}

async function membershipRoles(ids: FixtureIds): Promise<Record<string, string>> {
  const [rows] = await asSystem(sql`select id, role::text as role from memberships where client_id = ${ids.clients}`);
  return Object.fromEntries(rows!.map((r) => [r.id as string, r.role as string]));
}

describe('members: list', () => {
  it('a viewer lists members with email, display_name and role, paginated with limit and cursor', async () => {
    const ids = await fixture('list');
    const added = [
      await addMember(ids, 'admin', { display_name: 'Ada Admin' }),
      await addMember(ids, 'editor', { display_name: 'Ed Editor' }),
      await addMember(ids, 'viewer'),
    ];
    const viewer = await tokenAs(ids, 'viewer');

    const { result: response, roundTrips } = await countRoundTrips(() => call('GET', '/v1/members', { token: viewer }));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
    const all = await json<Page<Member>>(response);
    expect(all.next_cursor).toBeNull();
    expect(all.data).toHaveLength(4);
    // Newest first: the three added members in reverse order, then the fixture owner.
    expect(all.data.map((m) => m.id)).toEqual([...added.map((m) => m.id).reverse(), ids.memberships]);
    const [owner] = await asSystem(sql`select email from users where id = ${ids.users}`);
    expect(all.data.at(-1)).toEqual({
      id: ids.memberships,
      user_id: ids.users,
      email: owner![0]!.email,
      display_name: null,
      role: 'owner',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(all.data.find((m) => m.id === added[0]!.id)).toMatchObject({ role: 'admin', display_name: 'Ada Admin', email: added[0]!.email });
    expect(all.data.find((m) => m.id === added[1]!.id)).toMatchObject({ role: 'editor', display_name: 'Ed Editor' });
    for (const m of all.data) expect(Object.keys(m).sort()).toEqual(['created_at', 'display_name', 'email', 'id', 'role', 'updated_at', 'user_id']);

    // Walk with limit=1: every member once, in the same order, then no cursor.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
      const { result, roundTrips: rt } = await countRoundTrips(() => call('GET', `/v1/members${query}`, { token: viewer }));
      expect(rt).toBe(1);
      const page = await json<Page<Member>>(result);
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data.map((m) => m.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(all.data.map((m) => m.id));

    const two = await json<Page<Member>>(await call('GET', '/v1/members?limit=2', { token: viewer }));
    expect(two.data).toHaveLength(2);
    expect(two.next_cursor).toEqual(expect.any(String));

    await expectProblem(await call('GET', '/v1/members?cursor=bogus', { token: viewer }), 400, 'INVALID_CURSOR');
    await expectProblem(await call('GET', '/v1/members?limit=0', { token: viewer }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('GET', '/v1/members?limit=101', { token: viewer }), 400, 'INVALID_REQUEST');
  });

  it('lists only the caller’s client and a service token cannot list members', async () => {
    const a = await fixture('iso-a');
    const b = await fixture('iso-b');
    const page = await json<Page<Member>>(await call('GET', '/v1/members', { token: await tokenAs(a, 'viewer') }));
    expect(page.data.map((m) => m.id)).toEqual([a.memberships]);
    expect(page.data.map((m) => m.id)).not.toContain(b.memberships);
    await expectProblem(await call('GET', '/v1/members', { token: await tokenAs(a, 'service') }), 403, 'FORBIDDEN');
  });

  // Regression: rows created in one transaction share one created_at. The cursor carries it as a
  // JavaScript Date (milliseconds); with microsecond timestamps every row after the first page was
  // skipped. Timestamps are now millisecond-precision (set_updated_at trigger), so all are walked.
  it('pagination walks members created in one transaction (same created_at), ordered by id', async () => {
    const ids = await fixture('same-ts');
    const userIds = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await asSystem(
      ...userIds.map((u) => sql`insert into users (id, email) values (${u}, ${email('bulk')})`),
      ...userIds.map((u) => sql`insert into memberships (client_id, user_id, role) values (${ids.clients}, ${u}, 'viewer')`),
    );
    const [stamps] = await asSystem(
      sql`select count(distinct created_at)::int as n from memberships where client_id = ${ids.clients} and user_id <> ${ids.users}`,
    );
    expect(stamps![0]!.n).toBe(1);
    const viewer = await tokenAs(ids, 'viewer');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
      const page = await json<Page<Member>>(await call('GET', `/v1/members${query}`, { token: viewer }));
      seen.push(...page.data.map((m) => m.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    const all = await json<Page<Member>>(await call('GET', '/v1/members', { token: viewer }));
    expect(seen).toEqual(all.data.map((m) => m.id));
    const bulk = all.data.filter((m) => m.id !== ids.memberships).map((m) => m.id);
    expect(bulk).toEqual([...bulk].sort().reverse()); // equal timestamps: by id, descending
  });
});

describe('members: add', () => {
  it('creates the user when new and reuses an existing user case-insensitively across clients', async () => {
    const a = await fixture('add-a');
    const b = await fixture('add-b');
    const suffix = crypto.randomUUID().slice(0, 8);
    const mixed = `Foo-${RUN}-${suffix}@Example.test`;
    const lower = mixed.toLowerCase();

    const { result: first, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/members', { token: await tokenAs(a, 'admin'), body: { email: mixed, display_name: 'Foo', role: 'editor' } }),
    );
    expect(first.status).toBe(201);
    expect(roundTrips).toBe(1);
    const inA = await json<Member>(first);
    expect(inA).toMatchObject({ email: lower, display_name: 'Foo', role: 'editor', user_id: expect.any(String), id: expect.any(String) });
    // Emails are stored lower case; the display name is client A's, kept on its membership.
    const [users] = await asSystem(sql`select id, email, display_name from users where lower(email) = ${lower}`);
    expect(users).toEqual([{ id: inA.user_id, email: lower, display_name: null }]);

    const second = await call('POST', '/v1/members', { token: await tokenAs(b, 'owner'), body: { email: lower, role: 'viewer' } });
    expect(second.status).toBe(201);
    const inB = await json<Member>(second);
    expect(inB.user_id).toBe(inA.user_id);
    expect(inB.id).not.toBe(inA.id);
    expect(inB.role).toBe('viewer');

    const [after] = await asSystem(
      sql`select count(*)::int as n from users where lower(email) = ${lower}`,
    );
    expect(after![0]!.n).toBe(1);
    const [memberships] = await asSystem(
      sql`select client_id, role::text as role from memberships where user_id = ${inA.user_id} order by role`,
    );
    expect(memberships).toEqual(
      expect.arrayContaining([
        { client_id: a.clients, role: 'editor' },
        { client_id: b.clients, role: 'viewer' },
      ]),
    );
    expect(memberships).toHaveLength(2);
  });

  it('adding the same user twice (any case) is 409 CONFLICT and adds nothing', async () => {
    const ids = await fixture('dup');
    const address = email('Dup');
    await addMember(ids, 'viewer', { email: address });
    const before = await membershipRoles(ids);
    const { result, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/members', { token: await tokenAs(ids, 'owner'), body: { email: address.toUpperCase(), role: 'editor' } }),
    );
    await expectProblem(result, 409, 'CONFLICT');
    expect(roundTrips).toBe(1);
    expect(await membershipRoles(ids)).toEqual(before);

    // The fixture owner is already a member too.
    const [owner] = await asSystem(sql`select email from users where id = ${ids.users}`);
    await expectProblem(
      await call('POST', '/v1/members', { token: await tokenAs(ids, 'admin'), body: { email: owner![0]!.email, role: 'viewer' } }),
      409,
      'CONFLICT',
    );
  });

  it('an admin cannot add an owner (403 OWNER_REQUIRED, no round trip); an owner can', async () => {
    const ids = await fixture('add-owner');
    const address = email('second-owner');
    const { result, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/members', { token: await tokenAs(ids, 'admin'), body: { email: address, role: 'owner' } }),
    );
    await expectProblem(result, 403, 'OWNER_REQUIRED');
    expect(roundTrips).toBe(0);
    const [none] = await asSystem(sql`select count(*)::int as n from users where email = ${address}`);
    expect(none![0]!.n).toBe(0);

    const owner = await addMember(ids, 'owner', { as: 'owner', email: address });
    expect(owner.role).toBe('owner');
    expect((await membershipRoles(ids))[owner.id]).toBe('owner');
  });

  it('refuses editor, viewer and service tokens (403) and invalid bodies (422)', async () => {
    const ids = await fixture('add-roles');
    for (const role of ['editor', 'viewer', 'service'] as const) {
      const { result, roundTrips } = await countRoundTrips(async () =>
        call('POST', '/v1/members', { token: await tokenAs(ids, role), body: { email: email('nope'), role: 'viewer' } }),
      );
      await expectProblem(result, 403, 'FORBIDDEN');
      expect(roundTrips).toBe(0);
    }
    const owner = await tokenAs(ids, 'owner');
    await expectProblem(await call('POST', '/v1/members', { token: owner, body: { email: 'not-an-email', role: 'viewer' } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('POST', '/v1/members', { token: owner, body: { email: email('x'), role: 'service' } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('POST', '/v1/members', { token: owner, body: { email: email('x'), role: 'system' } }), 422, 'VALIDATION_FAILED');
    await expectProblem(
      await call('POST', '/v1/members', { token: owner, body: { email: email('x'), role: 'viewer', admin: true } }),
      422,
      'VALIDATION_FAILED',
    );
    expect(Object.keys(await membershipRoles(ids))).toEqual([ids.memberships]);
  });
});

describe('members: change role', () => {
  it('an admin demotes an editor in one round trip; the same role again is 200', async () => {
    const ids = await fixture('demote');
    const editor = await addMember(ids, 'editor');
    const admin = await tokenAs(ids, 'admin');
    const { result, roundTrips } = await countRoundTrips(() =>
      call('PATCH', `/v1/members/${editor.id}`, { token: admin, body: { role: 'viewer' } }),
    );
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    expect(await json(result)).toMatchObject({ id: editor.id, user_id: editor.user_id, email: editor.email, role: 'viewer' });
    expect((await membershipRoles(ids))[editor.id]).toBe('viewer');

    const { result: again, roundTrips: rt } = await countRoundTrips(() =>
      call('PATCH', `/v1/members/${editor.id}`, { token: admin, body: { role: 'viewer' } }),
    );
    expect(again.status).toBe(200);
    expect(rt).toBe(1);
    expect(await json(again)).toMatchObject({ id: editor.id, role: 'viewer' });

    // Promote back to admin (admins may grant admin).
    const up = await call('PATCH', `/v1/members/${editor.id}`, { token: admin, body: { role: 'admin' } });
    expect(up.status).toBe(200);
    expect((await membershipRoles(ids))[editor.id]).toBe('admin');
  });

  it('an admin cannot change an owner’s role nor promote anyone to owner (403 OWNER_REQUIRED)', async () => {
    const ids = await fixture('admin-owner');
    const secondOwner = await addMember(ids, 'owner');
    const editor = await addMember(ids, 'editor');
    const before = await membershipRoles(ids);
    const admin = await tokenAs(ids, 'admin');

    // Even with two owners (so the last-owner rule is not what stops it).
    const { result, roundTrips } = await countRoundTrips(() =>
      call('PATCH', `/v1/members/${secondOwner.id}`, { token: admin, body: { role: 'viewer' } }),
    );
    await expectProblem(result, 403, 'OWNER_REQUIRED');
    expect(roundTrips).toBe(1);
    await expectProblem(await call('PATCH', `/v1/members/${ids.memberships}`, { token: admin, body: { role: 'admin' } }), 403, 'OWNER_REQUIRED');
    await expectProblem(await call('PATCH', `/v1/members/${editor.id}`, { token: admin, body: { role: 'owner' } }), 403, 'OWNER_REQUIRED');
    // "Setting the same role" on an owner is still an owner's business.
    await expectProblem(await call('PATCH', `/v1/members/${secondOwner.id}`, { token: admin, body: { role: 'owner' } }), 403, 'OWNER_REQUIRED');
    expect(await membershipRoles(ids)).toEqual(before);
  });

  it('an owner demotes another owner and promotes to owner', async () => {
    const ids = await fixture('owner-demote');
    const secondOwner = await addMember(ids, 'owner');
    const owner = await tokenAs(ids, 'owner');
    const response = await call('PATCH', `/v1/members/${secondOwner.id}`, { token: owner, body: { role: 'admin' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ id: secondOwner.id, role: 'admin' });
    expect((await membershipRoles(ids))[secondOwner.id]).toBe('admin');

    const promoted = await call('PATCH', `/v1/members/${secondOwner.id}`, { token: owner, body: { role: 'owner' } });
    expect(promoted.status).toBe(200);
    expect((await membershipRoles(ids))[secondOwner.id]).toBe('owner');
  });

  it('the last owner cannot be demoted, even by an owner (409 LAST_OWNER); setting owner again is 200', async () => {
    const ids = await fixture('last-owner');
    const owner = await tokenAs(ids, 'owner');
    const { result, roundTrips } = await countRoundTrips(() =>
      call('PATCH', `/v1/members/${ids.memberships}`, { token: owner, body: { role: 'admin' } }),
    );
    await expectProblem(result, 409, 'LAST_OWNER');
    expect(roundTrips).toBe(1);
    expect(await membershipRoles(ids)).toEqual({ [ids.memberships]: 'owner' });

    const same = await call('PATCH', `/v1/members/${ids.memberships}`, { token: owner, body: { role: 'owner' } });
    expect(same.status).toBe(200);
    expect(await json(same)).toMatchObject({ id: ids.memberships, user_id: ids.users, role: 'owner' });

    // With a second owner, the first may step down; then the second is the last one.
    const second = await addMember(ids, 'owner');
    expect((await call('PATCH', `/v1/members/${ids.memberships}`, { token: owner, body: { role: 'viewer' } })).status).toBe(200);
    // The first owner's token now acts as the viewer they are.
    await expectProblem(await call('PATCH', `/v1/members/${second.id}`, { token: owner, body: { role: 'editor' } }), 403, 'FORBIDDEN');
    const secondOwner = await tokenAs(ids, 'owner', second.user_id);
    await expectProblem(await call('PATCH', `/v1/members/${second.id}`, { token: secondOwner, body: { role: 'editor' } }), 409, 'LAST_OWNER');
    expect(await membershipRoles(ids)).toEqual({ [ids.memberships]: 'viewer', [second.id]: 'owner' });
  });

  it('404 for an unknown member or another client’s member; 400 for a bad id; 422 for a bad role; 403 for non-admins', async () => {
    const a = await fixture('chg-a');
    const b = await fixture('chg-b');
    const owner = await tokenAs(a, 'owner');
    await expectProblem(await call('PATCH', `/v1/members/${crypto.randomUUID()}`, { token: owner, body: { role: 'viewer' } }), 404, 'MEMBER_NOT_FOUND');
    await expectProblem(await call('PATCH', `/v1/members/${b.memberships}`, { token: owner, body: { role: 'viewer' } }), 404, 'MEMBER_NOT_FOUND');
    expect(await membershipRoles(b)).toEqual({ [b.memberships]: 'owner' });
    await expectProblem(await call('PATCH', '/v1/members/not-a-uuid', { token: owner, body: { role: 'viewer' } }), 400, 'INVALID_REQUEST');
    await expectProblem(await call('PATCH', `/v1/members/${a.memberships}`, { token: owner, body: { role: 'system' } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', `/v1/members/${a.memberships}`, { token: owner, body: {} }), 422, 'VALIDATION_FAILED');

    const editor = await addMember(a, 'editor');
    for (const role of ['editor', 'viewer', 'service'] as const) {
      const { result, roundTrips } = await countRoundTrips(async () =>
        call('PATCH', `/v1/members/${editor.id}`, { token: await tokenAs(a, role), body: { role: 'admin' } }),
      );
      await expectProblem(result, 403, 'FORBIDDEN');
      expect(roundTrips).toBe(0);
    }
    expect((await membershipRoles(a))[editor.id]).toBe('editor');
  });
});

describe('members: remove', () => {
  it('204 in one round trip, then 404 on a second delete', async () => {
    const ids = await fixture('remove');
    const viewer = await addMember(ids, 'viewer');
    const admin = await tokenAs(ids, 'admin');
    const { result, roundTrips } = await countRoundTrips(() => call('DELETE', `/v1/members/${viewer.id}`, { token: admin }));
    expect(result.status).toBe(204);
    expect(await result.text()).toBe('');
    expect(roundTrips).toBe(1);
    expect(await membershipRoles(ids)).toEqual({ [ids.memberships]: 'owner' });
    // The user stays (users are global); only the membership goes.
    const [user] = await asSystem(sql`select count(*)::int as n from users where id = ${viewer.user_id}`);
    expect(user![0]!.n).toBe(1);

    await expectProblem(await call('DELETE', `/v1/members/${viewer.id}`, { token: admin }), 404, 'MEMBER_NOT_FOUND');
  });

  it('an admin cannot remove an owner; an owner can remove another owner but never the last one', async () => {
    const ids = await fixture('remove-owner');
    const second = await addMember(ids, 'owner');
    const admin = await tokenAs(ids, 'admin');
    const owner = await tokenAs(ids, 'owner');
    await expectProblem(await call('DELETE', `/v1/members/${second.id}`, { token: admin }), 403, 'OWNER_REQUIRED');
    expect(await membershipRoles(ids)).toEqual({ [ids.memberships]: 'owner', [second.id]: 'owner' });

    expect((await call('DELETE', `/v1/members/${second.id}`, { token: owner })).status).toBe(204);
    expect(await membershipRoles(ids)).toEqual({ [ids.memberships]: 'owner' });

    const { result, roundTrips } = await countRoundTrips(() => call('DELETE', `/v1/members/${ids.memberships}`, { token: owner }));
    await expectProblem(result, 409, 'LAST_OWNER');
    expect(roundTrips).toBe(1);
    await expectProblem(await call('DELETE', `/v1/members/${ids.memberships}`, { token: admin }), 403, 'OWNER_REQUIRED');
    expect(await membershipRoles(ids)).toEqual({ [ids.memberships]: 'owner' });
  });

  it('editor, viewer and service tokens get 403; another client’s member is 404 and stays', async () => {
    const a = await fixture('rm-a');
    const b = await fixture('rm-b');
    const viewer = await addMember(a, 'viewer');
    for (const role of ['editor', 'viewer', 'service'] as const) {
      await expectProblem(await call('DELETE', `/v1/members/${viewer.id}`, { token: await tokenAs(a, role) }), 403, 'FORBIDDEN');
    }
    expect((await membershipRoles(a))[viewer.id]).toBe('viewer');
    await expectProblem(await call('DELETE', `/v1/members/${b.memberships}`, { token: await tokenAs(a, 'owner') }), 404, 'MEMBER_NOT_FOUND');
    expect(await membershipRoles(b)).toEqual({ [b.memberships]: 'owner' });
  });
});
