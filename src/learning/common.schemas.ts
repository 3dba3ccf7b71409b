import { z } from '@hono/zod-openapi';
import { real } from '../lib/schemas';

/** Postgres `integer`, not negative. */
export const Count = z.number().int().min(0).max(2_147_483_647);

/** A signed measurement stored as `real`: bounded well inside its range. */
export const Measure = real(z.number().min(-1_000_000).max(1_000_000));

export const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** Adds a `from <= to` rule to a query with optional `from`/`to` dates. */
export function checkRange(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (value.from && value.to && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must not be before `from`' });
  }
}
