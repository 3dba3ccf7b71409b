import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, real, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { users } from './access';
import { indexOn, newestFirstIndex, nowMs, timestamptz, unitInterval } from './columns';
import {
  approvalStatus,
  archetype,
  escalationPriority,
  escalationReason,
  escalationStatus,
  experimentVariant,
  operationalMode,
  platform,
  powerTier,
  replyType,
} from './enums';
import { experiments } from './learning';
import { tenantReference, tenantTable } from './tenant-table';

/** A social account seen by the pipeline: the relationship memory (seed 003). */
export const authors = tenantTable(
  'authors',
  {
    platform: platform('platform').notNull(),
    platformId: varchar('platform_id', { length: 100 }).notNull(),
    handle: varchar('handle', { length: 100 }).notNull(),
    displayName: varchar('display_name', { length: 255 }),
    followerCount: integer('follower_count').notNull().default(0),
    isVerified: boolean('is_verified').notNull().default(false),
    isPowerUser: boolean('is_power_user').notNull().default(false),
    powerTier: powerTier('power_tier'),
    archetypeTags: text('archetype_tags').array().notNull().default(sql`'{}'::text[]`),
    relationshipScore: real('relationship_score').notNull().default(0.5),
    interactionHistory: jsonb('interaction_history').$type<unknown[]>().notNull().default([]),
    firstSeenAt: timestamptz('first_seen_at').notNull().default(nowMs),
    lastSeenAt: timestamptz('last_seen_at').notNull().default(nowMs),
  },
  (t) => [
    newestFirstIndex('authors', t),
    uniqueIndex('authors_client_id_platform_platform_id_key').on(t.clientId, t.platform, t.platformId),
    indexOn('authors', 'client_id', 'platform', 'handle').on(t.clientId, t.platform, t.handle),
    indexOn('authors', 'client_id', 'is_power_user').on(t.clientId, t.isPowerUser),
    unitInterval('authors', t.relationshipScore),
    check('authors_follower_count_nonnegative', sql`${t.followerCount} >= 0`),
    check('authors_seen_order', sql`${t.firstSeenAt} <= ${t.lastSeenAt}`),
  ],
);

/** A post detected on a platform, matched by keywords (seed 003). */
export const posts = tenantTable(
  'posts',
  {
    platform: platform('platform').notNull(),
    platformPostId: varchar('platform_post_id', { length: 100 }).notNull(),
    authorId: uuid('author_id').notNull(),
    content: text('content').notNull(),
    detectedAt: timestamptz('detected_at').notNull().default(nowMs),
    processedAt: timestamptz('processed_at'),
    keywordMatches: text('keyword_matches').array().notNull().default(sql`'{}'::text[]`),
    keywordCategories: text('keyword_categories').array().notNull().default(sql`'{}'::text[]`),
    spamFiltered: boolean('spam_filtered').notNull().default(false),
    rawMetrics: jsonb('raw_metrics').$type<Record<string, unknown>>().notNull().default({}),
    errorCount: integer('error_count').notNull().default(0),
    errorMessage: text('error_message'),
  },
  (t) => [
    indexOn('posts', 'client_id', 'detected_at', 'id').on(t.clientId, t.detectedAt, t.id),
    ...tenantReference('posts', t.clientId, t.authorId, authors),
    uniqueIndex('posts_client_id_platform_platform_post_id_key').on(t.clientId, t.platform, t.platformPostId),
    indexOn('posts', 'client_id', 'processed_at').on(t.clientId, t.processedAt),
    indexOn('posts', 'client_id', 'platform', 'detected_at').on(t.clientId, t.platform, t.detectedAt),
    check('posts_content_length', sql`char_length(${t.content}) BETWEEN 1 AND 5000`),
    check('posts_error_count_nonnegative', sql`${t.errorCount} >= 0`),
    // The keyset cursor of post lists carries detected_at: kept in the range the API accepts.
    check('posts_detected_at_range', sql`${t.detectedAt} >= '1970-01-01T00:00:00Z' AND ${t.detectedAt} < '2201-01-01T00:00:00Z'`),
  ],
);

/** The scored engagement decision for a post (seed 003: SSS, ARS, EVS, TRS, composite in 0..1). */
export const decisions = tenantTable(
  'decisions',
  {
    postId: uuid('post_id').notNull(),
    sssScore: real('sss_score').notNull(),
    arsScore: real('ars_score').notNull(),
    evsScore: real('evs_score').notNull(),
    trsScore: real('trs_score').notNull(),
    compositeScore: real('composite_score').notNull(),
    mode: operationalMode('mode').notNull(),
    archetype: archetype('archetype').notNull(),
    safetyFlags: text('safety_flags').array().notNull().default(sql`'{}'::text[]`),
    signals: jsonb('signals').$type<Record<string, unknown>>().notNull().default({}),
    temporalContext: jsonb('temporal_context').$type<Record<string, unknown>>(),
    competitorDetected: boolean('competitor_detected').notNull().default(false),
    isPowerUser: boolean('is_power_user').notNull().default(false),
    experimentId: uuid('experiment_id'),
    experimentVariant: experimentVariant('experiment_variant'),
    isRandomizedExperiment: boolean('is_randomized_experiment').notNull().default(false),
    predictedMode: operationalMode('predicted_mode'),
  },
  (t) => [
    ...tenantReference('decisions', t.clientId, t.postId, posts),
    ...tenantReference('decisions', t.clientId, t.experimentId, experiments, 'restrict'),
    indexOn('decisions', 'client_id', 'created_at').on(t.clientId, t.createdAt),
    indexOn('decisions', 'client_id', 'experiment_variant').on(t.clientId, t.experimentVariant),
    indexOn('decisions', 'client_id', 'is_randomized_experiment').on(t.clientId, t.isRandomizedExperiment),
    indexOn('decisions', 'client_id', 'mode').on(t.clientId, t.mode),
    indexOn('decisions', 'client_id', 'composite_score').on(t.clientId, t.compositeScore),
    unitInterval('decisions', t.sssScore),
    unitInterval('decisions', t.arsScore),
    unitInterval('decisions', t.evsScore),
    unitInterval('decisions', t.trsScore),
    unitInterval('decisions', t.compositeScore),
    check('decisions_variant_needs_experiment', sql`${t.experimentVariant} IS NULL OR ${t.experimentId} IS NOT NULL`),
  ],
);

/** A drafted reply and its human approval workflow (seed 003). */
export const replies = tenantTable(
  'replies',
  {
    decisionId: uuid('decision_id').notNull(),
    content: text('content').notNull(),
    archetype: archetype('archetype').notNull(),
    platform: platform('platform').notNull(),
    /** The reply's own id on the platform, once posted. */
    platformPostId: varchar('platform_post_id', { length: 100 }),
    utmCode: varchar('utm_code', { length: 100 }).notNull(),
    helpCount: integer('help_count').notNull().default(0),
    replyType: replyType('reply_type').notNull().default('direct_reply'),
    approvalStatus: approvalStatus('approval_status').notNull().default('pending'),
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    approvedAt: timestamptz('approved_at'),
    rejectionReason: text('rejection_reason'),
    postedAt: timestamptz('posted_at'),
    metrics: jsonb('metrics').$type<Record<string, unknown>>(),
    deletedAt: timestamptz('deleted_at'),
    deleteReason: text('delete_reason'),
  },
  (t) => [
    newestFirstIndex('replies', t),
    ...tenantReference('replies', t.clientId, t.decisionId, decisions),
    indexOn('replies', 'approved_by').on(t.approvedBy),
    indexOn('replies', 'client_id', 'posted_at').on(t.clientId, t.postedAt),
    indexOn('replies', 'client_id', 'approval_status').on(t.clientId, t.approvalStatus),
    indexOn('replies', 'client_id', 'platform', 'posted_at').on(t.clientId, t.platform, t.postedAt),
    check('replies_content_length', sql`char_length(${t.content}) BETWEEN 10 AND 1000`),
    check('replies_utm_code_format', sql`${t.utmCode} ~ '^[a-z0-9_-]+$'`),
    check('replies_help_count_nonnegative', sql`${t.helpCount} >= 0`),
    check('replies_posted_has_time', sql`(${t.approvalStatus} = 'posted') = (${t.postedAt} IS NOT NULL)`),
    check('replies_rejected_has_reason', sql`${t.approvalStatus} <> 'rejected' OR ${t.rejectionReason} IS NOT NULL`),
    check('replies_deleted_has_reason', sql`${t.deletedAt} IS NULL OR ${t.deleteReason} IS NOT NULL`),
  ],
);

/** A case handed to a human (seed 003), queued by priority then age. */
export const escalations = tenantTable(
  'escalations',
  {
    postId: uuid('post_id').notNull(),
    decisionId: uuid('decision_id'),
    replyId: uuid('reply_id'),
    reason: escalationReason('reason').notNull(),
    priority: escalationPriority('priority').notNull().default('medium'),
    status: escalationStatus('status').notNull().default('open'),
    assignedTo: uuid('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolutionNotes: text('resolution_notes'),
    resolvedAt: timestamptz('resolved_at'),
  },
  (t) => [
    indexOn('escalations', 'client_id', 'priority', 'created_at', 'id').on(t.clientId, t.priority.desc().nullsFirst(), t.createdAt, t.id),
    ...tenantReference('escalations', t.clientId, t.postId, posts),
    ...tenantReference('escalations', t.clientId, t.decisionId, decisions),
    ...tenantReference('escalations', t.clientId, t.replyId, replies),
    indexOn('escalations', 'assigned_to').on(t.assignedTo),
    indexOn('escalations', 'resolved_by').on(t.resolvedBy),
    indexOn('escalations', 'client_id', 'status', 'priority').on(t.clientId, t.status, t.priority),
    indexOn('escalations', 'client_id', 'created_at').on(t.clientId, t.createdAt),
    check('escalations_resolved_has_time', sql`(${t.status} IN ('resolved', 'dismissed')) = (${t.resolvedAt} IS NOT NULL)`),
  ],
);

/** A decision taken at random to measure the model against (predicted vs actual mode and outcome). */
export const randomizedExperiments = tenantTable(
  'randomized_experiments',
  {
    decisionId: uuid('decision_id').notNull(),
    predictedMode: operationalMode('predicted_mode').notNull(),
    actualMode: operationalMode('actual_mode').notNull(),
    predictedOutcome: real('predicted_outcome'),
    actualOutcome: real('actual_outcome'),
  },
  (t) => [
    newestFirstIndex('randomized_experiments', t),
    ...tenantReference('randomized_experiments', t.clientId, t.decisionId, decisions),
  ],
);

export type Author = typeof authors.$inferSelect;
export type NewAuthor = typeof authors.$inferInsert;
export type Post = typeof posts.$inferSelect;
export type NewPost = typeof posts.$inferInsert;
export type Decision = typeof decisions.$inferSelect;
export type NewDecision = typeof decisions.$inferInsert;
export type Reply = typeof replies.$inferSelect;
export type NewReply = typeof replies.$inferInsert;
export type Escalation = typeof escalations.$inferSelect;
export type NewEscalation = typeof escalations.$inferInsert;
export type RandomizedExperiment = typeof randomizedExperiments.$inferSelect;
export type NewRandomizedExperiment = typeof randomizedExperiments.$inferInsert;
