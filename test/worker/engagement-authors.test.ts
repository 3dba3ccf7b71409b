import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';

interface Author {
  id: string;
  platform: string;
  platform_id: string;
  handle: string;
  display_name: string | null;
  follower_count: number;
  is_verified: boolean;
  is_power_user: boolean;
  power_tier: string | null;
  archetype_tags: string[];
  relationship_score: number;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
}
interface BulkAuthors {
  inserted: number;
  updated: number;
  authors: { id: string; platform_id: string; status: 'inserted' | 'updated' }[];
}

const { run: RUN, create: fixture } = useTenantFixtures('eng-a');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

async function upsert(ids: FixtureIds, body: unknown, role: Role = 'service') {
  return call('POST', '/v1/authors/bulk', { token: await tokenAs(ids, role), body });
}

async function authorRow(ids: FixtureIds, platformId: string) {
  const [rows] = await asSystem(sql`select to_jsonb(a) as row from authors a where client_id = ${ids.clients} and platform_id = ${platformId}`);
  return rows!.map((r) => r.row as Record<string, unknown>);
}

describe('POST /v1/authors/bulk', () => {
  it('inserts new authors, then refreshes them: first_seen_at kept, last_seen_at moved, one statement each time', async () => {
    const pid = `x-${RUN}-1`;
    const token = await tokenAs(a, 'service');
    const first = await countRoundTrips(() =>
      call('POST', '/v1/authors/bulk', {
        token,
        body: { platform: 'twitter', authors: [{ platform_id: pid, handle: 'sam', display_name: 'Sam', follower_count: 10, is_verified: true }] },
      }),
    );
    expect(first.roundTrips).toBe(1);
    const created = await json<BulkAuthors>(first.result);
    expect(created).toEqual({ inserted: 1, updated: 0, authors: [{ id: expect.any(String), platform_id: pid, status: 'inserted' }] });
    const [before] = await authorRow(a, pid);

    // Renamed, more followers; display name and verified omitted: kept.
    const second = await json<BulkAuthors>(
      await upsert(a, { platform: 'twitter', authors: [{ platform_id: pid, handle: 'sam_sleeps', follower_count: 25 }] }),
    );
    expect(second).toEqual({ inserted: 0, updated: 1, authors: [{ id: created.authors[0]!.id, platform_id: pid, status: 'updated' }] });
    const [after] = await authorRow(a, pid);
    expect(after).toMatchObject({
      id: before!.id,
      handle: 'sam_sleeps',
      display_name: 'Sam',
      follower_count: 25,
      is_verified: true,
      first_seen_at: before!.first_seen_at,
      created_at: before!.created_at,
    });
    expect(Date.parse(after!.last_seen_at as string)).toBeGreaterThan(Date.parse(before!.last_seen_at as string));
  });

  it('counts a platform_id repeated in a batch once (its last entry wins); other platforms and clients are separate', async () => {
    const pid = `x-${RUN}-2`;
    const result = await json<BulkAuthors>(
      await upsert(a, {
        platform: 'reddit',
        authors: [
          { platform_id: pid, handle: 'first' },
          { platform_id: `${pid}b`, handle: 'other' },
          { platform_id: pid, handle: 'last', follower_count: 3 },
        ],
      }),
    );
    expect(result.inserted).toBe(2);
    expect(result.authors.map((x) => x.platform_id)).toEqual([pid, `${pid}b`]);
    const [row] = await authorRow(a, pid);
    expect(row).toMatchObject({ handle: 'last', follower_count: 3, platform: 'reddit' });

    const onTwitter = await json<BulkAuthors>(await upsert(a, { platform: 'twitter', authors: [{ platform_id: pid, handle: 'tw' }] }));
    const inB = await json<BulkAuthors>(await upsert(b, { platform: 'reddit', authors: [{ platform_id: pid, handle: 'theirs' }] }));
    expect([onTwitter.inserted, inB.inserted]).toEqual([1, 1]);
    expect((await authorRow(a, pid)).map((r) => r.platform).sort()).toEqual(['reddit', 'twitter']);
    expect((await authorRow(a, pid)).find((r) => r.platform === 'reddit')).toMatchObject({ handle: 'last' });
  });

  it('a batch of 1,000 known and new authors refreshes each with what was sent for it (0 and false count as sent)', async () => {
    const pid = (i: number) => `x-${RUN}-many-${i}`;
    const first = Array.from({ length: 600 }, (_, i) => ({ platform_id: pid(i), handle: `h${i}`, display_name: `Name ${i}`, follower_count: 1_000 + i, is_verified: true }));
    expect((await json<BulkAuthors>(await upsert(a, { platform: 'threads', authors: first }))).inserted).toBe(600);

    // Known authors 0..599 (each field sent or not, by i), then 400 new ones, in a shuffled order.
    const again = Array.from({ length: 1_000 }, (_, i) => ({
      platform_id: pid(i),
      handle: `h${i}_${i % 2 ? 'renamed' : 'same'}`,
      ...(i % 3 === 0 ? { display_name: `New name ${i}` } : {}),
      ...(i % 4 === 0 ? { follower_count: i % 8 === 0 ? 0 : 2_000 + i } : {}),
      ...(i % 5 === 0 ? { is_verified: false } : {}),
    })).sort((x, y) => (x.platform_id.split('').reverse().join('') < y.platform_id.split('').reverse().join('') ? -1 : 1));
    const result = await json<BulkAuthors>(await upsert(a, { platform: 'threads', authors: again }));
    expect({ inserted: result.inserted, updated: result.updated }).toEqual({ inserted: 400, updated: 600 });

    const [rows] = await asSystem(
      sql`select platform_id, handle, display_name, follower_count, is_verified from authors
          where client_id = ${a.clients} and platform = 'threads' and platform_id like ${`x-${RUN}-many-%`}`,
    );
    const byId = new Map(rows!.map((r) => [r.platform_id as string, r]));
    const expected = (i: number) =>
      i < 600
        ? {
            handle: `h${i}_${i % 2 ? 'renamed' : 'same'}`,
            display_name: i % 3 === 0 ? `New name ${i}` : `Name ${i}`,
            follower_count: i % 4 === 0 ? (i % 8 === 0 ? 0 : 2_000 + i) : 1_000 + i,
            is_verified: i % 5 !== 0,
          }
        : {
            handle: `h${i}_${i % 2 ? 'renamed' : 'same'}`,
            display_name: i % 3 === 0 ? `New name ${i}` : null,
            follower_count: i % 4 === 0 ? (i % 8 === 0 ? 0 : 2_000 + i) : 0,
            is_verified: false,
          };
    const mismatches = Array.from({ length: 1_000 }, (_, i) => i).filter((i) => {
      const { platform_id: _, ...row } = byId.get(pid(i)) ?? {};
      return JSON.stringify(row) !== JSON.stringify(expected(i));
    });
    expect(mismatches).toEqual([]);
  });

  it('validates: handle and platform id formats, follower count, batch size, unknown fields; a viewer gets 403', async () => {
    const bad = [
      { platform: 'twitter', authors: [{ platform_id: 'ok', handle: 'no spaces' }] },
      { platform: 'twitter', authors: [{ platform_id: 'ok', handle: 'h'.repeat(51) }] },
      { platform: 'twitter', authors: [{ platform_id: 'bad id', handle: 'ok' }] },
      { platform: 'twitter', authors: [{ platform_id: 'ok', handle: 'ok', follower_count: -1 }] },
      { platform: 'twitter', authors: [{ platform_id: 'ok', handle: 'ok', followers: 1 }] },
      { platform: 'myspace', authors: [{ platform_id: 'ok', handle: 'ok' }] },
      { platform: 'twitter', authors: [] },
      { platform: 'twitter', authors: Array.from({ length: 1001 }, (_, i) => ({ platform_id: `p${i}`, handle: 'h' })) },
    ];
    for (const body of bad) await expectProblem(await upsert(a, body), 422, 'VALIDATION_FAILED');
    await expectProblem(await upsert(a, { platform: 'twitter', authors: [{ platform_id: 'ok', handle: 'ok' }] }, 'viewer'), 403, 'FORBIDDEN');
    const max = await upsert(a, {
      platform: 'threads',
      authors: Array.from({ length: 1000 }, (_, i) => ({ platform_id: `max${i}`, handle: `h${i}` })),
    });
    expect((await json<BulkAuthors>(max)).inserted).toBe(1000);
  });
});

describe('GET /v1/authors', () => {
  it('filters by platform, power user, power tier and handle prefix (case-insensitive, _ is literal)', async () => {
    const ids = await fixture('list');
    await upsert(ids, {
      platform: 'reddit',
      authors: [
        { platform_id: 'r1', handle: 'Sleep_Coach' },
        { platform_id: 'r2', handle: 'sleepXcoach' },
        { platform_id: 'r3', handle: 'night_owl' },
      ],
    });
    await asSystem(
      sql`update authors set is_power_user = true, power_tier = 'macro' where client_id = ${ids.clients} and platform_id = 'r3'`,
    );
    const token = await tokenAs(ids, 'viewer');
    const handles = async (query: string) => {
      const response = await call('GET', `/v1/authors?${query}`, { token });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await json<Page<Author>>(response)).data.map((x) => x.handle).sort();
    };
    expect(await handles('platform=reddit')).toEqual(['Sleep_Coach', 'night_owl', 'sleepXcoach']);
    expect(await handles('platform=twitter')).toEqual(['fixture_author']);
    expect(await handles('is_power_user=true')).toEqual(['night_owl']);
    expect(await handles('is_power_user=false&platform=reddit')).toEqual(['Sleep_Coach', 'sleepXcoach']);
    expect(await handles('power_tier=macro')).toEqual(['night_owl']);
    expect(await handles('handle_prefix=sleep_')).toEqual(['Sleep_Coach']);
    expect(await handles('handle_prefix=SLEEP')).toEqual(['Sleep_Coach', 'sleepXcoach']);

    const page1 = await json<Page<Author>>(await call('GET', '/v1/authors?limit=2', { token }));
    const page2 = await json<Page<Author>>(await call('GET', `/v1/authors?limit=2&cursor=${page1.next_cursor}`, { token }));
    expect([...page1.data, ...page2.data].map((x) => x.id).sort()).toHaveLength(4);
    expect(page2.next_cursor).toBeNull();

    for (const bad of ['is_power_user=yes', 'power_tier=giga', 'handle_prefix=a%25', 'platform=x']) {
      await expectProblem(await call('GET', `/v1/authors?${bad}`, { token }), 400, 'INVALID_REQUEST');
    }
  });
});

describe('GET /v1/authors/{id}', () => {
  it('returns the author with recent posts in one round trip; another client’s author is 404', async () => {
    const token = await tokenAs(a, 'viewer');
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/authors/${a.authors}`, { token }));
    expect(roundTrips).toBe(1);
    const body = await json<Author & { recent_posts: { id: string }[] }>(result);
    expect(body.id).toBe(a.authors);
    expect(body.recent_posts.map((p) => p.id)).toEqual([a.posts]);
    await expectProblem(await call('GET', `/v1/authors/${b.authors}`, { token }), 404, 'AUTHOR_NOT_FOUND');
  });
});

describe('PATCH /v1/authors/{id}', () => {
  it('updates relationship memory: score, tags, power tier, power user', async () => {
    const response = await call('PATCH', `/v1/authors/${a.authors}`, {
      token: await tokenAs(a, 'editor'),
      body: { relationship_score: 0.9, archetype_tags: ['asker', 'skeptic'], power_tier: 'mega', is_power_user: true },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await json<Author>(response)).toMatchObject({
      relationship_score: 0.9,
      archetype_tags: ['asker', 'skeptic'],
      power_tier: 'mega',
      is_power_user: true,
    });
    const cleared = await json<Author>(
      await call('PATCH', `/v1/authors/${a.authors}`, { token: await tokenAs(a, 'editor'), body: { power_tier: null, relationship_score: 0 } }),
    );
    expect(cleared).toMatchObject({ power_tier: null, relationship_score: 0, archetype_tags: ['asker', 'skeptic'] });
  });

  it('validates the score range and the tags; needs write access; another client’s author is 404 and unchanged', async () => {
    const token = await tokenAs(a, 'editor');
    for (const body of [{ relationship_score: 1.01 }, { relationship_score: -0.1 }, { archetype_tags: [''] }, { power_tier: 'giga' }, { handle: 'x' }]) {
      await expectProblem(await call('PATCH', `/v1/authors/${a.authors}`, { token, body }), 422, 'VALIDATION_FAILED');
    }
    await expectProblem(await call('PATCH', `/v1/authors/${a.authors}`, { token: await tokenAs(a, 'service'), body: { relationship_score: 1 } }), 403);
    const before = await authorRow(b, `a-${b.authors}`);
    expect(before).toHaveLength(1);
    await expectProblem(await call('PATCH', `/v1/authors/${b.authors}`, { token, body: { relationship_score: 1 } }), 404, 'AUTHOR_NOT_FOUND');
    expect(await authorRow(b, `a-${b.authors}`)).toEqual(before);
  });
});
