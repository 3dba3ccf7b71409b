import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from '@hono/zod-openapi';
import { ApiError } from '../lib/problem';

/**
 * Keyset pagination on (score desc, id desc) for lists ordered by a 0..1 score rather than by a
 * timestamp (src/lib/pagination.ts only knows timestamps). The cursor carries the score of the
 * last row as Postgres printed it (a `real` round-trips exactly through its shortest text form).
 */
interface ScoreCursor {
  s: number;
  id: string;
}

const CursorSchema = z.object({ s: z.number().min(0).max(1), id: z.string().uuid() }).strict();

function invalidCursor(): ApiError {
  return new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });
}

function decode(cursor: string): ScoreCursor {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw invalidCursor();
}

function encode(cursor: ScoreCursor): string {
  return btoa(JSON.stringify(cursor)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function scoreKeyset(score: PgColumn, id: PgColumn, cursor: string | undefined) {
  let where: SQL | undefined;
  if (cursor) {
    const c = decode(cursor);
    where = or(lt(score, c.s), and(eq(score, c.s), lt(id, c.id)));
  }
  return { where, orderBy: [desc(score), desc(id)] };
}

export function toScorePage<R, O>(rows: R[], limit: number, cursorOf: (row: R) => ScoreCursor, map: (row: R) => O) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { data: page.map(map), next_cursor: hasMore && last ? encode(cursorOf(last)) : null };
}
