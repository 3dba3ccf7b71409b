import { z } from '@hono/zod-openapi';

/** A calendar date, `YYYY-MM-DD` (a real date: no 2026-02-30). */
export const IsoDate = z.iso.date().openapi({ example: '2026-11-01' });

/** A 0..1 score (seed 003's score rule). */

/** Postgres `integer`, not negative. */
export const Count = z.number().int().min(0).max(2_147_483_647);

/** A signed measurement stored as `real`: bounded well inside its range. */
export const Measure = z.number().min(-1_000_000).max(1_000_000);

/** Largest free-form JSON object accepted (serialized), e.g. experiment variants and results. */
export const MAX_JSON_OBJECT_BYTES = 16 * 1024;

/** A free-form JSON object, at most 16 KiB serialized. */
export const JsonObject = z
  .record(z.string().max(200), z.unknown())
  .refine((value) => new TextEncoder().encode(JSON.stringify(value)).length <= MAX_JSON_OBJECT_BYTES, {
    message: `at most ${MAX_JSON_OBJECT_BYTES} bytes of JSON`,
  })
  .openapi({ type: 'object', description: `A JSON object, at most ${MAX_JSON_OBJECT_BYTES / 1024} KiB serialized.` });

export const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** Adds a `from <= to` rule to a query with optional `from`/`to` dates. */
export function checkRange(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (value.from && value.to && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must not be before `from`' });
  }
}
