import { z } from '@hono/zod-openapi';
import { and, asc, desc, eq, gt, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { ApiError } from './problem';
import { fitsReal, InputTimestamp } from './schemas';

export const MAX_PAGE_SIZE = 100;
/** Most items of a list embedded in another resource's response (a run's outputs, a post's decisions, …). */
export const MAX_EMBEDDED_ITEMS = 50;
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

/** One sort key of a keyset: a column and its direction. The last key must be unique (the id). */
export interface SortKey {
  column: PgColumn;
  direction: 'asc' | 'desc';
}

/** A sort value as a cursor carries it: timestamps (milliseconds, as every stored one), numbers, strings. */
export type CursorValue = Date | number | string;

type Encoded = { d: string } | number | string;

/** What a cursor may carry: instants in the range every input instant has, finite numbers, short strings. */
const EncodedSchema = z.array(z.union([z.object({ d: InputTimestamp }).strict(), z.number(), z.string().max(200)]));

const INT4_MAX = 2_147_483_647;

/** Whether a cursor's number is one the column's type holds (else Postgres would fail comparing them). */
const NUMBER_FITS: Record<string, (value: number) => boolean> = {
  PgReal: fitsReal,
  PgDoublePrecision: () => true,
  PgNumeric: () => true,
  PgInteger: (value) => Number.isInteger(value) && Math.abs(value) <= INT4_MAX,
};

function invalidCursor(): ApiError {
  return new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued.', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });
}

const UUID = z.string().uuid();

/** Decodes a cursor and checks each value against its column's type, so a forged cursor is a 400. */
function decodeCursor(cursor: string, keys: SortKey[]): CursorValue[] {
  let raw: unknown;
  try {
    raw = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/')));
  } catch {
    throw invalidCursor();
  }
  const parsed = EncodedSchema.safeParse(raw);
  if (!parsed.success || parsed.data.length !== keys.length) throw invalidCursor();
  return parsed.data.map((value, i) => {
    const column = keys[i]!.column;
    const type = column.columnType;
    if (typeof value === 'object') {
      if (type !== 'PgTimestamp') throw invalidCursor();
      return new Date(value.d);
    }
    if (typeof value === 'number') {
      if (!NUMBER_FITS[type]?.(value)) throw invalidCursor();
      return value;
    }
    if (value.includes('\u0000')) throw invalidCursor();
    if (type === 'PgUUID' && !UUID.safeParse(value).success) throw invalidCursor();
    if (type === 'PgEnumColumn' && !(column.enumValues ?? []).includes(value)) throw invalidCursor();
    if (!['PgUUID', 'PgEnumColumn', 'PgText', 'PgVarchar'].includes(type)) throw invalidCursor();
    return value;
  });
}

function encodeCursor(values: CursorValue[]): string {
  const encoded: Encoded[] = values.map((v) => (v instanceof Date ? { d: v.toISOString() } : v));
  return btoa(JSON.stringify(encoded)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * Keyset pagination on any order of columns (the last one unique): the rows strictly after the
 * cursor in that order, and the ORDER BY to fetch them with. Stable under concurrent inserts and
 * index-friendly. Fetch `limit + 1` rows; the extra one only says there is a next page.
 */
export function orderedKeyset(keys: SortKey[], cursor: string | undefined): { where: SQL | undefined; orderBy: SQL[] } {
  const orderBy = keys.map((k) => (k.direction === 'asc' ? asc(k.column) : desc(k.column)));
  if (!cursor) return { where: undefined, orderBy };
  const values = decodeCursor(cursor, keys);
  if (keys.every((key) => key.direction === keys[0]!.direction)) {
    // One direction: a row comparison, which a B-tree index on the keys seeks to directly (the
    // OR of branches below reads every row up to the cursor first, slower the deeper the page).
    const columns = sql.join(keys.map((key) => sql`${key.column}`), sql`, `);
    const cursorRow = sql.join(keys.map((key, i) => sql.param(values[i], key.column)), sql`, `);
    return { where: sql`(${columns}) ${sql.raw(keys[0]!.direction === 'asc' ? '>' : '<')} (${cursorRow})`, orderBy };
  }
  // Mixed directions: (k1, k2, …) after (v1, v2, …) is k1 beyond v1, or k1 = v1 and k2 beyond v2, and so on.
  const branches = keys.map((key, i) =>
    and(
      ...keys.slice(0, i).map((prior, j) => eq(prior.column, values[j]!)),
      key.direction === 'asc' ? gt(key.column, values[i]!) : lt(key.column, values[i]!),
    ),
  );
  return { where: or(...branches), orderBy };
}

/** A list's time filter: `column` at or after `after` and before `before` (either may be absent). */
export function inTimeRange(column: PgColumn, after: string | undefined, before: string | undefined): SQL | undefined {
  return and(after ? gte(column, new Date(after)) : undefined, before ? lt(column, new Date(before)) : undefined);
}

/** Newest first on (timestamp, id): the order of most lists. */
export function keyset(timestamp: PgColumn, id: PgColumn, cursor: string | undefined) {
  return orderedKeyset([{ column: timestamp, direction: 'desc' }, { column: id, direction: 'desc' }], cursor);
}

/** The cursor values of a row for `keyset(created_at, id)`. */
export const byCreated = (row: { createdAt: Date; id: string }): CursorValue[] => [row.createdAt, row.id];

/** A page of `limit + 1` fetched rows: the first `limit`, and the cursor after the last of them. */
export function toPage<R, O>(rows: R[], limit: number, cursorOf: (row: R) => CursorValue[], map: (row: R) => O) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { data: page.map(map), next_cursor: hasMore && last ? encodeCursor(cursorOf(last)) : null };
}

/**
 * An embedded list from `MAX_EMBEDDED_ITEMS + 1` fetched rows: the first `MAX_EMBEDDED_ITEMS`, and
 * whether there were more (the extra row only says so).
 */
export function capped<R, O>(rows: R[], map: (row: R) => O): { items: O[]; hasMore: boolean } {
  return { items: rows.slice(0, MAX_EMBEDDED_ITEMS).map(map), hasMore: rows.length > MAX_EMBEDDED_ITEMS };
}

/** The `has_more_<list>` flag of an embedded list, described once. */
export const hasMoreSchema = (what: string) =>
  z.boolean().openapi({ description: `True when there are more than ${MAX_EMBEDDED_ITEMS} ${what}; the list shows ${MAX_EMBEDDED_ITEMS}.` });
