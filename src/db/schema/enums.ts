import { pgEnum } from 'drizzle-orm/pg-core';

// Tenancy and access
export const memberRole = pgEnum('member_role', ['owner', 'admin', 'editor', 'viewer']);
export const apiKeyRole = pgEnum('api_key_role', ['admin', 'editor', 'viewer', 'service']);
export const channel = pgEnum('channel', ['telegram', 'slack', 'web']);

// Knowledge and agent work
export const knowledgeSourceType = pgEnum('knowledge_source_type', ['document', 'website', 'faq', 'product', 'manual', 'transcript']);
export const skillType = pgEnum('skill_type', ['simple', 'with_rules', 'complex']);
export const runStatus = pgEnum('run_status', ['queued', 'running', 'completed', 'failed', 'cancelled']);
export const outputFormat = pgEnum('output_format', ['markdown', 'json', 'html']);
export const feedbackSource = pgEnum('feedback_source', ['web', 'api', 'telegram', 'slack']);

// Engagement (seed 003)
export const platform = pgEnum('platform', ['twitter', 'reddit', 'threads']);
export const operationalMode = pgEnum('operational_mode', ['helpful', 'engagement', 'hybrid', 'disengaged']);
export const archetype = pgEnum('archetype', [
  'checklist',
  'mythbust',
  'coach',
  'storylet',
  'humor_light',
  'credibility_anchor',
  'confident_recommender',
  'problem_solution_direct',
]);
export const powerTier = pgEnum('power_tier', ['micro', 'macro', 'mega']);
export const approvalStatus = pgEnum('approval_status', ['pending', 'approved', 'rejected', 'posted']);
export const replyType = pgEnum('reply_type', ['direct_reply', 'thread_reply', 'quote', 'dm']);
export const competitorCategory = pgEnum('competitor_category', ['direct', 'indirect', 'substitute']);
export const pricePoint = pgEnum('price_point', ['budget', 'mid', 'premium', 'luxury']);
export const sentiment = pgEnum('sentiment', ['positive', 'neutral', 'negative', 'mixed']);
export const userSatisfaction = pgEnum('user_satisfaction', ['satisfied', 'neutral', 'dissatisfied', 'unknown']);
export const championTier = pgEnum('champion_tier', ['bronze', 'silver', 'gold', 'platinum']);
export const dmResponseStatus = pgEnum('dm_response_status', ['pending', 'accepted', 'declined', 'no_response']);
export const advocateStatus = pgEnum('advocate_status', ['prospect', 'active', 'inactive', 'churned']);
export const experimentStatus = pgEnum('experiment_status', ['draft', 'running', 'stopped', 'concluded']);
export const experimentVariant = pgEnum('experiment_variant', ['a', 'b']);
export const kpiType = pgEnum('kpi_type', ['engagement', 'reach', 'conversion', 'sentiment', 'response_time', 'quality']);
export const escalationReason = pgEnum('escalation_reason', [
  'safety_concern',
  'negative_sentiment',
  'competitor_mention',
  'high_value_author',
  'legal_risk',
  'low_confidence',
  'other',
]);
/** Declared lowest to highest, so `ORDER BY priority DESC` puts the most urgent first. */
export const escalationPriority = pgEnum('escalation_priority', ['low', 'medium', 'high', 'urgent']);
export const escalationStatus = pgEnum('escalation_status', ['open', 'assigned', 'resolved', 'dismissed']);

// Audit and webhooks
export const auditAction = pgEnum('audit_action', ['insert', 'update', 'delete']);
export const webhookDeliveryStatus = pgEnum('webhook_delivery_status', ['received', 'processed', 'failed']);
