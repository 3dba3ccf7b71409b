import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, InputDate, InputTimestamp, JsonObject, Score, Timestamp } from '../lib/schemas';
import { checkRange, Measure } from './common.schemas';
import { BooleanQuery } from '../lib/enums';

/** Tolerated difference between the caller's clock and ours. */
const MAX_CLOCK_SKEW_MS = 60_000;

export const LearningEventSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    date: z.string().openapi({ format: 'date' }),
    adjustment_type: z.string(),
    adjustment: z.record(z.string(), z.unknown()),
    predicted_improvement: z.number().nullable(),
    baseline_performance: z.number().nullable(),
    actual_improvement: z.number().nullable(),
    accuracy: z.number().nullable(),
    evaluated_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('LearningEvent');

export const CreateLearningEventSchema = body({
  date: InputDate,
  adjustment_type: z.string().trim().min(1).max(50).openapi({ example: 'weights' }),
  adjustment: JsonObject.openapi({ description: 'What was adjusted.' }),
  predicted_improvement: Measure.nullable().optional(),
  baseline_performance: Measure.nullable().optional(),
}).openapi('CreateLearningEvent');

export const EvaluateLearningEventSchema = body({
  actual_improvement: Measure.openapi({ description: 'The improvement measured.' }),
  accuracy: Score.openapi({ description: 'How close the prediction came, 0..1.' }),
  evaluated_at: InputTimestamp.optional().openapi({
    description: 'When the outcome was measured (ISO 8601 with offset; not in the future). Default: now.',
  }),
})
  .refine((value) => value.evaluated_at === undefined || Date.parse(value.evaluated_at) <= Date.now() + MAX_CLOCK_SKEW_MS, {
    path: ['evaluated_at'],
    message: 'must not be in the future',
  })
  .openapi('EvaluateLearningEvent');

export const LearningEventListQuerySchema = PageQuerySchema.extend({
  from: InputDate.optional().openapi({ description: 'Events dated on or after this day.' }),
  to: InputDate.optional().openapi({ description: 'Events dated on or before this day.' }),
  adjustment_type: z.string().trim().min(1).max(50).optional(),
  evaluated: BooleanQuery.optional().openapi({ description: 'Only evaluated (true) or pending (false) events.' }),
}).superRefine(checkRange);

export const LearningEventPageSchema = pageSchema(LearningEventSchema, 'LearningEventPage');
