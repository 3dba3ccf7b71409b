import { getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { createInsertSchema, createSelectSchema } from 'drizzle-zod';
import { apiKeys, memberships, userChannels, users } from './access';
import { feedback, outputs, runs, skills } from './agent-work';
import { auditLogs, webhookDeliveries } from './audit';
import { brandKits } from './brand';
import { clients } from './clients';
import { communityChampions, competitiveMentions, competitors } from './competition';
import { authors, decisions, escalations, posts, randomizedExperiments, replies } from './engagement';
import { knowledgeBases, knowledgeChunks } from './knowledge';
import { experiments, kpiMetrics, learningEvents, segmentedWeights, weightAdjustmentLogs } from './learning';

/**
 * Row schemas derived from the tables (drizzle-zod): column types, lengths, enums and vector
 * dimensions as the database declares them. The API's own request/response schemas live with
 * each area (snake_case, stricter rules); these check rows written by tooling such as the seed.
 * Not imported by the Worker.
 */
const TABLES = [
  clients, users, userChannels, memberships, apiKeys,
  brandKits, knowledgeBases, knowledgeChunks,
  skills, runs, outputs, feedback,
  authors, posts, decisions, replies, escalations, randomizedExperiments,
  competitors, competitiveMentions, communityChampions,
  experiments, kpiMetrics, weightAdjustmentLogs, learningEvents, segmentedWeights,
  auditLogs, webhookDeliveries,
] as const;

type RowSchema = { safeParse(value: unknown): { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };

export const insertSchemas = new Map<PgTable, RowSchema>(TABLES.map((table) => [table, createInsertSchema(table) as RowSchema]));
export const selectSchemas = new Map<PgTable, RowSchema>(TABLES.map((table) => [table, createSelectSchema(table) as RowSchema]));

/** Validates a row about to be inserted; throws with the table and the offending fields. */
export function assertInsertable(table: PgTable, row: unknown): void {
  const schema = insertSchemas.get(table);
  if (!schema) throw new Error(`no insert schema for table ${getTableName(table)}`);
  const result = schema.safeParse(row);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid ${getTableName(table)} row: ${issues}`);
  }
}

