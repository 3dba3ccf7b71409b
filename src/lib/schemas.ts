import { z } from '@hono/zod-openapi';

export const IdParamSchema = z.object({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' }, example: '7d0f7c1e-4a5b-4c61-9a8e-2b3f4c5d6e7f' }),
});

/** An instant in a response (any the database holds). Inputs use `InputTimestamp`. */
export const Timestamp = z.string().datetime({ offset: true });

// ---------------------------------------------------------------------------------------------
// Input limits: every value the API accepts is one it can store, compare, sum and serve back.

/** The first and last day of the instants and dates the API accepts (UTC). */
export const EARLIEST_DATE = '1970-01-01';
export const LATEST_DATE = '2200-12-31';
/** The accepted range, for descriptions. */
export const DATE_RANGE = `${EARLIEST_DATE} to ${LATEST_DATE}`;
const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const LATEST_MS = Date.parse(`${LATEST_DATE}T23:59:59.999Z`);
/** Largest UTC offset of an input instant (real ones span −12:00 to +14:00; Postgres refuses beyond ±15:59). */
const MAX_OFFSET_MINUTES = 14 * 60;

const outOfRange = `must be from ${DATE_RANGE} (UTC)`;

function offsetMinutes(value: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(value);
  return match ? Number(match[2]) * 60 + Number(match[3]) : 0;
}

/**
 * An instant the API accepts (query filters, body fields, cursors): ISO 8601 with an offset of
 * at most ±14:00, between 1970-01-01 and 2200-12-31 UTC. Beyond those years Postgres and
 * JavaScript disagree on how to write the instant, so a stored one could not be read back.
 */
export const InputTimestamp = z
  .string()
  .datetime({ offset: true })
  .superRefine((value, ctx) => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return; // the format check has said so
    if (offsetMinutes(value) > MAX_OFFSET_MINUTES) ctx.addIssue({ code: 'custom', message: 'the UTC offset must be within ±14:00' });
    else if (ms < EARLIEST_MS || ms > LATEST_MS) ctx.addIssue({ code: 'custom', message: outOfRange });
  })
  .openapi({ type: 'string', format: 'date-time', description: `ISO 8601 with offset (at most ±14:00), ${DATE_RANGE}.` });

/** A calendar day the API accepts, `YYYY-MM-DD` (a real date: no 2026-02-30), 1970-01-01 to 2200-12-31. */
export const InputDate = z.iso
  .date()
  .superRefine((value, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return; // the format check has said so
    if (value < EARLIEST_DATE || value > LATEST_DATE) ctx.addIssue({ code: 'custom', message: outOfRange });
  })
  .openapi({ example: '2026-11-01' });

/**
 * Largest magnitude of a number SQL sums or averages (KPI values) and of free-form metric
 * numbers: integers stay exact in a double, and a two-year series of daily values (731) sums
 * to at most 7.31e17, far inside the range of `double precision`.
 */
export const MAX_MAGNITUDE = 1e15;

/** A finite number within ±1e15 (zod 4 numbers already refuse NaN and ±Infinity). */
export const BoundedNumber = z.number().min(-MAX_MAGNITUDE).max(MAX_MAGNITUDE);

/**
 * Whether Postgres `real` (float4) takes the number: beyond ±3.4e38 it overflows, and a nonzero
 * value that rounds to 0 in float4 (below ~1.4e-45) is refused as an underflow.
 */
export const fitsReal = (value: number) => value === 0 || (Number.isFinite(Math.fround(value)) && Math.fround(value) !== 0);
const REAL_MESSAGE = 'too close to 0 to store (use 0)';

/** A number stored in a `real` column: `schema`'s range, and representable in float4. */
export const real = <T extends z.ZodType<number, unknown>>(schema: T) => schema.refine(fitsReal, REAL_MESSAGE);

/** A 0..1 score (seed 003), stored as `real`. */
export const Score = real(z.number().min(0).max(1));

/** Most levels of objects and arrays in a stored JSON value (`jsonb`). */
export const MAX_JSON_DEPTH = 32;
/** Largest stored JSON value, serialized as UTF-8 (structured ones: tone, settings, logo refs, feedback…). */
export const MAX_JSON_BYTES = 64 * 1024;
/** Largest free-form JSON object (signals, metadata, experiment variants and results…), serialized. */
export const MAX_JSON_OBJECT_BYTES = 16 * 1024;

/** Nesting depth of a JSON value (a scalar is 0, `{}` is 1), walked without recursion and only to `limit + 1`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, above] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const depth = above + 1;
    if (depth > limit) return depth;
    deepest = Math.max(deepest, depth);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth]);
  }
  return deepest;
}

export const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

/**
 * The limits of every JSON value the API stores (`jsonb`): at most 32 levels deep and `maxBytes`
 * serialized. The depth is checked first, without recursion, so no depth can exhaust the stack.
 */
export function boundedJson<T extends z.ZodType>(schema: T, maxBytes = MAX_JSON_BYTES): T {
  return schema.superRefine((value, ctx) => {
    if (jsonDepth(value) > MAX_JSON_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` });
    } else if (utf8Bytes(JSON.stringify(value) ?? '') > maxBytes) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes / 1024} KiB as JSON` });
    }
  }) as T;
}

/** The limits of a free-form JSON object, for descriptions. */
export const JSON_OBJECT_LIMITS = `at most ${MAX_JSON_DEPTH} levels deep and ${MAX_JSON_OBJECT_BYTES / 1024} KiB serialized`;

/** A free-form JSON object: keys up to 200 characters, at most 32 levels deep and 16 KiB serialized. */
export const JsonObject = boundedJson(z.record(z.string().max(200), z.unknown()), MAX_JSON_OBJECT_BYTES).openapi({
  description: `A JSON object, ${JSON_OBJECT_LIMITS}.`,
});

/** A URL the API stores: http or https only (never `javascript:`, `data:`, `file:`), at most 2,000 characters. */
export const HttpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .refine((value) => !/[\s\u0000-\u001f\u007f]/.test(value), 'must not contain spaces or control characters')
  .openapi({ format: 'uri', description: 'An http(s) URL, at most 2,000 characters.', example: 'https://cdn.example.com/logo.svg' });

/** Bodies reject unknown fields: a typo must fail loudly, not be ignored. */
export const body = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();

export const jsonBody = <T extends z.ZodTypeAny>(schema: T, description?: string) => ({
  required: true,
  content: { 'application/json': { schema } },
  ...(description ? { description } : {}),
});

export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
