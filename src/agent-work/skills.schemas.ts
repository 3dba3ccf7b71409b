import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../lib/pagination';
import { body, Timestamp } from '../lib/schemas';

export const SKILL_TYPES = ['simple', 'with_rules', 'complex'] as const;
export const MAX_KEYWORDS = 100;
export const MAX_QUERY_LENGTH = 500;

const skillName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens, not starting with a hyphen');

export const SkillNameParamSchema = z.object({
  name: skillName.openapi({ param: { name: 'name', in: 'path' }, example: 'copywriting' }),
});

export const SkillSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    type: z.enum(SKILL_TYPES),
    storage_key: z.string().openapi({ description: "Prefix of the skill's files in object storage." }),
    has_rules: z.boolean(),
    has_subdirectories: z.boolean(),
    trigger_keywords: z.array(z.string()),
    related_skills: z.array(z.string()),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Skill');

export const SkillPageSchema = pageSchema(SkillSchema, 'SkillPage');

export const ListSkillsQuerySchema = PageQuerySchema.extend({
  type: z.enum(SKILL_TYPES).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(MAX_QUERY_LENGTH)
    .optional()
    .openapi({
      description:
        `Search, case-insensitive, 1–${MAX_QUERY_LENGTH} characters. A skill matches when \`q\` contains one of its ` +
        'trigger keywords (e.g. `q` is a user message), one of its keywords contains `q`, or its name or description contains `q`.',
      example: 'please rewrite the homepage copy',
    }),
});

const keywords = z.array(z.string().trim().min(1).max(100)).max(MAX_KEYWORDS);

const editable = {
  description: z.string().trim().min(1).max(2000),
  type: z.enum(SKILL_TYPES),
  storage_key: z
    .string()
    .max(500)
    .regex(/^[a-z0-9][a-z0-9/_.-]*\/$/, 'a relative object-storage prefix ending with /')
    .optional()
    .openapi({ description: 'Defaults to `skills/<name>/`.' }),
  has_rules: z.boolean().optional(),
  has_subdirectories: z.boolean().optional(),
  trigger_keywords: keywords.openapi({ description: `Up to ${MAX_KEYWORDS} phrases of 1–100 characters; stored lowercased, without duplicates.` }),
  related_skills: z.array(skillName).max(50).optional(),
};

export const CreateSkillSchema = body({ name: skillName, ...editable }).openapi('CreateSkill');

export const UpdateSkillSchema = body({
  ...editable,
  description: editable.description.optional(),
  type: editable.type.optional(),
  trigger_keywords: editable.trigger_keywords.optional(),
}).openapi('UpdateSkill');

export const FeedbackSummaryQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).openapi({ description: 'Window in days, 1–365 (default 30).' }),
});

const average = z.number().nullable().openapi({ description: 'Mean score (two decimals), null when no feedback gave it.' });

export const FeedbackSummarySchema = z
  .object({
    skill: z.string(),
    days: z.number().int(),
    since: Timestamp,
    count: z.number().int().openapi({ description: 'Feedback entries in the window.' }),
    averages: z.object({
      overall: average,
      accuracy: average,
      quality: average,
      usefulness: average,
      rule_compliance: average,
    }),
    overall_distribution: z
      .object({ '1': z.number().int(), '2': z.number().int(), '3': z.number().int(), '4': z.number().int(), '5': z.number().int() })
      .openapi({ description: 'How many entries gave each overall score.' }),
  })
  .openapi('SkillFeedbackSummary');
