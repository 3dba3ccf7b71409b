import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, Score, Timestamp } from '../lib/schemas';
import { Count, Measure } from './common.schemas';

/** How far the four weights may sum from 1 (rounding by the caller, and `real` precision). */
export const WEIGHT_SUM_TOLERANCE = 0.01;

const SegmentType = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,49}$/, 'lowercase letters, digits and underscores, at most 50')
  .openapi({ example: 'platform' });
const SegmentKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,255}$/, 'letters, digits and _ . : -, at most 255')
  .openapi({ example: 'twitter' });

export const SegmentedWeightSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    segment_type: z.string(),
    segment_key: z.string(),
    sss_weight: z.number(),
    ars_weight: z.number(),
    evs_weight: z.number(),
    trs_weight: z.number(),
    sample_size: z.number().int(),
    performance: z.number().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('SegmentedWeight');

export const PutSegmentedWeightSchema = body({
  segment_type: SegmentType,
  segment_key: SegmentKey,
  sss_weight: Score,
  ars_weight: Score,
  evs_weight: Score,
  trs_weight: Score,
  sample_size: Count.optional().openapi({ description: 'Default 0 on creation; left out, keeps the current value.' }),
  performance: Measure.nullable().optional().openapi({ description: 'Left out, keeps the current value.' }),
})
  .superRefine((value, ctx) => {
    const sum = value.sss_weight + value.ars_weight + value.evs_weight + value.trs_weight;
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `the four weights must sum to 1 (±${WEIGHT_SUM_TOLERANCE}); they sum to ${sum.toFixed(4)}`,
      });
    }
  })
  .openapi('PutSegmentedWeight', {
    description:
      `The four weights make the composite score a weighted mean of four 0..1 scores, so they sum to 1 (±${WEIGHT_SUM_TOLERANCE}); ` +
      'the composite then stays in 0..1 as decisions require.',
  });

export const SegmentParamsSchema = z.object({
  segment_type: SegmentType.openapi({ param: { name: 'segment_type', in: 'path' } }),
  segment_key: SegmentKey.openapi({ param: { name: 'segment_key', in: 'path' } }),
});

export const SegmentedWeightListQuerySchema = PageQuerySchema.extend({
  segment_type: SegmentType.optional().openapi({ description: 'Only segments of this type.' }),
});

export const SegmentedWeightPageSchema = pageSchema(SegmentedWeightSchema, 'SegmentedWeightPage');
