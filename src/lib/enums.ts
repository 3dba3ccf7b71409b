import { z } from '@hono/zod-openapi';
import {
  advocateStatus,
  apiKeyRole,
  approvalStatus,
  archetype,
  auditAction,
  championTier,
  competitorCategory,
  dmResponseStatus,
  escalationPriority,
  escalationReason,
  escalationStatus,
  experimentStatus,
  experimentVariant,
  kpiType,
  memberRole,
  operationalMode,
  platform,
  powerTier,
  pricePoint,
  replyType,
  sentiment,
  userSatisfaction,
} from '../db/schema';

// The API's enumerations are the database's (src/db/schema/enums.ts): one definition each, named
// once in the OpenAPI document.
export const PlatformSchema = z.enum(platform.enumValues).openapi('Platform');
export const OperationalModeSchema = z.enum(operationalMode.enumValues).openapi('OperationalMode');
export const ArchetypeSchema = z.enum(archetype.enumValues).openapi('Archetype');
export const PowerTierSchema = z.enum(powerTier.enumValues).openapi('PowerTier');
export const ApprovalStatusSchema = z.enum(approvalStatus.enumValues).openapi('ApprovalStatus');
export const ReplyTypeSchema = z.enum(replyType.enumValues).openapi('ReplyType');
export const ExperimentVariantSchema = z.enum(experimentVariant.enumValues).openapi('ExperimentVariant');
export const ExperimentStatusSchema = z.enum(experimentStatus.enumValues).openapi('ExperimentStatus');
export const EscalationReasonSchema = z.enum(escalationReason.enumValues).openapi('EscalationReason');
export const EscalationPrioritySchema = z.enum(escalationPriority.enumValues).openapi('EscalationPriority');
export const EscalationStatusSchema = z.enum(escalationStatus.enumValues).openapi('EscalationStatus');
export const SentimentSchema = z.enum(sentiment.enumValues).openapi('Sentiment');
export const SatisfactionSchema = z.enum(userSatisfaction.enumValues).openapi('UserSatisfaction');
export const ChampionTierSchema = z.enum(championTier.enumValues).openapi('ChampionTier');
export const DmResponseSchema = z.enum(dmResponseStatus.enumValues).openapi('DmResponseStatus');
export const AdvocateStatusSchema = z.enum(advocateStatus.enumValues).openapi('AdvocateStatus');
export const CompetitorCategorySchema = z.enum(competitorCategory.enumValues).openapi('CompetitorCategory');
export const PricePointSchema = z.enum(pricePoint.enumValues).openapi('PricePoint');
export const KpiTypeSchema = z.enum(kpiType.enumValues).openapi('KpiType');
export const AuditActionSchema = z.enum(auditAction.enumValues).openapi('AuditAction');
export const MemberRoleSchema = z.enum(memberRole.enumValues).openapi('MemberRole');
export const ApiKeyRoleSchema = z.enum(apiKeyRole.enumValues).openapi('ApiKeyRole');

/** `true` / `false` in a query string, as a boolean. */
export const BooleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');
