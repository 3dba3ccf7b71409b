import { and, between, eq, isNull, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { kpiMetrics } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import type { bulkUpsertKpiMetrics, getKpiSeries } from './kpi.routes';

export const bulkUpsert: AppRouteHandler<typeof bulkUpsertKpiMetrics> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { date, metrics } = c.req.valid('json');
  // One INSERT … ON CONFLICT for the whole batch (the unique key treats NULL platforms as equal).
  // Only rows whose value changes are updated, so a repeated batch writes nothing (and audits
  // nothing); RETURNING reports inserted (xmax = 0) and updated rows.
  const [written] = await c.var.tenant.run((db) => [
    db
      .insert(kpiMetrics)
      .values(
        metrics.map((m) => ({
          clientId,
          // Validation guarantees a date, the value's own or the batch's.
          date: (m.date ?? date)!,
          platform: m.platform ?? null,
          metricType: m.metric_type,
          metricName: m.metric_name,
          value: m.value,
        })),
      )
      .onConflictDoUpdate({
        target: [kpiMetrics.clientId, kpiMetrics.date, kpiMetrics.platform, kpiMetrics.metricType, kpiMetrics.metricName],
        set: { value: sql`excluded.value` },
        setWhere: sql`${kpiMetrics.value} is distinct from excluded.value`,
      })
      .returning({ inserted: sql<boolean>`(xmax = 0)` }),
  ]);
  const inserted = written.filter((r) => r.inserted).length;
  const updated = written.length - inserted;
  return c.json({ received: metrics.length, inserted, updated, unchanged: metrics.length - written.length }, 200);
};

const UNITS = { day: 'day', week: 'week', month: 'month' } as const;

export const series: AppRouteHandler<typeof getKpiSeries> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const unit = UNITS[query.group_by];
  // `date::timestamp`: date_trunc on a date would otherwise go through timestamptz and the
  // session time zone. The unit comes from a fixed list, so it is spelled into the SQL (and the
  // select and GROUP BY expressions are the same text).
  const bucket = sql`date_trunc('${sql.raw(unit)}', ${kpiMetrics.date}::timestamp)::date`;
  const [points] = await c.var.tenant.run(
    (db) => [
      db
        .select({
          period_start: sql<string>`${bucket}::text`,
          period_end: sql<string>`(${bucket} + interval '1 ${sql.raw(unit)}' - interval '1 day')::date::text`,
          sum: sql<number>`sum(${kpiMetrics.value})`.mapWith(Number),
          avg: sql<number>`avg(${kpiMetrics.value})`.mapWith(Number),
          min: sql<number>`min(${kpiMetrics.value})`.mapWith(Number),
          max: sql<number>`max(${kpiMetrics.value})`.mapWith(Number),
          count: sql<number>`count(*)::int`.mapWith(Number),
        })
        .from(kpiMetrics)
        .where(
          and(
            eq(kpiMetrics.clientId, clientId),
            eq(kpiMetrics.metricType, query.metric_type),
            eq(kpiMetrics.metricName, query.metric_name),
            query.platform === 'all' ? isNull(kpiMetrics.platform) : eq(kpiMetrics.platform, query.platform),
            between(kpiMetrics.date, query.from, query.to),
          ),
        )
        .groupBy(bucket)
        .orderBy(bucket),
    ],
    { readOnly: true },
  );
  return c.json(
    {
      metric_type: query.metric_type,
      metric_name: query.metric_name,
      platform: query.platform,
      group_by: query.group_by,
      from: query.from,
      to: query.to,
      points,
    },
    200,
  );
};
