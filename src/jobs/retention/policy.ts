import { z } from '@hono/zod-openapi';

/** The data seed 003's retention table expires; replies and authors are kept indefinitely. */
export const DATASETS = ['posts', 'kpi_metrics', 'audit_logs'] as const;
export type Dataset = (typeof DATASETS)[number];

/**
 * Days each dataset is kept. `default` is seed 003's period; a client's settings may move it
 * between `floor` and `max`. The floors: a month of posts still under review, a year of KPIs for
 * year-on-year comparison, and the full three years of audit trail (never shortened).
 */
export const RETENTION_DAYS: Record<Dataset, { default: number; floor: number; max: number }> = {
  posts: { default: 90, floor: 30, max: 3650 },
  kpi_metrics: { default: 730, floor: 365, max: 3650 },
  audit_logs: { default: 1095, floor: 1095, max: 3650 },
};

const days = (dataset: Dataset) =>
  z
    .number()
    .int()
    .min(RETENTION_DAYS[dataset].floor)
    .max(RETENTION_DAYS[dataset].max)
    .optional()
    .openapi({ description: `Days ${dataset} are kept (default ${RETENTION_DAYS[dataset].default}, at least ${RETENTION_DAYS[dataset].floor}).` });

/** `settings.retention` of a client: written by the system path only, like `limits` and `features`. */
export const RetentionSettingsSchema = z
  .object({ posts_days: days('posts'), kpi_metrics_days: days('kpi_metrics'), audit_logs_days: days('audit_logs') })
  .strict();
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;

/**
 * The days each dataset is kept for a client. A stored value outside the bounds (written before a
 * floor was raised) is clamped, so a setting can never shorten retention below the floor.
 */
export function retentionDays(settings: { retention?: RetentionSettings } | null | undefined): Record<Dataset, number> {
  const chosen: Record<Dataset, number | undefined> = {
    posts: settings?.retention?.posts_days,
    kpi_metrics: settings?.retention?.kpi_metrics_days,
    audit_logs: settings?.retention?.audit_logs_days,
  };
  return Object.fromEntries(
    DATASETS.map((dataset) => {
      const bounds = RETENTION_DAYS[dataset];
      const value = typeof chosen[dataset] === 'number' && Number.isFinite(chosen[dataset]) ? chosen[dataset]! : bounds.default;
      return [dataset, Math.min(bounds.max, Math.max(bounds.floor, Math.round(value)))];
    }),
  ) as Record<Dataset, number>;
}
