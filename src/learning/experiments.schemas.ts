import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, JsonObject, Score, Timestamp } from '../lib/schemas';
import { ExperimentStatusSchema, ExperimentVariantSchema } from '../lib/enums';

export const ExperimentSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    name: z.string(),
    description: z.string().nullable(),
    variant_a: z.record(z.string(), z.unknown()),
    variant_b: z.record(z.string(), z.unknown()),
    metric: z.string(),
    traffic_split: z.number().openapi({ description: 'Share of traffic sent to variant B, 0..1.' }),
    status: ExperimentStatusSchema,
    start_date: Timestamp.nullable(),
    end_date: Timestamp.nullable(),
    results: z.record(z.string(), z.unknown()).nullable(),
    winner: ExperimentVariantSchema.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Experiment');

const editable = {
  name: z.string().trim().min(1).max(255).openapi({ description: 'Unique per client.', example: 'Checklist vs coach tone' }),
  description: z.string().max(2000).nullable().optional(),
  variant_a: JsonObject,
  variant_b: JsonObject,
  metric: z.string().trim().min(1).max(100).openapi({ description: 'What decides the winner.', example: 'reply_ctr' }),
  traffic_split: Score.optional().openapi({ description: 'Share of traffic sent to variant B, 0..1 (default 0.5).' }),
};

export const CreateExperimentSchema = body(editable).openapi('CreateExperiment');

export const UpdateExperimentSchema = body({
  ...editable,
  name: editable.name.optional(),
  variant_a: editable.variant_a.optional(),
  variant_b: editable.variant_b.optional(),
  metric: editable.metric.optional(),
})
  .refine((value) => Object.keys(value).length > 0, { message: 'change at least one field' })
  .openapi('UpdateExperiment');

export const ConcludeExperimentSchema = body({
  winner: ExperimentVariantSchema.nullable().openapi({ description: '`a`, `b`, or null for an inconclusive experiment.' }),
  results: JsonObject.optional().openapi({ description: 'The measurements behind the verdict.' }),
}).openapi('ConcludeExperiment');

export const ExperimentListQuerySchema = PageQuerySchema.extend({
  status: ExperimentStatusSchema.optional().openapi({ description: 'Only experiments in this status.' }),
});

export const ExperimentPageSchema = pageSchema(ExperimentSchema, 'ExperimentPage');
