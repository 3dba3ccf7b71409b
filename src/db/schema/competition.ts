import { sql } from 'drizzle-orm';
import { boolean, check, integer, real, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { indexOn, newestFirstIndex, timestamptz, unitInterval } from './columns';
import { advocateStatus, championTier, competitorCategory, dmResponseStatus, pricePoint, sentiment, userSatisfaction } from './enums';
import { authors, posts } from './engagement';
import { tenantReference, tenantTable } from './tenant-table';

/** A competitor a client tracks (seed 003). */
export const competitors = tenantTable(
  'competitors',
  {
    name: varchar('name', { length: 255 }).notNull(),
    category: competitorCategory('category').notNull(),
    primaryMechanism: varchar('primary_mechanism', { length: 255 }),
    pricePoint: pricePoint('price_point'),
    brandKeywords: text('brand_keywords').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    newestFirstIndex('competitors', t),
    uniqueIndex('competitors_client_id_name_key').on(t.clientId, t.name),
  ],
);

/** A detected post that mentions a competitor. */
export const competitiveMentions = tenantTable(
  'competitive_mentions',
  {
    postId: uuid('post_id').notNull(),
    competitorId: uuid('competitor_id').notNull(),
    sentiment: sentiment('sentiment').notNull(),
    satisfaction: userSatisfaction('satisfaction').notNull().default('unknown'),
    opportunityScore: real('opportunity_score').notNull().default(0),
    replied: boolean('replied').notNull().default(false),
  },
  (t) => [
    newestFirstIndex('competitive_mentions', t),
    indexOn('competitive_mentions', 'client_id', 'opportunity_score', 'id').on(t.clientId, t.opportunityScore, t.id),
    ...tenantReference('competitive_mentions', t.clientId, t.postId, posts),
    ...tenantReference('competitive_mentions', t.clientId, t.competitorId, competitors),
    unitInterval('competitive_mentions', t.opportunityScore),
  ],
);

/** An author the client cultivates as an advocate; one row per author. */
export const communityChampions = tenantTable(
  'community_champions',
  {
    authorId: uuid('author_id').notNull(),
    tier: championTier('tier').notNull().default('bronze'),
    engagementCount: integer('engagement_count').notNull().default(0),
    dmSentAt: timestamptz('dm_sent_at'),
    dmResponse: dmResponseStatus('dm_response'),
    sampleSent: boolean('sample_sent').notNull().default(false),
    converted: boolean('converted').notNull().default(false),
    advocateStatus: advocateStatus('advocate_status').notNull().default('prospect'),
  },
  (t) => [
    newestFirstIndex('community_champions', t),
    ...tenantReference('community_champions', t.clientId, t.authorId, authors),
    uniqueIndex('community_champions_client_id_author_id_key').on(t.clientId, t.authorId),
    check('community_champions_engagement_nonnegative', sql`${t.engagementCount} >= 0`),
  ],
);

export type Competitor = typeof competitors.$inferSelect;
export type NewCompetitor = typeof competitors.$inferInsert;
export type CompetitiveMention = typeof competitiveMentions.$inferSelect;
export type NewCompetitiveMention = typeof competitiveMentions.$inferInsert;
export type CommunityChampion = typeof communityChampions.$inferSelect;
export type NewCommunityChampion = typeof communityChampions.$inferInsert;
