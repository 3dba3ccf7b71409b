import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { MAX_EMBEDDED_ITEMS } from '../../src/lib/pagination';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';

interface BulkResult {
  inserted: number;
  duplicates: number;
  authors_inserted: number;
  authors_updated: number;
  posts: { id: string; platform_post_id: string; status: 'inserted' | 'duplicate' }[];
}
interface Post {
  id: string;
  platform: string;
  platform_post_id: string;
  author_id: string;
  content: string;
  processed_at: string | null;
  error_count: number;
  error_message: string | null;
  keyword_categories: string[];
  detected_at: string;
  updated_at: string;
}

const { run: RUN, create: fixture } = useTenantFixtures('eng-p');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

let seq = 0;
const uid = (prefix: string) => `${prefix}_${RUN}_${++seq}`;
const post = (overrides: Record<string, unknown> = {}) => ({
  platform_post_id: uid('p'),
  author: { platform_id: uid('a'), handle: 'sleepy_sam' },
  content: 'Anything that helps with insomnia?',
  keyword_matches: ['insomnia'],
  ...overrides,
});

async function ingest(ids: FixtureIds, body: unknown, role: Role = 'service') {
  return call('POST', '/v1/posts/bulk', { token: await tokenAs(ids, role), body });
}

async function rowsOf(table: 'posts' | 'authors', ids: FixtureIds): Promise<Record<string, unknown>[]> {
  const [rows] = await asSystem(sql`select to_jsonb(t) as row from ${sql.identifier(table)} t where client_id = ${ids.clients} order by id`);
  return rows!.map((r) => r.row as Record<string, unknown>);
}

const without = (row: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

describe('POST /v1/posts/bulk: seed 003 validation rules', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['empty content', { content: '' }, 'body.posts.1.content'],
    ['whitespace-only content', { content: '   ' }, 'body.posts.1.content'],
    ['content over 5000 characters', { content: 'x'.repeat(5001) }, 'body.posts.1.content'],
    ['platform_post_id with a space', { platform_post_id: 'bad id' }, 'body.posts.1.platform_post_id'],
    ['platform_post_id with a slash', { platform_post_id: 'a/b' }, 'body.posts.1.platform_post_id'],
    ['platform_post_id over 100', { platform_post_id: 'p'.repeat(101) }, 'body.posts.1.platform_post_id'],
    ['empty platform_post_id', { platform_post_id: '' }, 'body.posts.1.platform_post_id'],
    ['handle with a dash', { author: { platform_id: 'x1', handle: 'bad-handle' } }, 'body.posts.1.author.handle'],
    ['handle with @', { author: { platform_id: 'x1', handle: '@sam' } }, 'body.posts.1.author.handle'],
    ['handle over 50', { author: { platform_id: 'x1', handle: 'h'.repeat(51) } }, 'body.posts.1.author.handle'],
    ['no keyword match', { keyword_matches: [] }, 'body.posts.1.keyword_matches'],
    ['51 keyword matches', { keyword_matches: Array.from({ length: 51 }, (_, i) => `k${i}`) }, 'body.posts.1.keyword_matches'],
    ['an unknown field', { colour: 'red' }, 'body.posts.1'],
  ];
  it.each(cases)('refuses %s with 422 and writes nothing', async (_name, overrides, path) => {
    const before = (await rowsOf('posts', a)).length;
    const response = await ingest(a, { platform: 'twitter', posts: [post(), post(overrides)] });
    const problem = await expectProblem(response, 422, 'VALIDATION_FAILED');
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain(path);
    expect((await rowsOf('posts', a)).length).toBe(before);
  });

  const passing: [string, Record<string, unknown>][] = [
    ['one-character content', { content: '?' }],
    ['5000-character content (emoji count once)', { content: '😴'.repeat(5000) }],
    ['a 100-character platform_post_id with _ and -', { platform_post_id: `${uid('ok')}-_`.padEnd(100, 'z') }],
    ['a 50-character handle with _', { author: { platform_id: uid('a'), handle: 'Sam_'.padEnd(50, '9') } }],
    ['one keyword match', { keyword_matches: ['sleep'] }],
    ['50 keyword matches', { keyword_matches: Array.from({ length: 50 }, (_, i) => `k${i}`) }],
  ];
  it.each(passing)('accepts %s', async (_name, overrides) => {
    const response = await ingest(a, { platform: 'reddit', posts: [post(overrides)] });
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await json<BulkResult>(response)).inserted).toBe(1);
  });

  it('refuses a batch over 1,000 posts and an empty batch with 422', async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      platform_post_id: `m${i}`,
      author: { platform_id: 'a', handle: 'h' },
      content: 'c',
      keyword_matches: ['k'],
    }));
    await expectProblem(await ingest(a, { platform: 'twitter', posts: tooMany }), 422, 'VALIDATION_FAILED');
    await expectProblem(await ingest(a, { platform: 'twitter', posts: [] }), 422, 'VALIDATION_FAILED');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const big = Array.from({ length: 300 }, () => post({ content: 'z'.repeat(4000) }));
    await expectProblem(await ingest(a, { platform: 'twitter', posts: big }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('is for automation and editors: a viewer gets 403', async () => {
    await expectProblem(await ingest(a, { platform: 'twitter', posts: [post()] }, 'viewer'), 403, 'FORBIDDEN');
  });
});

describe('POST /v1/posts/bulk: ingest', () => {
  it('inserts posts with their authors in one round trip and reports ids in order', async () => {
    const ids = await fixture('ing');
    const author = { platform_id: uid('a'), handle: 'night_owl', display_name: 'Night Owl', follower_count: 1200, is_verified: true };
    const batch = [
      post({ author, detected_at: '2026-11-02T10:00:00.000Z', keyword_categories: ['problem'], raw_metrics: { likes: 4 } }),
      post({ author }),
      post({ spam_filtered: true }),
    ];
    const token = await tokenAs(ids, 'service');
    const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/posts/bulk', { token, body: { platform: 'threads', posts: batch } }));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const body = await json<BulkResult>(result);
    expect(body).toMatchObject({ inserted: 3, duplicates: 0, authors_inserted: 2, authors_updated: 0 });
    expect(body.posts.map((p) => p.platform_post_id)).toEqual(batch.map((p) => p.platform_post_id));
    expect(body.posts.every((p) => p.status === 'inserted')).toBe(true);

    const [rows] = await asSystem(sql`
      select p.id, p.platform, p.content, p.detected_at, p.keyword_categories, p.raw_metrics, p.spam_filtered,
             a.handle, a.display_name, a.follower_count, a.is_verified, a.platform as author_platform
      from posts p join authors a on a.id = p.author_id where p.id = ${body.posts[0]!.id}`);
    expect(rows![0]).toMatchObject({
      platform: 'threads',
      author_platform: 'threads',
      keyword_categories: ['problem'],
      raw_metrics: { likes: 4 },
      spam_filtered: false,
      handle: 'night_owl',
      display_name: 'Night Owl',
      follower_count: 1200,
      is_verified: true,
    });
    expect(new Date(rows![0]!.detected_at as string).toISOString()).toBe('2026-11-02T10:00:00.000Z');
    const [authors] = await asSystem(sql`select count(*)::int as n from authors where client_id = ${ids.clients} and platform_id = ${author.platform_id}`);
    expect(authors![0]!.n).toBe(1);
  });

  it('is idempotent: the same batch twice leaves the same rows (authors only move last_seen_at)', async () => {
    const ids = await fixture('idem');
    const batch = { platform: 'twitter', posts: [post(), post({ content: 'Second post about sleep' }), post({ keyword_matches: ['melatonin', 'sleep'] })] };
    const first = await json<BulkResult>(await ingest(ids, batch));
    expect(first).toMatchObject({ inserted: 3, duplicates: 0 });
    const postsBefore = await rowsOf('posts', ids);
    const authorsBefore = await rowsOf('authors', ids);

    const response = await ingest(ids, batch);
    expect(response.status).toBe(200);
    const second = await json<BulkResult>(response);
    expect(second).toMatchObject({ inserted: 0, duplicates: 3, authors_inserted: 0, authors_updated: 3 });
    expect(second.posts.map((p) => [p.id, p.status])).toEqual(first.posts.map((p) => [p.id, 'duplicate']));

    // Posts are not touched at all, not even updated_at.
    expect(await rowsOf('posts', ids)).toEqual(postsBefore);
    const authorsAfter = await rowsOf('authors', ids);
    expect(authorsAfter.map((r) => without(r, 'updated_at', 'last_seen_at'))).toEqual(
      authorsBefore.map((r) => without(r, 'updated_at', 'last_seen_at')),
    );
    const sent = new Set(batch.posts.map((p) => p.author.platform_id));
    for (const [i, row] of authorsAfter.entries()) {
      if (!sent.has(row.platform_id as string)) continue; // the fixture's own author
      expect(Date.parse(row.last_seen_at as string)).toBeGreaterThan(Date.parse(authorsBefore[i]!.last_seen_at as string));
      expect(row.first_seen_at).toBe(authorsBefore[i]!.first_seen_at);
    }
  });

  it('a re-sent post keeps its stored content; a repeat inside one batch is a duplicate of the first', async () => {
    const original = post({ content: 'First version' });
    const first = await json<BulkResult>(await ingest(a, { platform: 'twitter', posts: [original] }));
    const resent = { ...original, content: 'Edited version' };
    const response = await ingest(a, { platform: 'twitter', posts: [resent, post(), { ...resent, content: 'again' }] });
    const body = await json<BulkResult>(response);
    expect(body).toMatchObject({ inserted: 1, duplicates: 2 });
    expect(body.posts[0]).toEqual({ id: first.posts[0]!.id, platform_post_id: original.platform_post_id, status: 'duplicate' });
    const [rows] = await asSystem(sql`select content from posts where id = ${first.posts[0]!.id}`);
    expect(rows![0]!.content).toBe('First version');

    const twice = post();
    const dup = await json<BulkResult>(await ingest(a, { platform: 'twitter', posts: [twice, { ...twice, content: 'later copy' }] }));
    expect(dup.posts.map((p) => p.status)).toEqual(['inserted', 'duplicate']);
    expect(dup.posts[0]!.id).toBe(dup.posts[1]!.id);
    const [stored] = await asSystem(sql`select content from posts where id = ${dup.posts[0]!.id}`);
    expect(stored![0]!.content).toBe(twice.content);
  });

  it('the same platform_post_id on another platform, or in another client, is another post', async () => {
    const p = post();
    const onTwitter = await json<BulkResult>(await ingest(a, { platform: 'twitter', posts: [p] }));
    const onReddit = await json<BulkResult>(await ingest(a, { platform: 'reddit', posts: [p] }));
    const inB = await json<BulkResult>(await ingest(b, { platform: 'twitter', posts: [p] }));
    expect([onTwitter.inserted, onReddit.inserted, inB.inserted]).toEqual([1, 1, 1]);
    expect(new Set([onTwitter.posts[0]!.id, onReddit.posts[0]!.id, inB.posts[0]!.id]).size).toBe(3);
  });

  it('ingests 1,000 posts (100 authors) in one request and one round trip, under the 1 MiB body limit', async () => {
    const ids = await fixture('1k');
    const posts = Array.from({ length: 1000 }, (_, i) => ({
      platform_post_id: `k${i}`,
      author: { platform_id: `u${i % 100}`, handle: `u${i % 100}` },
      content: `Post ${i} about sleep`,
      keyword_matches: ['sleep'],
    }));
    const body = { platform: 'twitter', posts };
    expect(JSON.stringify(body).length).toBeLessThan(1024 * 1024);
    const token = await tokenAs(ids, 'service');
    const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/posts/bulk', { token, body }));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const summary = await json<BulkResult>(result);
    expect(summary).toMatchObject({ inserted: 1000, duplicates: 0, authors_inserted: 100 });
    expect(new Set(summary.posts.map((p) => p.id)).size).toBe(1000);
    const [count] = await asSystem(sql`select count(*)::int as n from posts where client_id = ${ids.clients} and platform_post_id like 'k%'`);
    expect(count![0]!.n).toBe(1000);
    // One audit statement per table write: every inserted post is in the trail.
    const [audited] = await asSystem(
      sql`select count(*)::int as n from audit_logs where client_id = ${ids.clients} and entity_type = 'posts' and action = 'insert'`,
    );
    expect(audited![0]!.n).toBe(1001);
  });
});

describe('GET /v1/posts', () => {
  it('filters by platform, detection time, processed and keyword category, newest first, with pagination', async () => {
    const ids = await fixture('list');
    const batch = [
      post({ detected_at: '2026-10-01T00:00:00.000Z', keyword_categories: ['problem'] }),
      post({ detected_at: '2026-10-05T00:00:00.000Z', keyword_categories: ['ingredient'] }),
      post({ detected_at: '2026-10-09T00:00:00.000Z', keyword_categories: ['problem', 'ingredient'] }),
    ];
    const result = await json<BulkResult>(await ingest(ids, { platform: 'reddit', posts: batch }));
    const [p1, p2, p3] = result.posts.map((p) => p.id) as [string, string, string];
    await call('POST', `/v1/posts/${p2}/processed`, { token: await tokenAs(ids, 'service') });
    const token = await tokenAs(ids, 'viewer');
    const list = async (query: string) => {
      const response = await call('GET', `/v1/posts?${query}`, { token });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await json<Page<Post>>(response)).data.map((p) => p.id);
    };
    expect(await list('platform=reddit')).toEqual([p3, p2, p1]);
    expect(await list('platform=twitter')).toEqual([ids.posts]);
    expect(await list('platform=reddit&detected_after=2026-10-05T00:00:00Z')).toEqual([p3, p2]);
    expect(await list('platform=reddit&detected_before=2026-10-05T00:00:00Z')).toEqual([p1]);
    expect(await list('platform=reddit&processed=true')).toEqual([p2]);
    expect(await list('platform=reddit&processed=false')).toEqual([p3, p1]);
    expect(await list('keyword_category=problem')).toEqual([p3, p1]);

    const page1 = await json<Page<Post>>(await call('GET', '/v1/posts?platform=reddit&limit=2', { token }));
    expect(page1.data.map((p) => p.id)).toEqual([p3, p2]);
    const page2 = await json<Page<Post>>(await call('GET', `/v1/posts?platform=reddit&limit=2&cursor=${page1.next_cursor}`, { token }));
    expect(page2).toEqual({ data: [expect.objectContaining({ id: p1 })], next_cursor: null });

    for (const bad of ['processed=maybe', 'platform=myspace', 'detected_after=yesterday', 'limit=0', 'cursor=abc']) {
      await expectProblem(await call('GET', `/v1/posts?${bad}`, { token }), 400);
    }
  });
});

describe('GET /v1/posts/{id}', () => {
  it('returns the post with its author, decisions, replies and competitive mentions in one round trip', async () => {
    const token = await tokenAs(a, 'viewer');
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/posts/${a.posts}`, { token }));
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    const body = await json<Record<string, unknown> & { author: { id: string }; decisions: { id: string }[]; replies: { id: string }[]; competitive_mentions: Record<string, unknown>[] }>(result);
    expect(body.id).toBe(a.posts);
    expect(body.author.id).toBe(a.authors);
    expect(body.decisions.map((d) => d.id)).toEqual([a.decisions]);
    expect(body.replies.map((r) => r.id)).toEqual([a.replies]);
    expect(body.competitive_mentions).toEqual([
      expect.objectContaining({ id: a.competitive_mentions, competitor_id: a.competitors, competitor_name: 'Rival', sentiment: 'neutral' }),
    ]);
  });

  it('caps each embedded list at MAX_EMBEDDED_ITEMS, newest first, and says when there are more', async () => {
    const ids = await fixture('capped');
    const extra = MAX_EMBEDDED_ITEMS; // with the fixture's own decision: one more than the cap
    await asSystem(sql`
      insert into decisions (client_id, post_id, sss_score, ars_score, evs_score, trs_score, composite_score, mode, archetype)
      select ${ids.clients}, ${ids.posts}, 0.1, 0.1, 0.1, 0.1, 0.1, 'helpful', 'coach' from generate_series(1, ${extra})`);
    const body = await json<{ decisions: { id: string }[]; has_more_decisions: boolean; has_more_replies: boolean; replies: unknown[] }>(
      await call('GET', `/v1/posts/${ids.posts}`, { token: await tokenAs(ids, 'viewer') }),
    );
    expect(body.decisions).toHaveLength(MAX_EMBEDDED_ITEMS);
    expect(body.decisions.map((d) => d.id)).not.toContain(ids.decisions); // the oldest is the one left out
    expect(body.has_more_decisions).toBe(true);
    expect(body.replies).toHaveLength(1);
    expect(body.has_more_replies).toBe(false);
  });

  it('answers 404 for another client’s post and for an unknown id', async () => {
    await expectProblem(await call('GET', `/v1/posts/${b.posts}`, { token: await tokenAs(a, 'viewer') }), 404, 'POST_NOT_FOUND');
    await expectProblem(await call('GET', `/v1/posts/${crypto.randomUUID()}`, { token: await tokenAs(a, 'viewer') }), 404, 'POST_NOT_FOUND');
  });
});

describe('POST /v1/posts/{id}/processed and /error', () => {
  it('marks a post processed once; a retry keeps the first time and changes nothing', async () => {
    const created = await json<BulkResult>(await ingest(a, { platform: 'twitter', posts: [post()] }));
    const id = created.posts[0]!.id;
    const first = await json<Post>(await call('POST', `/v1/posts/${id}/processed`, { token: await tokenAs(a, 'service') }));
    expect(first.processed_at).not.toBeNull();
    const [before] = await asSystem(sql`select to_jsonb(p) as row from posts p where id = ${id}`);
    const response = await call('POST', `/v1/posts/${id}/processed`, { token: await tokenAs(a, 'service') });
    expect(response.status).toBe(200);
    expect((await json<Post>(response)).processed_at).toBe(first.processed_at);
    const [after] = await asSystem(sql`select to_jsonb(p) as row from posts p where id = ${id}`);
    expect(after).toEqual(before);
  });

  it('records errors: error_count grows by exactly one per call, also under concurrency', async () => {
    const created = await json<BulkResult>(await ingest(a, { platform: 'twitter', posts: [post()] }));
    const id = created.posts[0]!.id;
    const token = await tokenAs(a, 'service');
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => call('POST', `/v1/posts/${id}/error`, { token, body: { error_message: `failure ${i}` } })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const [rows] = await asSystem(sql`select error_count, error_message from posts where id = ${id}`);
    expect(rows![0]!.error_count).toBe(5);
    expect(rows![0]!.error_message).toMatch(/^failure \d$/);

    await expectProblem(await call('POST', `/v1/posts/${id}/error`, { token, body: { error_message: '  ' } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('POST', `/v1/posts/${id}/error`, { token, body: {} }), 422, 'VALIDATION_FAILED');
  });

  it('answers 404 for another client’s post and leaves it unchanged', async () => {
    const [before] = await asSystem(sql`select to_jsonb(p) as row from posts p where id = ${b.posts}`);
    await expectProblem(await call('POST', `/v1/posts/${b.posts}/processed`, { token: await tokenAs(a, 'service') }), 404, 'POST_NOT_FOUND');
    await expectProblem(
      await call('POST', `/v1/posts/${b.posts}/error`, { token: await tokenAs(a, 'service'), body: { error_message: 'x' } }),
      404,
      'POST_NOT_FOUND',
    );
    const [after] = await asSystem(sql`select to_jsonb(p) as row from posts p where id = ${b.posts}`);
    expect(after).toEqual(before);
  });
});

describe('NUL characters and other values Postgres refuses', () => {
  it('answer 422, never 500, and write nothing', async () => {
    const before = [(await rowsOf('posts', a)).length, (await rowsOf('authors', a)).length];
    const token = await tokenAs(a, 'service');
    const nul = 'bad\u0000value';
    for (const body of [
      { platform: 'twitter', posts: [post({ content: nul })] },
      { platform: 'twitter', posts: [post({ keyword_matches: [nul] })] },
      { platform: 'twitter', posts: [post({ raw_metrics: { note: nul } })] },
      { platform: 'twitter', posts: [post({ author: { platform_id: uid('a'), handle: 'ok', display_name: nul } })] },
    ]) {
      await expectProblem(await call('POST', '/v1/posts/bulk', { token, body }), 422);
    }
    await expectProblem(await call('POST', `/v1/posts/${a.posts}/error`, { token, body: { error_message: nul } }), 422);
    await expectProblem(
      await call('POST', `/v1/posts/${a.posts}/decisions`, {
        token,
        body: { sss_score: 0, ars_score: 0, evs_score: 0, trs_score: 0, composite_score: 0, mode: 'helpful', archetype: 'coach', signals: { k: nul } },
      }),
      422,
    );
    expect([(await rowsOf('posts', a)).length, (await rowsOf('authors', a)).length]).toEqual(before);
  });
});

describe('timestamps outside the accepted years (1970–2200)', () => {
  const cursorOf = (values: unknown[]) => btoa(JSON.stringify(values)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

  it('a filter beyond them is 400 with a field path, never 500; the edges are accepted', async () => {
    const token = await tokenAs(a, 'viewer');
    for (const value of ['9999-12-31T23:59:59-14:00', '0001-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '2201-01-01T00:00:00Z', '2026-01-01T00:00:00+23:59']) {
      const response = await call('GET', `/v1/posts?detected_after=${encodeURIComponent(value)}`, { token });
      const problem = await expectProblem(response, 400, 'INVALID_REQUEST');
      expect(problem.errors, value).toEqual([expect.objectContaining({ path: 'query.detected_after' })]);
    }
    for (const value of ['1970-01-01T00:00:00Z', '2200-12-31T23:59:59.999Z', '2026-01-01T00:00:00-14:00']) {
      expect((await call('GET', `/v1/posts?detected_before=${encodeURIComponent(value)}`, { token })).status, value).toBe(200);
    }
  });

  it('a post detected in year 10000 is refused (422), so it never stops GET /v1/posts from paging', async () => {
    const ids = await fixture('years');
    const token = await tokenAs(ids, 'service');
    const problem = await expectProblem(
      await ingest(ids, { platform: 'twitter', posts: [post({ detected_at: '9999-12-31T23:59:59-14:00' })] }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'body.posts.0.detected_at' })]);
    // The latest instant accepted is stored, and paging passes it.
    expect((await ingest(ids, { platform: 'twitter', posts: [post({ detected_at: '2200-12-31T23:59:59.999Z' })] })).status).toBe(200);
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const response = await call('GET', `/v1/posts?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(response.status, await response.clone().text()).toBe(200);
      const page: Page<Post> = await json<Page<Post>>(response);
      seen.push(...page.data.map((p) => p.detected_at));
      cursor = page.next_cursor;
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe('2200-12-31T23:59:59.999Z');
  });

  it('a cursor naming an instant outside them is 400 INVALID_CURSOR', async () => {
    const token = await tokenAs(a, 'viewer');
    for (const instant of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59-14:00', '+010000-01-01T00:00:00.000Z']) {
      const response = await call('GET', `/v1/posts?cursor=${cursorOf([{ d: instant }, crypto.randomUUID()])}`, { token });
      await expectProblem(response, 400, 'INVALID_CURSOR');
    }
  });
});
