import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import * as s from '../../src/db/schema';
import { testDb, asSystem } from './db';

const FIXTURE_SKILL_ID = '00000000-0000-4000-8000-00000000f001';

/** Ids of one row in every tenant table, keyed by table name. */
export type FixtureIds = Record<TenantTableName, string> & { users: string; skills: string };

export const TENANT_TABLES = [
  'clients',
  'memberships',
  'api_keys',
  'brand_kits',
  'knowledge_bases',
  'knowledge_chunks',
  'runs',
  'outputs',
  'feedback',
  'authors',
  'posts',
  'experiments',
  'decisions',
  'replies',
  'escalations',
  'competitors',
  'competitive_mentions',
  'community_champions',
  'kpi_metrics',
  'weight_adjustment_logs',
  'learning_events',
  'randomized_experiments',
  'segmented_weights',
  'webhook_endpoints',
  'webhook_deliveries',
  'retention_archives',
  'channel_links',
] as const;
export type TenantTableName = (typeof TENANT_TABLES)[number];

const uuid = () => crypto.randomUUID();
const embedding = (seed: number) => Array.from({ length: s.EMBEDDING_DIMENSIONS }, (_, i) => Math.sin(seed + i) / 10);

/**
 * Insert statements for one row in every tenant table of one client, parents first, with ids
 * chosen up front. Passing an existing `clientId` builds rows that claim that client (for attacks).
 */
export function fixtureStatements(label: string, clientId?: string): { ids: FixtureIds; statements: SQL[] } {
  const db = testDb();
  const ids = Object.fromEntries([...TENANT_TABLES, 'users'].map((t) => [t, uuid()])) as FixtureIds;
  ids.skills = FIXTURE_SKILL_ID;
  if (clientId) ids.clients = clientId;
  const c = ids.clients;
  const ins = <T extends PgTable>(table: T, values: T['$inferInsert']) => db.insert(table).values(values as never).getSQL();
  const statements: SQL[] = [
    db
      .insert(s.skills)
      .values({
        id: FIXTURE_SKILL_ID,
        name: 'fixture-skill',
        description: 'Skill used by test fixtures',
        type: 'simple',
        storageKey: 'skills/fixture-skill/',
        triggerKeywords: ['fixture'],
      })
      .onConflictDoNothing()
      .getSQL(),
    ins(s.clients, { id: c, name: `Client ${label}`, slug: `fx-${label}-${c.slice(0, 8)}`, storagePrefix: `clients/fx-${c}/` }),
    ins(s.users, { id: ids.users, email: `${label}-${ids.users}@example.test` }),
    ins(s.memberships, { id: ids.memberships, clientId: c, userId: ids.users, role: 'owner' }),
    ins(s.apiKeys, {
      id: ids.api_keys,
      clientId: c,
      name: 'fixture key',
      prefix: 'eda_fx',
      keyHash: (uuid() + uuid()).replaceAll('-', '').slice(0, 64),
      role: 'service',
    }),
    ins(s.brandKits, {
      id: ids.brand_kits,
      clientId: c,
      name: 'Default',
      tone: { voice: 'friendly', personality: ['warm'], do_list: [], dont_list: [] },
      colors: { primary: '#112233' },
      isDefault: true,
      replySignature: `—${label}`,
      prohibitedClaims: ['cure'],
    }),
    ins(s.knowledgeBases, { id: ids.knowledge_bases, clientId: c, name: 'FAQ', sourceType: 'faq' }),
    ins(s.knowledgeChunks, {
      id: ids.knowledge_chunks,
      clientId: c,
      knowledgeBaseId: ids.knowledge_bases,
      content: `Fixture chunk about shipping for ${label}`,
      embedding: embedding(label.length),
      chunkIndex: 0,
      tokenCount: 7,
    }),
    ins(s.runs, { id: ids.runs, clientId: c, userId: ids.users, skillId: FIXTURE_SKILL_ID, userMessage: 'write a headline' }),
    ins(s.outputs, { id: ids.outputs, clientId: c, runId: ids.runs, objectKey: `clients/fx-${c}/outputs/${ids.outputs}.md`, sizeBytes: 12 }),
    ins(s.feedback, { id: ids.feedback, clientId: c, outputId: ids.outputs, overallScore: 4, source: 'api' }),
    ins(s.authors, { id: ids.authors, clientId: c, platform: 'twitter', platformId: `a-${ids.authors}`, handle: 'fixture_author' }),
    ins(s.posts, {
      id: ids.posts,
      clientId: c,
      platform: 'twitter',
      platformPostId: `p-${ids.posts}`,
      authorId: ids.authors,
      content: 'Anyone tried a good sleep supplement?',
      keywordMatches: ['sleep'],
    }),
    ins(s.experiments, { id: ids.experiments, clientId: c, name: 'Tone test', variantA: {}, variantB: {}, metric: 'ctr' }),
    ins(s.decisions, {
      id: ids.decisions,
      clientId: c,
      postId: ids.posts,
      sssScore: 0.5,
      arsScore: 0.5,
      evsScore: 0.5,
      trsScore: 0.5,
      compositeScore: 0.5,
      mode: 'helpful',
      archetype: 'coach',
      experimentId: ids.experiments,
      experimentVariant: 'a',
    }),
    ins(s.replies, {
      id: ids.replies,
      clientId: c,
      decisionId: ids.decisions,
      content: `Try a consistent bedtime. —${label}`,
      archetype: 'coach',
      platform: 'twitter',
      utmCode: 'fx_1',
    }),
    ins(s.escalations, { id: ids.escalations, clientId: c, postId: ids.posts, decisionId: ids.decisions, replyId: ids.replies, reason: 'other' }),
    ins(s.competitors, { id: ids.competitors, clientId: c, name: 'Rival', category: 'direct' }),
    ins(s.competitiveMentions, { id: ids.competitive_mentions, clientId: c, postId: ids.posts, competitorId: ids.competitors, sentiment: 'neutral' }),
    ins(s.communityChampions, { id: ids.community_champions, clientId: c, authorId: ids.authors }),
    ins(s.kpiMetrics, { id: ids.kpi_metrics, clientId: c, date: '2026-11-01', platform: 'twitter', metricType: 'reach', metricName: 'impressions', value: 10 }),
    ins(s.weightAdjustmentLogs, {
      id: ids.weight_adjustment_logs,
      clientId: c,
      date: '2026-11-01',
      action: 'adjust',
      reason: 'fixture',
      oldWeights: { sss: 0.25 },
      newWeights: { sss: 0.3 },
    }),
    ins(s.learningEvents, { id: ids.learning_events, clientId: c, date: '2026-11-01', adjustmentType: 'weights', adjustment: {} }),
    ins(s.randomizedExperiments, {
      id: ids.randomized_experiments,
      clientId: c,
      decisionId: ids.decisions,
      predictedMode: 'helpful',
      actualMode: 'engagement',
    }),
    ins(s.segmentedWeights, {
      id: ids.segmented_weights,
      clientId: c,
      segmentType: 'platform',
      segmentKey: 'twitter',
      sssWeight: 0.25,
      arsWeight: 0.25,
      evsWeight: 0.25,
      trsWeight: 0.25,
    }),
    ins(s.webhookEndpoints, { id: ids.webhook_endpoints, clientId: c, kind: 'posts', description: 'fixture endpoint' }),
    ins(s.webhookDeliveries, {
      id: ids.webhook_deliveries,
      clientId: c,
      source: 'fixture',
      deliveryId: `d-${c}`,
      endpointId: ids.webhook_endpoints,
      eventType: 'posts.detected',
    }),
    ins(s.retentionArchives, {
      id: ids.retention_archives,
      clientId: c,
      dataset: 'posts',
      objectKey: `clients/fx-${c}/retention/posts/fixture.jsonl.gz`,
      recordCount: 1,
      deletedRows: 1,
      byteSize: 1,
      sha256: '0'.repeat(64),
      cutoff: new Date(0),
      oldest: new Date(0),
      newest: new Date(0),
    }),
    ins(s.channelLinks, {
      id: ids.channel_links,
      clientId: c,
      userId: ids.users,
      codeHash: ids.channel_links.replaceAll('-', '').padEnd(64, '0'),
      codeExpiresAt: new Date(0),
      channel: 'web',
      channelUserId: `web-${c}`,
      linkedAt: new Date(0),
    }),
  ];
  return { ids, statements };
}

/** Creates a client with one row in every tenant table (one round trip, system path). */
export async function createTenantFixture(label: string): Promise<FixtureIds> {
  const { ids, statements } = fixtureStatements(label);
  await asSystem(...statements);
  return ids;
}

/** Deletes a fixture client; everything tenant-owned goes with it by cascade. */
export async function deleteTenantFixture(ids: FixtureIds): Promise<void> {
  await asSystem(sql`delete from clients where id = ${ids.clients}`, sql`delete from users where id = ${ids.users}`);
}
