import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, boundedJson, InputDate, Score, Timestamp } from '../lib/schemas';
import { checkRange, Count, Measure } from './common.schemas';

const WeightKey = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'lowercase letters, digits and underscores, at most 50');
const MAX_KEYS = 50;
const limitKeys = (value: Record<string, unknown>) => Object.keys(value).length <= MAX_KEYS;

/** Weights by name (e.g. sss, ars, evs, trs), each 0..1. */
export const WeightsSchema = boundedJson(z.record(WeightKey, Score).refine(limitKeys, { message: `at most ${MAX_KEYS} weights` })).openapi({
  description: 'Weights by name, each 0..1.',
  example: { sss: 0.3, ars: 0.25, evs: 0.25, trs: 0.2 },
});

export const WeightAdjustmentSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    date: z.string().openapi({ format: 'date' }),
    action: z.string(),
    reason: z.string(),
    valid_segments: z.number().int(),
    total_segments: z.number().int(),
    sample_sizes: z.record(z.string(), z.number()),
    old_weights: z.record(z.string(), z.number()),
    new_weights: z.record(z.string(), z.number()),
    predicted_improvement: z.number().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('WeightAdjustment');

export const CreateWeightAdjustmentSchema = body({
  date: InputDate,
  action: z.string().trim().min(1).max(50).openapi({ example: 'adjust' }),
  reason: z.string().trim().min(1).max(2000),
  valid_segments: Count.optional().openapi({ description: 'Segments with enough data; at most `total_segments`. Default 0.' }),
  total_segments: Count.optional().openapi({ description: 'Default 0.' }),
  sample_sizes: boundedJson(z.record(WeightKey, Count).refine(limitKeys, { message: `at most ${MAX_KEYS} entries` }))
    .optional()
    .openapi({ description: 'Sample size per segment or weight.' }),
  old_weights: WeightsSchema,
  new_weights: WeightsSchema,
  predicted_improvement: Measure.nullable().optional(),
})
  .superRefine((value, ctx) => {
    if ((value.valid_segments ?? 0) > (value.total_segments ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['valid_segments'], message: 'must not exceed total_segments' });
    }
  })
  .openapi('CreateWeightAdjustment');

export const WeightAdjustmentListQuerySchema = PageQuerySchema.extend({
  from: InputDate.optional().openapi({ description: 'Adjustments dated on or after this day.' }),
  to: InputDate.optional().openapi({ description: 'Adjustments dated on or before this day.' }),
  action: z.string().trim().min(1).max(50).optional().openapi({ description: 'Only this action.' }),
}).superRefine(checkRange);

export const WeightAdjustmentPageSchema = pageSchema(WeightAdjustmentSchema, 'WeightAdjustmentPage');
