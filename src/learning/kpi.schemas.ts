import { z } from '@hono/zod-openapi';
import { platform } from '../db/schema';
import { body, BoundedNumber, InputDate } from '../lib/schemas';
import { checkRange, daysBetween } from './common.schemas';
import { KpiTypeSchema, PlatformSchema } from '../lib/enums';

export const KPI_BATCH_LIMIT = 500;
/** Longest range a series may span: two years (seed 003 keeps KPI metrics two years). */
export const KPI_SERIES_MAX_DAYS = 731;

const MetricName = z.string().trim().min(1).max(100);

export const KpiMetricInputSchema = z
  .object({
    date: InputDate.optional().openapi({ description: 'The day of the value; left out, the batch’s `date`.' }),
    platform: PlatformSchema.nullable().optional().openapi({ description: 'Null or left out: the all-platforms value.' }),
    metric_type: KpiTypeSchema,
    metric_name: MetricName.openapi({ example: 'impressions' }),
    value: BoundedNumber.openapi({ description: 'A finite number within ±1e15.', example: 1250 }),
  })
  .strict()
  .openapi('KpiMetricInput');

export const BulkKpiMetricsSchema = body({
  date: InputDate.optional().openapi({ description: 'The day of every value that does not name its own (a daily push).' }),
  metrics: z
    .array(KpiMetricInputSchema)
    .min(1)
    .max(KPI_BATCH_LIMIT)
    .openapi({ description: `1–${KPI_BATCH_LIMIT} values; each (date, platform, metric_type, metric_name) at most once per batch.` }),
})
  .superRefine((batch, ctx) => {
    const seen = new Map<string, number>();
    batch.metrics.forEach((metric, index) => {
      const date = metric.date ?? batch.date;
      if (!date) {
        ctx.addIssue({ code: 'custom', path: ['metrics', index, 'date'], message: 'a date, here or for the whole batch' });
        return;
      }
      const key = JSON.stringify([date, metric.platform ?? null, metric.metric_type, metric.metric_name]);
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['metrics', index], message: `same (date, platform, metric_type, metric_name) as metrics.${first}` });
      } else {
        seen.set(key, index);
      }
    });
  })
  .openapi('BulkKpiMetrics');

export const BulkKpiResultSchema = z
  .object({
    received: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int().openapi({ description: 'Existing values that changed.' }),
    unchanged: z.number().int().openapi({ description: 'Existing values sent again as they were (nothing written).' }),
  })
  .openapi('BulkKpiResult');

export const GroupBySchema = z.enum(['day', 'week', 'month']);

export const KpiSeriesQuerySchema = z
  .object({
    metric_type: KpiTypeSchema,
    metric_name: MetricName,
    platform: z
      .enum([...platform.enumValues, 'all'])
      .default('all')
      .openapi({
        description:
          'A platform, or `all` (default): the values stored for all platforms (platform null). Per-platform values are ' +
          'never added into `all`, which would count twice when both are stored.',
      }),
    from: InputDate.openapi({ description: 'First day, inclusive.' }),
    to: InputDate.openapi({ description: `Last day, inclusive; at most ${KPI_SERIES_MAX_DAYS} days after \`from\`.` }),
    group_by: GroupBySchema.default('day').openapi({
      description: 'Bucket: `day`, `week` (ISO weeks, starting Monday) or `month` (calendar months).',
    }),
  })
  .superRefine((value, ctx) => {
    checkRange(value, ctx);
    if (value.from <= value.to && daysBetween(value.from, value.to) > KPI_SERIES_MAX_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a series spans at most ${KPI_SERIES_MAX_DAYS} days` });
    }
  });

export const KpiSeriesPointSchema = z
  .object({
    period_start: z.string().openapi({ format: 'date', description: 'First day of the bucket (may precede `from`: buckets are calendar periods).' }),
    period_end: z.string().openapi({ format: 'date', description: 'Last day of the bucket.' }),
    sum: z.number().openapi({ description: 'Sum of the daily values in the bucket within [from, to].' }),
    avg: z.number().openapi({ description: 'Mean of the daily values present (for rate-like metrics).' }),
    min: z.number(),
    max: z.number(),
    count: z.number().int().openapi({ description: 'Days with a value in the bucket.' }),
  })
  .openapi('KpiSeriesPoint');

export const KpiSeriesSchema = z
  .object({
    metric_type: KpiTypeSchema,
    metric_name: z.string(),
    platform: z.string(),
    group_by: GroupBySchema,
    from: z.string(),
    to: z.string(),
    points: z.array(KpiSeriesPointSchema).openapi({ description: 'Buckets with at least one value, oldest first.' }),
  })
  .openapi('KpiSeries');
