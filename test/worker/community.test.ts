import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { sender } from '../helpers/requests';
import { countOf, rowOf } from '../helpers/rows';

type Row = Record<string, unknown>;

const { create: fixture } = useTenantFixtures('com');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

/** Calls the API and asserts how many database round trips it cost (1 for work, 0 for refusals before it). */
const send = sender(() => a, 'editor');

async function newAuthor(ids: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(sql`insert into authors (id, client_id, platform, platform_id, handle) values (${id}, ${ids.clients}, 'threads', ${`t-${id}`}, 'someone')`);
  return id;
}

async function newPost(ids: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(
    sql`insert into posts (id, client_id, platform, platform_post_id, author_id, content) values (${id}, ${ids.clients}, 'twitter', ${`p-${id}`}, ${ids.authors}, 'Which magnesium brand?')`,
  );
  return id;
}

// ---------------------------------------------------------------------------------------------

describe('competitors', () => {
  it('an editor creates a competitor (201, trimmed, defaults) in one round trip; a second with the same name is 409', async () => {
    const created = await send('POST', '/v1/competitors', {
      body: { name: '  SleepWell  ', category: 'direct', price_point: 'premium', brand_keywords: ['sleepwell', ' #sleepwell '] },
    });
    expect(created.status).toBe(201);
    const competitor = await json(created);
    expect(competitor).toEqual({
      id: expect.any(String),
      client_id: a.clients,
      name: 'SleepWell',
      category: 'direct',
      primary_mechanism: null,
      price_point: 'premium',
      brand_keywords: ['sleepwell', '#sleepwell'],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    await expectProblem(await send('POST', '/v1/competitors', { body: { name: 'SleepWell', category: 'indirect' } }), 409, 'COMPETITOR_NAME_TAKEN');
    expect(await countOf('competitors', a, sql`name = 'SleepWell'`)).toBe(1);
    // Unique per client, not globally.
    expect((await send('POST', '/v1/competitors', { ids: b, body: { name: 'SleepWell', category: 'indirect' } })).status).toBe(201);
  });

  it('validates enums, lengths and unknown fields with 422 before the database', async () => {
    const bad: Row[] = [
      { name: 'X', category: 'frenemy' },
      { name: 'X', category: 'direct', price_point: 'cheap' },
      { name: '   ', category: 'direct' },
      { name: 'x'.repeat(256), category: 'direct' },
      { category: 'direct' },
      { name: 'X', category: 'direct', brand_keywords: Array.from({ length: 51 }, (_, i) => `k${i}`) },
      { name: 'X', category: 'direct', brand_keywords: [''] },
      { name: 'X', category: 'direct', client_id: b.clients },
    ];
    for (const body of bad) await expectProblem(await send('POST', '/v1/competitors', { body, trips: 0 }), 422, 'VALIDATION_FAILED');
    // The limits themselves pass.
    const ok = await send('POST', '/v1/competitors', {
      body: { name: 'y'.repeat(255), category: 'substitute', price_point: 'luxury', brand_keywords: Array.from({ length: 50 }, (_, i) => `k${i}`) },
    });
    expect(ok.status).toBe(201);
  });

  it('lists newest first with filters and cursor pagination; gets one', async () => {
    const ids = await fixture('comp-list');
    for (const [name, category] of [['One', 'direct'], ['Two', 'indirect'], ['Three', 'direct']] as const) {
      expect((await send('POST', '/v1/competitors', { ids, body: { name, category } })).status).toBe(201);
    }
    const first = await json<Page>(await send('GET', '/v1/competitors?category=direct&limit=2', { ids, as: 'viewer' }));
    expect(first.data.map((c) => c.name)).toEqual(['Three', 'One']);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<Page>(
      await send('GET', `/v1/competitors?category=direct&limit=2&cursor=${first.next_cursor}`, { ids, as: 'viewer' }),
    );
    expect(second.data.map((c) => c.name)).toEqual(['Rival']);
    expect(second.next_cursor).toBeNull();
    await expectProblem(await send('GET', '/v1/competitors?category=frenemy', { ids, trips: 0 }), 400, 'INVALID_REQUEST');
    await expectProblem(await send('GET', '/v1/competitors?cursor=garbage', { ids, trips: 0 }), 400, 'INVALID_CURSOR');

    const got = await send('GET', `/v1/competitors/${ids.competitors}`, { ids, as: 'viewer' });
    expect(await json(got)).toMatchObject({ id: ids.competitors, name: 'Rival', category: 'direct' });
  });

  it('updates the fields given; renaming onto another name is 409 and changes nothing', async () => {
    const ids = await fixture('comp-update');
    const other = await json(await send('POST', '/v1/competitors', { ids, body: { name: 'Other', category: 'indirect' } }));
    const updated = await send('PATCH', `/v1/competitors/${ids.competitors}`, {
      ids,
      body: { primary_mechanism: 'magnesium spray', price_point: 'budget' },
    });
    expect(await json(updated)).toMatchObject({ name: 'Rival', primary_mechanism: 'magnesium spray', price_point: 'budget' });
    const before = await rowOf('competitors', other.id as string);
    await expectProblem(await send('PATCH', `/v1/competitors/${other.id}`, { ids, body: { name: 'Rival' } }), 409, 'COMPETITOR_NAME_TAKEN');
    expect(await rowOf('competitors', other.id as string)).toEqual(before);
    await expectProblem(await send('PATCH', `/v1/competitors/${other.id}`, { ids, body: { category: null }, trips: 0 }), 422);
    // Null clears an optional field.
    expect(await json(await send('PATCH', `/v1/competitors/${ids.competitors}`, { ids, body: { price_point: null } }))).toMatchObject({
      price_point: null,
    });
  });

  it('deletes (cascading its mentions); then 404', async () => {
    const ids = await fixture('comp-delete');
    expect(await countOf('competitive_mentions', ids)).toBe(1);
    expect((await send('DELETE', `/v1/competitors/${ids.competitors}`, { ids })).status).toBe(204);
    expect(await countOf('competitive_mentions', ids)).toBe(0);
    await expectProblem(await send('DELETE', `/v1/competitors/${ids.competitors}`, { ids }), 404, 'COMPETITOR_NOT_FOUND');
    await expectProblem(await send('GET', `/v1/competitors/${ids.competitors}`, { ids }), 404, 'COMPETITOR_NOT_FOUND');
  });

  it('another tenant’s competitor is 404 to read, change or delete, and stays unchanged', async () => {
    const before = await rowOf('competitors', a.competitors);
    await expectProblem(await send('GET', `/v1/competitors/${a.competitors}`, { ids: b }), 404, 'COMPETITOR_NOT_FOUND');
    await expectProblem(await send('PATCH', `/v1/competitors/${a.competitors}`, { ids: b, body: { name: 'Stolen' } }), 404);
    await expectProblem(await send('DELETE', `/v1/competitors/${a.competitors}`, { ids: b }), 404);
    expect(await rowOf('competitors', a.competitors)).toEqual(before);
    const listed = await json<Page>(await send('GET', '/v1/competitors', { ids: b }));
    expect(listed.data.map((c) => c.id)).not.toContain(a.competitors);
  });

  it('viewers read, editors write; service tokens neither write nor read competitors', async () => {
    for (const role of ['viewer', 'service'] as const) {
      await expectProblem(await send('POST', '/v1/competitors', { as: role, body: { name: 'Nope', category: 'direct' }, trips: 0 }), 403, 'FORBIDDEN');
      await expectProblem(await send('DELETE', `/v1/competitors/${a.competitors}`, { as: role, trips: 0 }), 403, 'FORBIDDEN');
    }
    await expectProblem(await send('GET', '/v1/competitors', { as: 'service', trips: 0 }), 403, 'FORBIDDEN');
  });
});

// ---------------------------------------------------------------------------------------------

describe('competitive mentions', () => {
  const mention = (ids: FixtureIds, extra: Row = {}) => ({
    post_id: ids.posts,
    competitor_id: ids.competitors,
    sentiment: 'negative',
    opportunity_score: 0.5,
    ...extra,
  });

  it('a service token records a mention (defaults: satisfaction unknown, not replied) in one round trip', async () => {
    const ids = await fixture('men-create');
    const response = await send('POST', '/v1/competitive-mentions', { ids, as: 'service', body: mention(ids) });
    expect(response.status).toBe(201);
    expect(await json(response)).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      post_id: ids.posts,
      competitor_id: ids.competitors,
      sentiment: 'negative',
      satisfaction: 'unknown',
      opportunity_score: 0.5,
      replied: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    await expectProblem(await send('POST', '/v1/competitive-mentions', { ids, as: 'viewer', body: mention(ids), trips: 0 }), 403);
  });

  it('opportunity_score is 0..1, sentiment and satisfaction are enums (422); the bounds pass', async () => {
    const ids = await fixture('men-validate');
    for (const extra of [
      { opportunity_score: -0.01 },
      { opportunity_score: 1.01 },
      { opportunity_score: '0.5' },
      { sentiment: 'angry' },
      { satisfaction: 'delighted' },
      { replied: 'yes' },
      { post_id: 'not-a-uuid' },
    ]) {
      await expectProblem(await send('POST', '/v1/competitive-mentions', { ids, body: mention(ids, extra), trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    for (const extra of [{ opportunity_score: 0 }, { opportunity_score: 1, satisfaction: 'dissatisfied', replied: true, sentiment: 'mixed' }]) {
      expect((await send('POST', '/v1/competitive-mentions', { ids, body: mention(ids, extra) })).status).toBe(201);
    }
    expect(await countOf('competitive_mentions', ids)).toBe(3);
  });

  it('another tenant’s (or no) post or competitor is 404, and nothing is written', async () => {
    const ids = await fixture('men-refs');
    const before = await countOf('competitive_mentions', ids);
    const post = await expectProblem(
      await send('POST', '/v1/competitive-mentions', { ids, body: mention(ids, { post_id: a.posts }) }),
      404,
      'POST_NOT_FOUND',
    );
    expect(post.errors).toEqual([{ path: 'body.post_id', message: expect.any(String) }]);
    await expectProblem(
      await send('POST', '/v1/competitive-mentions', { ids, body: mention(ids, { competitor_id: a.competitors }) }),
      404,
      'COMPETITOR_NOT_FOUND',
    );
    await expectProblem(
      await send('POST', '/v1/competitive-mentions', { ids, body: mention(ids, { competitor_id: crypto.randomUUID() }) }),
      404,
      'COMPETITOR_NOT_FOUND',
    );
    expect(await countOf('competitive_mentions', ids)).toBe(before);
    expect(await countOf('competitive_mentions', a, sql`post_id = ${a.posts}`)).toBe(1);
  });

  it('lists by opportunity score (default, paginated across ties) or newest first, with filters', async () => {
    const ids = await fixture('men-list');
    const other = await json(await send('POST', '/v1/competitors', { ids, body: { name: 'Other', category: 'indirect' } }));
    const post2 = await newPost(ids);
    const scores = [0.9, 0.3, 0.7, 0.7, 0.1];
    const made: Row[] = [];
    for (const [i, score] of scores.entries()) {
      const body = mention(ids, {
        opportunity_score: score,
        competitor_id: i % 2 === 0 ? ids.competitors : other.id,
        post_id: i < 3 ? ids.posts : post2,
        sentiment: i === 4 ? 'positive' : 'negative',
        replied: i === 1,
      });
      made.push(await json(await send('POST', '/v1/competitive-mentions', { ids, as: 'service', body })));
    }
    const fixtureMention = { id: ids.competitive_mentions, opportunity_score: 0 };
    const all = [...made, fixtureMention];
    const byScore = [...all].sort((x, y) => (y.opportunity_score as number) - (x.opportunity_score as number) || String(y.id).localeCompare(String(x.id)));

    const seen: Row[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/competitive-mentions?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page = await json<Page>(await send('GET', url, { ids, as: 'viewer' }));
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((m) => m.id)).toEqual(byScore.map((m) => m.id));

    const created = await json<Page>(await send('GET', '/v1/competitive-mentions?order=created&limit=100', { ids, as: 'viewer' }));
    expect(created.data.map((m) => m.id)).toEqual([...made].reverse().map((m) => m.id).concat(ids.competitive_mentions));

    const filter = async (query: string) =>
      (await json<Page>(await send('GET', `/v1/competitive-mentions?${query}`, { ids, as: 'viewer' }))).data.map((m) => m.opportunity_score);
    expect(await filter('min_opportunity_score=0.7')).toEqual([0.9, 0.7, 0.7]);
    expect(await filter(`competitor_id=${other.id}`)).toEqual([0.7, 0.3]);
    expect(await filter('sentiment=positive')).toEqual([0.1]);
    expect(await filter('replied=true')).toEqual([0.3]);
    expect(await filter(`post_id=${post2}&min_opportunity_score=0.5`)).toEqual([0.7]);

    for (const query of ['min_opportunity_score=1.5', 'sentiment=angry', 'order=score', 'competitor_id=nope', 'replied=yes']) {
      await expectProblem(await send('GET', `/v1/competitive-mentions?${query}`, { ids, trips: 0 }), 400, 'INVALID_REQUEST');
    }
    // A cursor of one order is not a cursor of the other.
    const createdPage = await json<Page>(await send('GET', '/v1/competitive-mentions?order=created&limit=1', { ids }));
    await expectProblem(await send('GET', `/v1/competitive-mentions?cursor=${createdPage.next_cursor}`, { ids, trips: 0 }), 400, 'INVALID_CURSOR');
  });

  it('another tenant never lists this tenant’s mentions', async () => {
    const listed = await json<Page>(await send('GET', `/v1/competitive-mentions?competitor_id=${a.competitors}`, { ids: b }));
    expect(listed.data).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('community champions: upsert, list, get', () => {
  it('PUT creates (201, defaults), then updates only the fields given (200); one row per author', async () => {
    const ids = await fixture('ch-upsert');
    const author = await newAuthor(ids);
    const created = await send('PUT', '/v1/community-champions', { ids, body: { author_id: author } });
    expect(created.status).toBe(201);
    const champion = await json(created);
    expect(champion).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      author_id: author,
      tier: 'bronze',
      engagement_count: 0,
      dm_sent_at: null,
      dm_response: null,
      sample_sent: false,
      converted: false,
      advocate_status: 'prospect',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const updated = await send('PUT', '/v1/community-champions', { ids, body: { author_id: author, tier: 'gold', engagement_count: 12 } });
    expect(updated.status).toBe(200);
    expect(await json(updated)).toMatchObject({ id: champion.id, tier: 'gold', engagement_count: 12, advocate_status: 'prospect' });

    const partial = await send('PUT', '/v1/community-champions', { ids, body: { author_id: author, advocate_status: 'active' } });
    expect(await json(partial)).toMatchObject({ id: champion.id, tier: 'gold', engagement_count: 12, advocate_status: 'active' });
    expect(await countOf('community_champions', ids, sql`author_id = ${author}`)).toBe(1);
  });

  it('a PUT that changes nothing writes nothing (no updated_at bump, no audit row)', async () => {
    const ids = await fixture('ch-noop');
    const body = { author_id: ids.authors, tier: 'silver' };
    expect((await send('PUT', '/v1/community-champions', { ids, body })).status).toBe(200);
    const before = await rowOf('community_champions', ids.community_champions);
    const [audit] = await asSystem(sql`select count(*)::int as n from audit_logs where entity_id = ${ids.community_champions}`);
    for (const again of [body, { author_id: ids.authors }]) {
      const response = await send('PUT', '/v1/community-champions', { ids, body: again });
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({ id: ids.community_champions, tier: 'silver' });
    }
    expect(await rowOf('community_champions', ids.community_champions)).toEqual(before);
    const [after] = await asSystem(sql`select count(*)::int as n from audit_logs where entity_id = ${ids.community_champions}`);
    expect(after![0]!.n).toBe(audit![0]!.n);
  });

  it('validates tier, engagement_count and fields (422); another tenant’s author is 404', async () => {
    const ids = await fixture('ch-validate');
    for (const body of [
      { author_id: ids.authors, tier: 'diamond' },
      { author_id: ids.authors, engagement_count: -1 },
      { author_id: ids.authors, engagement_count: 1.5 },
      { author_id: ids.authors, engagement_count: 2_147_483_648 },
      { author_id: ids.authors, dm_sent_at: new Date().toISOString() },
      { tier: 'gold' },
    ]) {
      await expectProblem(await send('PUT', '/v1/community-champions', { ids, body, trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    await expectProblem(
      await send('PUT', '/v1/community-champions', { ids, body: { author_id: a.authors, tier: 'gold' } }),
      404,
      'AUTHOR_NOT_FOUND',
    );
    expect(await rowOf('community_champions', a.community_champions)).toMatchObject({ tier: 'bronze' });
    await expectProblem(await send('PUT', '/v1/community-champions', { ids, as: 'viewer', body: { author_id: ids.authors }, trips: 0 }), 403);
  });

  it('lists by tier and advocate status, paginated; gets one; another tenant’s is 404', async () => {
    const ids = await fixture('ch-list');
    const gold: string[] = [];
    for (let i = 0; i < 3; i++) {
      const author = await newAuthor(ids);
      gold.push((await json(await send('PUT', '/v1/community-champions', { ids, body: { author_id: author, tier: 'gold' } }))).id as string);
    }
    const page1 = await json<Page>(await send('GET', '/v1/community-champions?tier=gold&limit=2', { ids, as: 'viewer' }));
    const page2 = await json<Page>(await send('GET', `/v1/community-champions?tier=gold&limit=2&cursor=${page1.next_cursor}`, { ids, as: 'viewer' }));
    expect([...page1.data, ...page2.data].map((c) => c.id)).toEqual([...gold].reverse());
    expect(page2.next_cursor).toBeNull();
    const bronze = await json<Page>(await send('GET', '/v1/community-champions?tier=bronze&advocate_status=prospect', { ids, as: 'viewer' }));
    expect(bronze.data.map((c) => c.id)).toEqual([ids.community_champions]);
    const byAuthor = await json<Page>(await send('GET', `/v1/community-champions?author_id=${ids.authors}`, { ids, as: 'viewer' }));
    expect(byAuthor.data.map((c) => c.id)).toEqual([ids.community_champions]);
    await expectProblem(await send('GET', '/v1/community-champions?tier=diamond', { ids, trips: 0 }), 400);

    expect(await json(await send('GET', `/v1/community-champions/${gold[0]}`, { ids, as: 'viewer' }))).toMatchObject({ tier: 'gold' });
    await expectProblem(await send('GET', `/v1/community-champions/${gold[0]}`, { ids: b }), 404, 'COMMUNITY_CHAMPION_NOT_FOUND');
  });
});

describe('community champions: milestones', () => {
  async function newChampion(ids: FixtureIds): Promise<string> {
    const author = await newAuthor(ids);
    return (await json(await send('PUT', '/v1/community-champions', { ids, body: { author_id: author } }))).id as string;
  }
  const path = (id: string, action: string) => `/v1/community-champions/${id}/${action}`;

  async function refused(id: string, action: string, body?: unknown) {
    const before = await rowOf('community_champions', id);
    await expectProblem(await send('POST', path(id, action), { body }), 409, 'INVALID_TRANSITION');
    expect(await rowOf('community_champions', id)).toEqual(before);
  }

  it('DM sent once: sets dm_sent_at and a pending response; a second time is 409 with the row unchanged', async () => {
    const id = await newChampion(a);
    const before = Date.now();
    const sent = await json(await send('POST', path(id, 'dm-sent')));
    expect(sent).toMatchObject({ id, dm_response: 'pending' });
    expect(Date.parse(sent.dm_sent_at as string)).toBeGreaterThanOrEqual(before - 5_000);
    await refused(id, 'dm-sent');
  });

  it('DM response: needs a sent DM; pending or no_response may be answered; accepted and declined are final', async () => {
    const id = await newChampion(a);
    await refused(id, 'dm-response', { dm_response: 'accepted' });
    await send('POST', path(id, 'dm-sent'));
    expect(await json(await send('POST', path(id, 'dm-response'), { body: { dm_response: 'no_response' } }))).toMatchObject({ dm_response: 'no_response' });
    expect(await json(await send('POST', path(id, 'dm-response'), { body: { dm_response: 'accepted' } }))).toMatchObject({ dm_response: 'accepted' });
    await refused(id, 'dm-response', { dm_response: 'declined' });
    await refused(id, 'dm-response', { dm_response: 'accepted' });
    for (const body of [{ dm_response: 'pending' }, { dm_response: 'maybe' }, {}]) {
      await expectProblem(await send('POST', path(id, 'dm-response'), { body, trips: 0 }), 422, 'VALIDATION_FAILED');
    }
    const declined = await newChampion(a);
    await send('POST', path(declined, 'dm-sent'));
    expect(await json(await send('POST', path(declined, 'dm-response'), { body: { dm_response: 'declined' } }))).toMatchObject({
      dm_response: 'declined',
    });
    await refused(declined, 'dm-response', { dm_response: 'accepted' });
  });

  it('sample sent and converted happen once each (then 409, unchanged)', async () => {
    const id = await newChampion(a);
    expect(await json(await send('POST', path(id, 'sample-sent')))).toMatchObject({ sample_sent: true, converted: false });
    await refused(id, 'sample-sent');
    expect(await json(await send('POST', path(id, 'converted')))).toMatchObject({ sample_sent: true, converted: true });
    await refused(id, 'converted');
  });

  it('advocate status: any status may follow any other; the same status again changes nothing', async () => {
    const id = await newChampion(a);
    for (const status of ['active', 'inactive', 'active', 'churned', 'prospect']) {
      expect(await json(await send('POST', path(id, 'advocate-status'), { body: { advocate_status: status } }))).toMatchObject({
        advocate_status: status,
      });
    }
    const before = await rowOf('community_champions', id);
    expect((await send('POST', path(id, 'advocate-status'), { body: { advocate_status: 'prospect' } })).status).toBe(200);
    expect(await rowOf('community_champions', id)).toEqual(before);
    await expectProblem(await send('POST', path(id, 'advocate-status'), { body: { advocate_status: 'famous' }, trips: 0 }), 422);
  });

  it('milestones on another tenant’s champion are 404 and change nothing; viewers may not record them', async () => {
    const before = await rowOf('community_champions', a.community_champions);
    const bodies: Record<string, unknown> = {
      'dm-sent': undefined,
      'dm-response': { dm_response: 'accepted' },
      'sample-sent': undefined,
      converted: undefined,
      'advocate-status': { advocate_status: 'active' },
    };
    for (const [action, body] of Object.entries(bodies)) {
      await expectProblem(await send('POST', path(a.community_champions, action), { ids: b, body }), 404, 'COMMUNITY_CHAMPION_NOT_FOUND');
      await expectProblem(await send('POST', path(a.community_champions, action), { as: 'viewer', body, trips: 0 }), 403, 'FORBIDDEN');
    }
    await expectProblem(await send('POST', path(crypto.randomUUID(), 'dm-sent')), 404);
    expect(await rowOf('community_champions', a.community_champions)).toEqual(before);
  });
});
