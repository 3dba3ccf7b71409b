import { pathToFileURL } from 'node:url';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { sql as dsql, getTableColumns, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/neon-http';
import type { PgTable } from 'drizzle-orm/pg-core';
import { systemPrelude } from '../../src/db/context';
import * as s from '../../src/db/schema';
import { assertInsertable } from '../../src/db/schema/zod';
import { connect, targetFromEnv } from './connection';
import { analyzeTables } from './migrate';
import { SKILLS, seedId, topicEmbedding } from './seed-data';

type Platform = (typeof s.platform.enumValues)[number];
const PLATFORMS: Platform[] = ['twitter', 'reddit', 'threads'];

interface SeedClient {
  slug: string;
  name: string;
  description: string;
  signature: string;
  prohibitedClaims: string[];
  members: { email: string; name: string; role: 'owner' | 'admin' | 'editor' | 'viewer' }[];
  keywords: { word: string; category: string }[];
  knowledge: string[];
}

export const SEED_CLIENTS: SeedClient[] = [
  {
    slug: 'vita-wellness',
    name: 'Vita Wellness',
    description: 'Sleep and recovery supplements; replies signed by Antone.',
    signature: '—Antone (Vita)',
    prohibitedClaims: ['cure', 'prevent', 'treat', 'clinically proven'],
    members: [
      { email: 'antone@vita.example', name: 'Antone Reyes', role: 'owner' },
      { email: 'maya@vita.example', name: 'Maya Chen', role: 'editor' },
      { email: 'lee@vita.example', name: 'Lee Park', role: 'viewer' },
    ],
    keywords: [
      { word: 'magnesium', category: 'ingredient' },
      { word: 'insomnia', category: 'problem' },
      { word: 'sleep', category: 'problem' },
      { word: 'melatonin', category: 'competitor_ingredient' },
    ],
    knowledge: [
      'Vita Night contains 300 mg magnesium glycinate and L-theanine per serving.',
      'Take two capsules 45 minutes before bed; do not combine with other magnesium supplements.',
      'Shipping is free in the US for orders over $40 and takes 3-5 business days.',
      'Returns are accepted within 60 days, opened or not, for a full refund.',
      'Vita products are third-party tested for purity; certificates are on each product page.',
      'Magnesium glycinate is gentler on the stomach than magnesium oxide.',
    ],
  },
  {
    slug: 'northwind-coffee',
    name: 'Northwind Coffee',
    description: 'Specialty coffee roaster with a subscription.',
    signature: '— the Northwind crew',
    prohibitedClaims: ['guaranteed', 'best in the world'],
    members: [
      { email: 'cara@northwind.example', name: 'Cara Diaz', role: 'owner' },
      { email: 'dev@northwind.example', name: 'Dev Patel', role: 'admin' },
    ],
    keywords: [
      { word: 'espresso', category: 'product' },
      { word: 'pour over', category: 'brewing' },
      { word: 'decaf', category: 'product' },
    ],
    knowledge: [
      'Subscriptions ship every 2 or 4 weeks and can be paused any time from the account page.',
      'All beans are roasted to order on Mondays and Thursdays.',
      'For pour over use 15 g of coffee to 250 g of water at 94 °C.',
      'The Swiss Water decaf is 99.9% caffeine free and roasted medium.',
    ],
  },
];

/** Every insert of the development dataset, parents first, each idempotent on its deterministic id. */
export function seedStatements(db: ReturnType<typeof drizzle>): SQL[] {
  const out: SQL[] = [];
  const put = <T extends PgTable>(table: T, values: T['$inferInsert'] | T['$inferInsert'][]) => {
    for (const row of Array.isArray(values) ? values : [values]) assertInsertable(table, row);
    out.push(db.insert(table).values(values as never).onConflictDoNothing().getSQL());
  };

  // Seed 002: the skill catalog upserts on name and refreshes every field, so a re-run brings a
  // changed skill definition up to date (ids stay as first inserted).
  for (const row of SKILLS) assertInsertable(s.skills, row);
  const { id: _id, name: _name, createdAt: _created, updatedAt: _updated, ...refreshed } = getTableColumns(s.skills);
  out.push(
    db
      .insert(s.skills)
      .values(SKILLS)
      .onConflictDoUpdate({
        target: s.skills.name,
        set: Object.fromEntries(Object.entries(refreshed).map(([key, column]) => [key, dsql.raw(`excluded.${column.name}`)])),
      })
      .getSQL(),
  );
  const skillId = (name: string) => seedId(`skill:${name}`);
  const now = Date.now();
  const ago = (hours: number) => new Date(now - hours * 3_600_000);

  for (const client of SEED_CLIENTS) {
    const key = (name: string) => seedId(`${client.slug}:${name}`);
    const clientId = key('client');
    put(s.clients, {
      id: clientId,
      name: client.name,
      slug: client.slug,
      description: client.description,
      storagePrefix: `clients/${client.slug}/`,
      settings: { timezone: 'America/New_York', default_language: 'en', features: { engagement: true, publishing: true } },
    });
    put(
      s.users,
      client.members.map((m) => ({ id: seedId(`user:${m.email}`), email: m.email, displayName: m.name })),
    );
    put(
      s.memberships,
      client.members.map((m) => ({
        id: key(`member:${m.email}`),
        clientId,
        userId: seedId(`user:${m.email}`),
        role: m.role,
        displayName: m.name,
      })),
    );
    const owner = seedId(`user:${client.members[0]!.email}`);

    put(s.brandKits, {
      id: key('brand-kit'),
      clientId,
      name: `${client.name} voice`,
      tone: { voice: 'friendly', personality: ['warm', 'plain-spoken'], do_list: ['answer the question first'], dont_list: ['hard sell'] },
      colors: { primary: '#1F6F5C', secondary: '#F2E8CF' },
      logoRefs: [{ type: 'primary', url: `https://assets.example/${client.slug}/logo.svg`, format: 'svg' }],
      fonts: { heading: 'Fraunces', body: 'Inter' },
      replySignature: client.signature,
      prohibitedClaims: client.prohibitedClaims,
      isDefault: true,
    });

    const kbId = key('kb');
    put(s.knowledgeBases, { id: kbId, clientId, name: `${client.name} FAQ`, sourceType: 'faq', isProcessed: true });
    put(
      s.knowledgeChunks,
      client.knowledge.map((content, i) => ({
        id: key(`chunk:${i}`),
        clientId,
        knowledgeBaseId: kbId,
        content,
        embedding: topicEmbedding(i % 3, i),
        embeddingModel: 'text-embedding-3-small',
        chunkIndex: i,
        tokenCount: content.split(/\s+/).length,
        metadata: { section: i < 2 ? 'product' : 'policies', tags: [i < 2 ? 'product' : 'support'] },
      })),
    );

    const runSpecs = [
      { name: 'headline', skill: 'copywriting', status: 'completed' as const, hours: 30 },
      { name: 'welcome', skill: 'email-sequence', status: 'completed' as const, hours: 20 },
      { name: 'social', skill: 'social-content', status: 'running' as const, hours: 2 },
      { name: 'pricing', skill: 'pricing-strategy', status: 'queued' as const, hours: 1 },
      { name: 'audit', skill: 'seo-audit', status: 'failed' as const, hours: 10 },
    ];
    put(
      s.runs,
      runSpecs.map((r) => ({
        id: key(`run:${r.name}`),
        clientId,
        userId: owner,
        skillId: skillId(r.skill),
        status: r.status,
        userMessage: `Please help with ${r.name} for ${client.name}`,
        queuedAt: ago(r.hours),
        startedAt: r.status === 'queued' ? null : ago(r.hours - 0.1),
        completedAt: ['completed', 'failed'].includes(r.status) ? ago(r.hours - 0.2) : null,
        tokensInput: r.status === 'completed' ? 1200 : null,
        tokensOutput: r.status === 'completed' ? 800 : null,
        errorMessage: r.status === 'failed' ? 'Crawler timed out' : null,
        metadata: { channel: 'web' },
      })),
    );
    for (const r of runSpecs.filter((r) => r.status === 'completed')) {
      const preview = `# ${r.name} draft for ${client.name}\n\nA first version written by the ${r.skill} skill.`;
      put(s.outputs, {
        id: key(`output:${r.name}`),
        clientId,
        runId: key(`run:${r.name}`),
        objectKey: `clients/${client.slug}/outputs/${key(`output:${r.name}`)}.md`,
        format: 'markdown',
        title: `${r.name} draft`,
        preview,
        sizeBytes: preview.length,
      });
    }
    put(s.feedback, {
      id: key('feedback:headline'),
      clientId,
      outputId: key('output:headline'),
      reviewerId: owner,
      accuracyScore: 5,
      qualityScore: 4,
      usefulnessScore: 4,
      ruleComplianceScore: 5,
      overallScore: 4,
      whatWorkedWell: 'Clear benefit-led headline',
      issues: [{ description: 'CTA is generic', severity: 'low', suggested_fix: 'Name the outcome' }],
      suggestedRuleChanges: [],
      source: 'web',
      reviewerName: client.members[0]!.name,
    });

    // Engagement pipeline: 5 authors per platform, one post each, decisions, replies in every state.
    const experimentId = key('experiment');
    put(s.experiments, {
      id: experimentId,
      clientId,
      name: 'Checklist vs coach replies',
      description: 'Does a checklist reply earn more helpful votes than a coaching one?',
      variantA: { archetype: 'checklist' },
      variantB: { archetype: 'coach' },
      metric: 'help_count',
      trafficSplit: 0.5,
      status: 'running',
      startDate: ago(72),
    });
    const competitorId = key('competitor');
    put(s.competitors, {
      id: competitorId,
      clientId,
      name: `${client.name.split(' ')[0]} Rival Co`,
      category: 'direct',
      primaryMechanism: 'subscription',
      pricePoint: 'mid',
      brandKeywords: ['rivalco'],
    });

    const states = ['pending', 'approved', 'rejected', 'posted', 'pending'] as const;
    PLATFORMS.forEach((platform, p) => {
      for (let i = 0; i < 5; i++) {
        const tag = `${platform}:${i}`;
        const authorId = key(`author:${tag}`);
        const postId = key(`post:${tag}`);
        const kw = client.keywords[(p + i) % client.keywords.length]!;
        put(s.authors, {
          id: authorId,
          clientId,
          platform,
          platformId: `${platform}-${client.slug}-${i}`,
          handle: `${platform}_fan_${i}`,
          displayName: `${platform} fan ${i}`,
          followerCount: 150 * (i + 1) ** 3,
          isPowerUser: i === 4,
          powerTier: i === 4 ? 'macro' : i === 3 ? 'micro' : null,
          archetypeTags: i % 2 ? ['asker'] : ['sharer'],
          relationshipScore: 0.4 + i * 0.1,
          firstSeenAt: ago(200 + i),
          lastSeenAt: ago(i + 1),
        });
        put(s.posts, {
          id: postId,
          clientId,
          platform,
          platformPostId: `${platform}-post-${client.slug}-${i}`,
          authorId,
          content: `Has anyone found something that helps with ${kw.word}? Looking for honest recommendations.`,
          detectedAt: ago(i * 3 + p),
          processedAt: i < 4 ? ago(i * 3 + p - 0.5) : null,
          keywordMatches: [kw.word],
          keywordCategories: [kw.category],
          rawMetrics: { likes: i * 4, replies: i },
        });
        if (i >= 4) continue;
        const decisionId = key(`decision:${tag}`);
        const variant = i % 2 ? 'b' : 'a';
        put(s.decisions, {
          id: decisionId,
          clientId,
          postId,
          sssScore: 0.6 + i * 0.05,
          arsScore: 0.5,
          evsScore: 0.4 + i * 0.1,
          trsScore: 0.7,
          compositeScore: 0.55 + i * 0.05,
          mode: i === 2 ? 'engagement' : 'helpful',
          archetype: variant === 'a' ? 'checklist' : 'coach',
          safetyFlags: [],
          signals: { keyword: kw.word },
          competitorDetected: i === 1,
          isPowerUser: false,
          experimentId,
          experimentVariant: variant,
          isRandomizedExperiment: i === 3,
          predictedMode: 'helpful',
        });
        const state = states[(i + p) % states.length]!;
        const replyId = key(`reply:${tag}`);
        put(s.replies, {
          id: replyId,
          clientId,
          decisionId,
          content: `A few things that helped others: keep a steady routine and check the label. ${client.signature}`,
          archetype: variant === 'a' ? 'checklist' : 'coach',
          platform,
          utmCode: `${platform}_${i}`,
          approvalStatus: state,
          approvedBy: state === 'approved' || state === 'posted' ? owner : null,
          approvedAt: state === 'approved' || state === 'posted' ? ago(i) : null,
          rejectionReason: state === 'rejected' ? 'Too close to a health claim' : null,
          postedAt: state === 'posted' ? ago(i - 0.5) : null,
          platformPostId: state === 'posted' ? `${platform}-reply-${client.slug}-${i}` : null,
          metrics: state === 'posted' ? { likes: 12, replies: 2 } : null,
        });
        if (i === 1) {
          put(s.competitiveMentions, { id: key(`mention:${tag}`), clientId, postId, competitorId, sentiment: 'negative', satisfaction: 'dissatisfied', opportunityScore: 0.8 });
          put(s.escalations, {
            id: key(`escalation:${tag}`),
            clientId,
            postId,
            decisionId,
            replyId,
            reason: 'competitor_mention',
            priority: p === 0 ? 'high' : 'medium',
          });
        }
        if (i === 3) {
          put(s.randomizedExperiments, { id: key(`random:${tag}`), clientId, decisionId, predictedMode: 'helpful', actualMode: 'engagement', predictedOutcome: 0.6, actualOutcome: 0.7 });
        }
      }
      put(s.communityChampions, {
        id: key(`champion:${platform}`),
        clientId,
        authorId: key(`author:${platform}:4`),
        tier: 'gold',
        engagementCount: 14,
        dmSentAt: ago(48),
        dmResponse: 'accepted',
        sampleSent: true,
        advocateStatus: 'active',
      });
    });

    const days = Array.from({ length: 7 }, (_, d) => new Date(now - d * 86_400_000).toISOString().slice(0, 10));
    put(
      s.kpiMetrics,
      days.flatMap((date, d) =>
        PLATFORMS.map((platform, p) => ({
          id: key(`kpi:${date}:${platform}`),
          clientId,
          date,
          platform,
          metricType: 'engagement' as const,
          metricName: 'replies_posted',
          value: 3 + ((d + p) % 4),
        })),
      ),
    );
    put(s.segmentedWeights, PLATFORMS.map((platform) => ({
      id: key(`weights:${platform}`),
      clientId,
      segmentType: 'platform',
      segmentKey: platform,
      sssWeight: 0.3,
      arsWeight: 0.25,
      evsWeight: 0.25,
      trsWeight: 0.2,
      sampleSize: 120,
      performance: 0.61,
    })));
    put(s.weightAdjustmentLogs, {
      id: key('weight-log'),
      clientId,
      date: days[1]!,
      action: 'adjust',
      reason: 'EVS under-predicted engagement on reddit',
      validSegments: 2,
      totalSegments: 3,
      sampleSizes: { twitter: 120, reddit: 80, threads: 20 },
      oldWeights: { sss: 0.3, ars: 0.25, evs: 0.2, trs: 0.25 },
      newWeights: { sss: 0.3, ars: 0.25, evs: 0.25, trs: 0.2 },
      predictedImprovement: 0.04,
    });
    put(s.learningEvents, {
      id: key('learning-event'),
      clientId,
      date: days[1]!,
      adjustmentType: 'weights',
      adjustment: { evs: 0.05, trs: -0.05 },
      predictedImprovement: 0.04,
      baselinePerformance: 0.57,
    });
  }
  return out;
}

/** Loads the development dataset in one transaction on the system path, then analyzes the tables. Safe to run again. */
export async function seedDatabase(sql: NeonQueryFunction<false, false>): Promise<{ clients: number; statements: number }> {
  const db = drizzle({ client: sql });
  const inserts = seedStatements(db);
  const statements = [...systemPrelude(), ...inserts, dsql`select count(*)::int as n from clients`];
  const results = await db.batch(statements.map((statement) => db.execute(statement)) as unknown as [BatchItem<'pg'>, ...BatchItem<'pg'>[]]);
  const counted = results.at(-1) as { rows: { n: number }[] };
  await analyzeTables(sql);
  return { clients: counted.rows[0]?.n ?? 0, statements: inserts.length };
}

async function main() {
  const result = await seedDatabase(connect(targetFromEnv()));
  console.log(`seed: ${result.statements} idempotent statements applied; ${result.clients} clients in the database`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
