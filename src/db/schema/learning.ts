import { sql } from 'drizzle-orm';
import { check, date, unique, doublePrecision, integer, jsonb, real, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { indexOn, newestFirstIndex, timestamptz, unitInterval } from './columns';
import { experimentStatus, experimentVariant, kpiType, platform } from './enums';
import { tenantTable } from './tenant-table';

/** An A/B experiment on the engagement pipeline (seed 003). */
export const experiments = tenantTable(
  'experiments',
  {
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    variantA: jsonb('variant_a').$type<Record<string, unknown>>().notNull(),
    variantB: jsonb('variant_b').$type<Record<string, unknown>>().notNull(),
    metric: varchar('metric', { length: 100 }).notNull(),
    trafficSplit: real('traffic_split').notNull().default(0.5),
    status: experimentStatus('status').notNull().default('draft'),
    startDate: timestamptz('start_date'),
    endDate: timestamptz('end_date'),
    results: jsonb('results').$type<Record<string, unknown>>(),
    winner: experimentVariant('winner'),
  },
  (t) => [
    newestFirstIndex('experiments', t),
    uniqueIndex('experiments_client_id_name_key').on(t.clientId, t.name),
    indexOn('experiments', 'client_id', 'status').on(t.clientId, t.status),
    unitInterval('experiments', t.trafficSplit),
    check('experiments_dates_order', sql`${t.endDate} IS NULL OR ${t.startDate} IS NULL OR ${t.startDate} <= ${t.endDate}`),
    check('experiments_winner_when_concluded', sql`${t.winner} IS NULL OR ${t.status} = 'concluded'`),
  ],
);

/** Daily KPI values, one per (date, platform, type, name); platform NULL means all platforms. */
export const kpiMetrics = tenantTable(
  'kpi_metrics',
  {
    date: date('date', { mode: 'string' }).notNull(),
    platform: platform('platform'),
    metricType: kpiType('metric_type').notNull(),
    metricName: varchar('metric_name', { length: 100 }).notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [
    unique('kpi_metrics_client_id_date_platform_metric_type_metric_name_key')
      .on(t.clientId, t.date, t.platform, t.metricType, t.metricName)
      .nullsNotDistinct(),
    indexOn('kpi_metrics', 'client_id', 'metric_type', 'date').on(t.clientId, t.metricType, t.date),
    // Series sum values: bounded so that no sum of stored values overflows (the API's limit too).
    check('kpi_metrics_value_bounded', sql`abs(${t.value}) <= 1e15`),
    check('kpi_metrics_date_range', sql`${t.date} BETWEEN '1970-01-01' AND '2200-12-31'`),
  ],
);

/** A change of the scoring weights by the learning loop, with its justification. */
export const weightAdjustmentLogs = tenantTable(
  'weight_adjustment_logs',
  {
    date: date('date', { mode: 'string' }).notNull(),
    action: varchar('action', { length: 50 }).notNull(),
    reason: text('reason').notNull(),
    validSegments: integer('valid_segments').notNull().default(0),
    totalSegments: integer('total_segments').notNull().default(0),
    sampleSizes: jsonb('sample_sizes').$type<Record<string, number>>().notNull().default({}),
    oldWeights: jsonb('old_weights').$type<Record<string, number>>().notNull(),
    newWeights: jsonb('new_weights').$type<Record<string, number>>().notNull(),
    predictedImprovement: real('predicted_improvement'),
  },
  (t) => [
    newestFirstIndex('weight_adjustment_logs', t),
    indexOn('weight_adjustment_logs', 'client_id', 'date').on(t.clientId, t.date),
    check('weight_adjustment_logs_segments', sql`${t.validSegments} BETWEEN 0 AND ${t.totalSegments}`),
  ],
);

/** A learning adjustment and, once evaluated, how its prediction held up. */
export const learningEvents = tenantTable(
  'learning_events',
  {
    date: date('date', { mode: 'string' }).notNull(),
    adjustmentType: varchar('adjustment_type', { length: 50 }).notNull(),
    adjustment: jsonb('adjustment').$type<Record<string, unknown>>().notNull(),
    predictedImprovement: real('predicted_improvement'),
    baselinePerformance: real('baseline_performance'),
    actualImprovement: real('actual_improvement'),
    accuracy: real('accuracy'),
    evaluatedAt: timestamptz('evaluated_at'),
  },
  (t) => [
    newestFirstIndex('learning_events', t),
    indexOn('learning_events', 'client_id', 'date').on(t.clientId, t.date),
    unitInterval('learning_events', t.accuracy),
  ],
);

/** Scoring weights learned per segment (e.g. platform, archetype). */
export const segmentedWeights = tenantTable(
  'segmented_weights',
  {
    segmentType: varchar('segment_type', { length: 50 }).notNull(),
    segmentKey: varchar('segment_key', { length: 255 }).notNull(),
    sssWeight: real('sss_weight').notNull(),
    arsWeight: real('ars_weight').notNull(),
    evsWeight: real('evs_weight').notNull(),
    trsWeight: real('trs_weight').notNull(),
    sampleSize: integer('sample_size').notNull().default(0),
    performance: real('performance'),
  },
  (t) => [
    newestFirstIndex('segmented_weights', t),
    uniqueIndex('segmented_weights_client_id_segment_type_segment_key_key').on(t.clientId, t.segmentType, t.segmentKey),
    unitInterval('segmented_weights', t.sssWeight),
    unitInterval('segmented_weights', t.arsWeight),
    unitInterval('segmented_weights', t.evsWeight),
    unitInterval('segmented_weights', t.trsWeight),
    check('segmented_weights_sample_size_nonnegative', sql`${t.sampleSize} >= 0`),
  ],
);

export type Experiment = typeof experiments.$inferSelect;
export type NewExperiment = typeof experiments.$inferInsert;
export type KpiMetric = typeof kpiMetrics.$inferSelect;
export type NewKpiMetric = typeof kpiMetrics.$inferInsert;
export type WeightAdjustmentLog = typeof weightAdjustmentLogs.$inferSelect;
export type NewWeightAdjustmentLog = typeof weightAdjustmentLogs.$inferInsert;
export type LearningEvent = typeof learningEvents.$inferSelect;
export type NewLearningEvent = typeof learningEvents.$inferInsert;
export type SegmentedWeight = typeof segmentedWeights.$inferSelect;
export type NewSegmentedWeight = typeof segmentedWeights.$inferInsert;
