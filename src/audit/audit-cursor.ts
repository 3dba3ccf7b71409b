import { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { auditLogs } from '../db/schema';
import { ApiError } from '../lib/problem';

/**
 * Keyset pagination for the audit trail, newest first on (created_at, id), with the timestamp at
 * full (microsecond) precision. `src/lib/pagination.ts` carries a JavaScript Date (milliseconds),
 * which is exact for tenant tables (their timestamps are truncated to milliseconds by trigger)
 * but not for `audit_logs.created_at` (`now()`, microseconds): every row of one transaction shares
 * one instant, and a millisecond cursor would skip the rest of a bulk change's rows.
 */
const EXACT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const CursorSchema = z.object({ t: z.string().regex(EXACT), id: z.string().uuid() }).strict();
type Cursor = z.infer<typeof CursorSchema>;

/** The row's created_at, exactly, as the cursor carries it (UTC, microseconds). */
export const exactCreatedAt = sql<string>`to_char(${auditLogs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function decode(cursor: string): Cursor {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))));
    if (parsed.success && !Number.isNaN(Date.parse(parsed.data.t))) return parsed.data;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });
}

const encode = (cursor: Cursor) => btoa(JSON.stringify(cursor)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

export function auditKeyset(cursor: string | undefined) {
  let where: SQL | undefined;
  if (cursor) {
    const c = decode(cursor);
    const at = sql`${c.t}::timestamptz`;
    where = or(lt(auditLogs.createdAt, at), and(eq(auditLogs.createdAt, at), lt(auditLogs.id, c.id)));
  }
  return { where, orderBy: [desc(auditLogs.createdAt), desc(auditLogs.id)] };
}

export function toAuditPage<R extends { exact: string; id: string }, O>(rows: R[], limit: number, map: (row: Omit<R, 'exact'>) => O) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(({ exact: _exact, ...row }) => map(row)),
    next_cursor: hasMore && last ? encode({ t: last.exact, id: last.id }) : null,
  };
}
