import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { apiKeys, users } from './access';
import { createdAt, id, indexOn, newestFirstIndex, nowMs, timestamptz, updatedAt } from './columns';
import { feedbackSource, outputFormat, runStatus, skillType } from './enums';
import { tenantReference, tenantTable } from './tenant-table';

/** The global catalog of agent skills (seed 002). Readable by tenants, written by the system path. */
export const skills = pgTable(
  'skills',
  {
    id: id(),
    name: varchar('name', { length: 100 }).notNull(),
    description: text('description').notNull(),
    type: skillType('type').notNull(),
    /** Prefix of the skill's files in object storage, e.g. `skills/copywriting/`. */
    storageKey: varchar('storage_key', { length: 500 }).notNull(),
    hasRules: boolean('has_rules').notNull().default(false),
    hasSubdirectories: boolean('has_subdirectories').notNull().default(false),
    triggerKeywords: text('trigger_keywords').array().notNull(),
    relatedSkills: text('related_skills').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('skills_name_key').on(t.name),
    indexOn('skills', 'type').on(t.type),
    index('skills_trigger_keywords_idx').using('gin', t.triggerKeywords),
    check('skills_name_format', sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$'`),
  ],
);

/** One execution of a skill for a client: queued → running → completed | failed, or cancelled. */
export const runs = tenantTable(
  'runs',
  {
    /** Who asked: a user, or (for machine clients) an API key of the client; exactly one. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'restrict' }),
    apiKeyId: uuid('api_key_id'),
    skillId: uuid('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'restrict' }),
    status: runStatus('status').notNull().default('queued'),
    userMessage: text('user_message').notNull(),
    externalEventId: varchar('external_event_id', { length: 100 }),
    tokensInput: integer('tokens_input'),
    tokensOutput: integer('tokens_output'),
    errorMessage: text('error_message'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    queuedAt: timestamptz('queued_at').notNull().default(nowMs),
    startedAt: timestamptz('started_at'),
    completedAt: timestamptz('completed_at'),
  },
  (t) => [
    newestFirstIndex('runs', t),
    indexOn('runs', 'user_id').on(t.userId),
    ...tenantReference('runs', t.clientId, t.apiKeyId, apiKeys, 'restrict'),
    check('runs_one_requester', sql`num_nonnulls(${t.userId}, ${t.apiKeyId}) = 1`),
    indexOn('runs', 'skill_id').on(t.skillId),
    indexOn('runs', 'client_id', 'status').on(t.clientId, t.status),
    indexOn('runs', 'client_id', 'queued_at').on(t.clientId, t.queuedAt),
    check('runs_tokens_nonnegative', sql`coalesce(${t.tokensInput}, 0) >= 0 AND coalesce(${t.tokensOutput}, 0) >= 0`),
    check('runs_started_when_not_queued', sql`${t.status} = 'queued' OR ${t.status} = 'cancelled' OR ${t.startedAt} IS NOT NULL`),
    check(
      'runs_completed_when_finished',
      sql`(${t.status} IN ('completed', 'failed', 'cancelled')) = (${t.completedAt} IS NOT NULL)`,
    ),
  ],
);

/** An artifact of a run; its content lives in R2 under the client's storage prefix. */
export const outputs = tenantTable(
  'outputs',
  {
    runId: uuid('run_id').notNull(),
    objectKey: varchar('object_key', { length: 500 }).notNull(),
    format: outputFormat('format').notNull().default('markdown'),
    title: varchar('title', { length: 255 }),
    preview: text('preview'),
    sizeBytes: integer('size_bytes').notNull(),
  },
  (t) => [
    ...tenantReference('outputs', t.clientId, t.runId, runs),
    uniqueIndex('outputs_object_key_key').on(t.objectKey),
    indexOn('outputs', 'client_id', 'created_at').on(t.clientId, t.createdAt),
    check('outputs_preview_length', sql`char_length(${t.preview}) <= 500`),
    check('outputs_size_nonnegative', sql`${t.sizeBytes} >= 0`),
  ],
);

export interface FeedbackIssue {
  description: string;
  severity: 'high' | 'medium' | 'low';
  suggested_fix?: string;
}

export interface RuleChange {
  file: string;
  current_rule?: string;
  suggested_change: string;
  rationale: string;
}

const score = (name: string) => integer(name);

/** Human review of one output (one per output), scores 1–5 (seed 002). */
export const feedback = tenantTable(
  'feedback',
  {
    outputId: uuid('output_id').notNull(),
    reviewerId: uuid('reviewer_id').references(() => users.id, { onDelete: 'set null' }),
    accuracyScore: score('accuracy_score'),
    qualityScore: score('quality_score'),
    usefulnessScore: score('usefulness_score'),
    ruleComplianceScore: score('rule_compliance_score'),
    overallScore: score('overall_score').notNull(),
    whatWorkedWell: text('what_worked_well'),
    issues: jsonb('issues').$type<FeedbackIssue[]>().notNull().default([]),
    suggestedRuleChanges: jsonb('suggested_rule_changes').$type<RuleChange[]>().notNull().default([]),
    source: feedbackSource('source').notNull(),
    reviewerName: varchar('reviewer_name', { length: 100 }),
  },
  (t) => [
    indexOn('feedback', 'client_id', 'overall_score').on(t.clientId, t.overallScore),
    ...tenantReference('feedback', t.clientId, t.outputId, outputs),
    uniqueIndex('feedback_output_id_key').on(t.outputId),
    indexOn('feedback', 'reviewer_id').on(t.reviewerId),
    indexOn('feedback', 'client_id', 'created_at').on(t.clientId, t.createdAt),
    check(
      'feedback_scores_range',
      sql`${t.overallScore} BETWEEN 1 AND 5
        AND coalesce(${t.accuracyScore}, 1) BETWEEN 1 AND 5
        AND coalesce(${t.qualityScore}, 1) BETWEEN 1 AND 5
        AND coalesce(${t.usefulnessScore}, 1) BETWEEN 1 AND 5
        AND coalesce(${t.ruleComplianceScore}, 1) BETWEEN 1 AND 5`,
    ),
  ],
);

export type Skill = typeof skills.$inferSelect;
export type NewSkill = typeof skills.$inferInsert;
export type Run = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type Output = typeof outputs.$inferSelect;
export type NewOutput = typeof outputs.$inferInsert;
export type Feedback = typeof feedback.$inferSelect;
export type NewFeedback = typeof feedback.$inferInsert;
