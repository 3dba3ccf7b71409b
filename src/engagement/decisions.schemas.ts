import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../lib/pagination';
import { JSON_OBJECT_LIMITS, JsonObject, Score, Timestamp } from '../lib/schemas';
import { TimeRangeQuery } from './common';
import { ArchetypeSchema, ExperimentVariantSchema, OperationalModeSchema } from '../lib/enums';

export const DecisionSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    post_id: z.string().uuid(),
    sss_score: z.number(),
    ars_score: z.number(),
    evs_score: z.number(),
    trs_score: z.number(),
    composite_score: z.number(),
    mode: OperationalModeSchema,
    archetype: ArchetypeSchema,
    safety_flags: z.array(z.string()),
    signals: z.record(z.string(), z.unknown()),
    temporal_context: z.record(z.string(), z.unknown()).nullable(),
    competitor_detected: z.boolean(),
    is_power_user: z.boolean(),
    experiment_id: z.string().uuid().nullable(),
    experiment_variant: ExperimentVariantSchema.nullable(),
    is_randomized_experiment: z.boolean(),
    predicted_mode: OperationalModeSchema.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Decision');

export const CreateDecisionSchema = z
  .object({
    sss_score: Score.openapi({ description: 'Safety score, 0..1.' }),
    ars_score: Score,
    evs_score: Score,
    trs_score: Score,
    composite_score: Score,
    mode: OperationalModeSchema,
    archetype: ArchetypeSchema,
    safety_flags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    signals: JsonObject.optional().openapi({ description: `The scoring signals, ${JSON_OBJECT_LIMITS}.` }),
    temporal_context: JsonObject.nullable().optional(),
    competitor_detected: z.boolean().optional(),
    is_power_user: z.boolean().optional(),
    experiment_id: z.string().uuid().nullable().optional().openapi({ description: 'An experiment of this client.' }),
    experiment_variant: ExperimentVariantSchema.nullable().optional().openapi({ description: 'Requires experiment_id.' }),
    is_randomized_experiment: z.boolean().optional(),
    predicted_mode: OperationalModeSchema.nullable().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.experiment_variant && !value.experiment_id) {
      ctx.addIssue({ code: 'custom', path: ['experiment_variant'], message: 'experiment_variant requires experiment_id' });
    }
  })
  .openapi('CreateDecision');

export const DecisionQuerySchema = PageQuerySchema.extend({
  mode: OperationalModeSchema.optional(),
  archetype: ArchetypeSchema.optional(),
  experiment_id: z.string().uuid().optional(),
  ...TimeRangeQuery('created_after', 'created_before'),
});

export const DecisionPageSchema = pageSchema(DecisionSchema, 'DecisionPage');
