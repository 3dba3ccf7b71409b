import { z } from '@hono/zod-openapi';
import { and, desc, lt, or, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { ApiError } from './problem';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).openapi({
    description: `Page size, 1–${MAX_PAGE_SIZE}.`,
  }),
  cursor: z.string().max(200).optional().openapi({ description: '`next_cursor` of the previous page.' }),
});

export function pageSchema<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({ data: z.array(item), next_cursor: z.string().nullable() })
    .openapi(name);
}

interface Cursor {
  t: string;
  id: string;
}

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))) as Cursor;
    if (typeof parsed.t === 'string' && !Number.isNaN(Date.parse(parsed.t)) && z.string().uuid().safeParse(parsed.id).success) {
      return parsed;
    }
  } catch {
    // fall through
  }
  throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });
}

function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify(cursor)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * Keyset pagination, newest first, on (timestamp, id): stable under concurrent inserts and
 * index-friendly. Fetch `limit + 1` rows; the extra one only says there is a next page.
 */
export function keyset(timestamp: PgColumn, id: PgColumn, cursor: string | undefined) {
  const where: SQL | undefined = cursor
    ? (() => {
        const c = decodeCursor(cursor);
        const at = new Date(c.t);
        return or(lt(timestamp, at), and(eq(timestamp, at), lt(id, c.id)));
      })()
    : undefined;
  return { where, orderBy: [desc(timestamp), desc(id)] };
}

export function toPage<R, O>(rows: R[], limit: number, cursorOf: (row: R) => { t: Date; id: string }, map: (row: R) => O) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(map),
    next_cursor: hasMore && last ? encodeCursor({ t: cursorOf(last).t.toISOString(), id: cursorOf(last).id }) : null,
  };
}
