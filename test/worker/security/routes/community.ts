import { sql } from 'drizzle-orm';
import { asSystem } from '../../../helpers/db';
import type { FixtureIds } from '../../../helpers/tenant-fixture';
import type { RouteSpec } from './types';

async function newCompetitor(a: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(sql`insert into competitors (id, client_id, name, category) values (${id}, ${a.clients}, ${`Suite rival ${id}`}, 'indirect')`);
  return id;
}

/** A new author with a champion row; `dmSent` starts it with a DM awaiting an answer. */
async function newChampion(a: FixtureIds, dmSent = false): Promise<string> {
  const author = crypto.randomUUID();
  const id = crypto.randomUUID();
  await asSystem(
    sql`insert into authors (id, client_id, platform, platform_id, handle) values (${author}, ${a.clients}, 'reddit', ${`suite-${author}`}, 'suite_author')`,
    dmSent
      ? sql`insert into community_champions (id, client_id, author_id, dm_sent_at, dm_response) values (${id}, ${a.clients}, ${author}, now(), 'pending')`
      : sql`insert into community_champions (id, client_id, author_id) values (${id}, ${a.clients}, ${author})`,
  );
  return id;
}

/** Competitors, competitive mentions, community champions. */
export const COMMUNITY_ROUTES: Record<string, RouteSpec> = {
  'GET /v1/competitors': { valid: async () => ({ path: '/v1/competitors?category=direct' }) },
  'POST /v1/competitors': {
    valid: async () => ({
      path: '/v1/competitors',
      body: { name: `Suite rival ${crypto.randomUUID()}`, category: 'direct', primary_mechanism: 'gummies', brand_keywords: ['rival'] },
    }),
  },
  'GET /v1/competitors/{id}': { valid: async (a) => ({ path: `/v1/competitors/${a.competitors}` }) },
  'PATCH /v1/competitors/{id}': { valid: async (a) => ({ path: `/v1/competitors/${a.competitors}`, body: { primary_mechanism: 'Suite edit' } }) },
  'DELETE /v1/competitors/{id}': { valid: async (a) => ({ path: `/v1/competitors/${await newCompetitor(a)}` }) },
  'POST /v1/competitive-mentions': {
    valid: async (a) => ({
      path: '/v1/competitive-mentions',
      body: { post_id: a.posts, competitor_id: a.competitors, sentiment: 'negative', opportunity_score: 0.8 },
    }),
  },
  'GET /v1/competitive-mentions': { valid: async () => ({ path: '/v1/competitive-mentions?min_opportunity_score=0.5' }) },
  'PUT /v1/community-champions': {
    valid: async (a) => ({ path: '/v1/community-champions', body: { author_id: a.authors, tier: 'silver', engagement_count: 3 } }),
  },
  'GET /v1/community-champions': { valid: async () => ({ path: '/v1/community-champions?tier=bronze' }) },
  'GET /v1/community-champions/{id}': { valid: async (a) => ({ path: `/v1/community-champions/${a.community_champions}` }) },
  'POST /v1/community-champions/{id}/dm-sent': { valid: async (a) => ({ path: `/v1/community-champions/${await newChampion(a)}/dm-sent` }) },
  'POST /v1/community-champions/{id}/dm-response': {
    valid: async (a) => ({ path: `/v1/community-champions/${await newChampion(a, true)}/dm-response`, body: { dm_response: 'accepted' } }),
  },
  'POST /v1/community-champions/{id}/sample-sent': { valid: async (a) => ({ path: `/v1/community-champions/${await newChampion(a)}/sample-sent` }) },
  'POST /v1/community-champions/{id}/converted': { valid: async (a) => ({ path: `/v1/community-champions/${await newChampion(a)}/converted` }) },
  'POST /v1/community-champions/{id}/advocate-status': {
    valid: async (a) => ({ path: `/v1/community-champions/${a.community_champions}/advocate-status`, body: { advocate_status: 'active' } }),
  },
};
