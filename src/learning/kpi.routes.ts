import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { jsonBody, jsonResponse } from '../lib/schemas';
import { BulkKpiMetricsSchema, BulkKpiResultSchema, KPI_BATCH_LIMIT, KPI_SERIES_MAX_DAYS, KpiSeriesQuerySchema, KpiSeriesSchema } from './kpi.schemas';

const tags = ['kpi-metrics'];

export const bulkUpsertKpiMetrics = protectedRoute({
  method: 'post',
  path: '/v1/kpi-metrics/bulk',
  tags,
  summary: 'Record daily KPI values in bulk (idempotent upsert)',
  description:
    `Up to ${KPI_BATCH_LIMIT} values in one statement, keyed by (date, platform, metric_type, metric_name); platform null ` +
    'is the all-platforms value and is a key of its own. A key already stored gets the new value; sending the same ' +
    'batch again changes nothing. Larger batches answer 422: split them.',
  roles: CAN.automate,
  request: { body: jsonBody(BulkKpiMetricsSchema) },
  responses: { 200: jsonResponse(BulkKpiResultSchema, 'What the batch did.'), ...problemResponses(413, 422) },
});

export const getKpiSeries = protectedRoute({
  method: 'get',
  path: '/v1/kpi-metrics/series',
  tags,
  summary: 'A KPI as a time series, bucketed by day, week or month',
  description:
    `Aggregated in Postgres (date_trunc) over [from, to] (at most ${KPI_SERIES_MAX_DAYS} days). Each bucket reports the ` +
    '`sum` of its daily values — the natural total for the count-like KPIs (impressions, replies, conversions): a ' +
    'week’s reach is the sum of its days — and, for rate-like KPIs (sentiment, response time, quality) where a sum ' +
    'means nothing, `avg`, `min` and `max` of the daily values and `count`, the days with a value. Not paginated: ' +
    'the range bounds it.',
  roles: CAN.read,
  request: { query: KpiSeriesQuerySchema },
  responses: { 200: jsonResponse(KpiSeriesSchema, 'The series.'), ...problemResponses(400) },
});
