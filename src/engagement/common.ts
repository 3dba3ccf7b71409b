import { z } from '@hono/zod-openapi';
import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { tenantPrincipal, type Principal, type TenantPrincipal } from '../auth/principal';
import {
  approvalStatus,
  archetype,
  escalationPriority,
  escalationReason,
  escalationStatus,
  experimentVariant,
  operationalMode,
  platform,
  powerTier,
  replyType,
} from '../db/schema';
import { ApiError, type FieldError } from '../lib/problem';
import { Timestamp } from '../lib/schemas';

export const PlatformSchema = z.enum(platform.enumValues);
export const OperationalModeSchema = z.enum(operationalMode.enumValues);
export const ArchetypeSchema = z.enum(archetype.enumValues);
export const PowerTierSchema = z.enum(powerTier.enumValues);
export const ApprovalStatusSchema = z.enum(approvalStatus.enumValues);
export const ReplyTypeSchema = z.enum(replyType.enumValues);
export const ExperimentVariantSchema = z.enum(experimentVariant.enumValues);
export const EscalationReasonSchema = z.enum(escalationReason.enumValues);
export const EscalationPrioritySchema = z.enum(escalationPriority.enumValues);
export const EscalationStatusSchema = z.enum(escalationStatus.enumValues);

/** Ids on platforms (posts, replies, accounts): seed 003's post id rule. */
export const PLATFORM_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const platformId = (message: string) => z.string().min(1).max(100).regex(PLATFORM_ID_PATTERN, message);
export const PlatformIdSchema = platformId('Invalid post ID format');

/** A 0..1 score (seed 003). */
export const Score = z.number().min(0).max(1);

/** `true` / `false` in a query string. */
export const BooleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Length in characters (code points), as Postgres' `char_length` counts them. */
export function chars(min: number, max: number, tooShort: string, tooLong: string) {
  return z
    .string()
    .max(max * 2, tooLong)
    .superRefine((value, ctx) => {
      const length = [...value].length;
      if (length < min) ctx.addIssue({ code: 'custom', message: tooShort });
      else if (length > max) ctx.addIssue({ code: 'custom', message: tooLong });
    });
}

/** A free-text reason or note: trimmed, 1..max characters. */
export const note = (max: number) => z.string().trim().min(1).max(max);

/** Flat metrics as platforms report them (`{"likes": 12, "replies": 2}`): scalar values only. */
export const FlatMetricsSchema = z
  .record(z.string().min(1).max(64), z.union([z.number(), z.string().max(200), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 50, 'at most 50 metrics')
  .openapi({ example: { likes: 12, replies: 2 } });

/** A JSON object of bounded size (signals, temporal context). */
export const JsonObjectSchema = z
  .record(z.string().min(1).max(100), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, 'at most 16 KiB of JSON');

const bound = (description: string) => Timestamp.optional().openapi({ description });

/** A `<x>_after` (inclusive) / `<x>_before` (exclusive) pair of timestamp filters. */
export function TimeRangeQuery<A extends string, B extends string>(after: A, before: B) {
  return {
    [after]: bound('Inclusive lower bound (ISO 8601).'),
    [before]: bound('Exclusive upper bound (ISO 8601).'),
  } as Record<A | B, ReturnType<typeof bound>>;
}

/** The caller, who must be a person (the column it is written to references users). */
export function requireUser(principal: Principal, action: string): TenantPrincipal {
  const caller = tenantPrincipal(principal);
  if (caller.kind !== 'user') {
    throw new ApiError(403, 'USER_REQUIRED', `Only a user, not an API key, can ${action}.`);
  }
  return caller;
}

export const notMember = () => new ApiError(403, 'NOT_A_MEMBER', 'The caller is not a member of this client.');

export function invalidTransition(entity: string, state: string | null, action: string, deleted = false): ApiError {
  const why = deleted ? `the ${entity} is deleted` : `the ${entity} is ${state}`;
  return new ApiError(409, 'INVALID_TRANSITION', `Cannot ${action}: ${why}.`);
}

export function unprocessable(code: string, detail: string, errors: FieldError[]): ApiError {
  return new ApiError(422, code, detail, { errors });
}

// Cursors: the same opaque base64url JSON the shared pagination issues, for the orders it does
// not offer (oldest first; priority then age).

export function encodeCursor(value: Record<string, string>): string {
  return btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    const parsed = schema.safeParse(JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });
}

const TimeIdCursor = z.object({ t: z.string().datetime({ offset: true }), id: z.string().uuid() });

/** Keyset pagination oldest first on (timestamp, id). */
export function ascendingKeyset(timestamp: PgColumn, id: PgColumn, cursor: string | undefined) {
  let where: SQL | undefined;
  if (cursor) {
    const c = decodeCursor(cursor, TimeIdCursor);
    const at = new Date(c.t);
    where = or(gt(timestamp, at), and(eq(timestamp, at), gt(id, c.id)));
  }
  return { where, orderBy: [asc(timestamp), asc(id)] };
}

/**
 * Keyset pagination newest first on a timestamp the API does not write itself (e.g. a post's
 * detected_at, which may carry microseconds): ordered and compared at millisecond precision, the
 * precision of the cursor, so a page boundary never skips or repeats a row.
 */
export function descendingMillisKeyset(timestamp: PgColumn, id: PgColumn, cursor: string | undefined) {
  const millis = sql`date_trunc('milliseconds', ${timestamp})`;
  let where: SQL | undefined;
  if (cursor) {
    const c = decodeCursor(cursor, TimeIdCursor);
    const at = sql`${new Date(c.t).toISOString()}::timestamptz`;
    where = or(sql`${millis} < ${at}`, and(sql`${millis} = ${at}`, lt(id, c.id)));
  }
  return { where, orderBy: [desc(millis), desc(id)] };
}

export function pageOf<R, O>(rows: R[], limit: number, cursorOf: (row: R) => Record<string, string>, map: (row: R) => O) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { data: page.map(map), next_cursor: hasMore && last ? encodeCursor(cursorOf(last)) : null };
}

const PRIORITIES = escalationPriority.enumValues;
const PriorityCursor = TimeIdCursor.extend({ p: z.enum(PRIORITIES) });

/** Keyset pagination most urgent first, then oldest first: (priority desc, timestamp, id). */
export function priorityKeyset(priority: PgColumn, timestamp: PgColumn, id: PgColumn, cursor: string | undefined) {
  let where: SQL | undefined;
  if (cursor) {
    const c = decodeCursor(cursor, PriorityCursor);
    const at = new Date(c.t);
    where = or(lt(priority, c.p), and(eq(priority, c.p), or(gt(timestamp, at), and(eq(timestamp, at), gt(id, c.id)))));
  }
  return { where, orderBy: [desc(priority), asc(timestamp), asc(id)] };
}

export const timeIdCursor = (row: { createdAt: Date; id: string }) => ({ t: row.createdAt.toISOString(), id: row.id });
