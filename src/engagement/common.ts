import { z } from '@hono/zod-openapi';
import { tenantPrincipal, type Principal, type TenantPrincipal } from '../auth/principal';
import { ApiError, type FieldError } from '../lib/problem';
import { BoundedNumber, boundedJson, DATE_RANGE, InputTimestamp } from '../lib/schemas';

/** Ids on platforms (posts, replies, accounts): seed 003's post id rule. */
export const PLATFORM_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const platformId = (message: string) => z.string().min(1).max(100).regex(PLATFORM_ID_PATTERN, message);
export const PlatformIdSchema = platformId('Invalid post ID format');


/** `true` / `false` in a query string. */

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

/** Flat metrics as platforms report them (`{"likes": 12, "replies": 2}`): scalar values only, numbers within ±1e15. */
export const FlatMetricsSchema = boundedJson(
  z
    .record(z.string().min(1).max(64), z.union([BoundedNumber, z.string().max(200), z.boolean(), z.null()]))
    .refine((value) => Object.keys(value).length <= 50, 'at most 50 metrics'),
).openapi({ example: { likes: 12, replies: 2 } });

const bound = (description: string) => InputTimestamp.optional().openapi({ description });

/** A `<x>_after` (inclusive) / `<x>_before` (exclusive) pair of timestamp filters. */
export function TimeRangeQuery<A extends string, B extends string>(after: A, before: B) {
  return {
    [after]: bound(`Inclusive lower bound (ISO 8601, ${DATE_RANGE}).`),
    [before]: bound(`Exclusive upper bound (ISO 8601, ${DATE_RANGE}).`),
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

