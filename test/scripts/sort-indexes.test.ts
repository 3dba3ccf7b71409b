import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableConfig, IndexedColumn, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema';

/**
 * Seed 004: "indexes on columns used in sorting". Every keyset ordering a route uses
 * (`keyset(t.a, t.id, …)` newest first, or `orderedKeyset([{ column, direction }, …], …)`) must be
 * served by an index that leads with `client_id` and then the ordering's columns (a trailing `id`
 * may be left out: it only breaks ties), all in the ordering's directions or all reversed.
 * The orderings are read from the handlers' source; the indexes from the Drizzle schema, which
 * the drift check keeps equal to the migrations.
 */
interface Key {
  column: string;
  desc: boolean;
}
interface Ordering {
  where: string;
  table: string;
  keys: Key[];
}

const tables = new Map<string, PgTable>(
  Object.entries(schema as Record<string, unknown>).filter((entry): entry is [string, PgTable] => entry[1] instanceof PgTable),
);

function columnName(tableVar: string, prop: string): string {
  const table = tables.get(tableVar);
  if (!table) throw new Error(`unknown table ${tableVar}`);
  const column = (table as unknown as Record<string, PgColumn>)[prop];
  if (!column) throw new Error(`unknown column ${tableVar}.${prop}`);
  return column.name;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function orderingsIn(file: string): Ordering[] {
  const text = readFileSync(file, 'utf8');
  const found: Ordering[] = [];
  for (const m of text.matchAll(/\bkeyset\((\w+)\.(\w+), (\w+)\.(\w+), /g)) {
    found.push({
      where: file,
      table: m[1]!,
      keys: [
        { column: columnName(m[1]!, m[2]!), desc: true },
        { column: columnName(m[3]!, m[4]!), desc: true },
      ],
    });
  }
  for (const m of text.matchAll(/\borderedKeyset\(\s*\[([\s\S]*?)\]\s*,/g)) {
    const keys = [...m[1]!.matchAll(/\{\s*column: (\w+)\.(\w+), direction: '(asc|desc)'\s*\}/g)];
    if (keys.length === 0) throw new Error(`unreadable orderedKeyset in ${file}`);
    found.push({ where: file, table: keys[0]![1]!, keys: keys.map((k) => ({ column: columnName(k[1]!, k[2]!), desc: k[3] === 'desc' })) });
  }
  return found;
}

const orderings = sourceFiles('src')
  .filter((file) => !file.endsWith('pagination.ts'))
  .flatMap(orderingsIn);

function indexesOf(table: PgTable): Key[][] {
  return getTableConfig(table).indexes.map((index) =>
    index.config.columns.map((column) => {
      if (!(column instanceof IndexedColumn)) return { column: '(expression)', desc: false };
      return { column: column.name ?? '', desc: column.indexConfig.order === 'desc' };
    }),
  );
}

function serves(index: Key[], ordering: Key[]): boolean {
  const wanted = ordering.at(-1)?.column === 'id' && ordering.length > 1 ? ordering.slice(0, -1) : ordering;
  if (index[0]?.column !== 'client_id' || index.length < wanted.length + 1) return false;
  const rest = index.slice(1, wanted.length + 1);
  if (!rest.every((key, i) => key.column === wanted[i]!.column)) return false;
  const same = rest.every((key, i) => key.desc === wanted[i]!.desc);
  const reversed = rest.every((key, i) => key.desc !== wanted[i]!.desc);
  return same || reversed;
}

describe('sort orders have indexes (seed 004)', () => {
  it('finds the orderings of the list routes', () => {
    expect(orderings.length).toBeGreaterThanOrEqual(20);
  });

  it.each(orderings.filter((o) => getTableConfig(tables.get(o.table)!).columns.some((c) => c.name === 'client_id')))(
    '$table by $keys.0.column ($where)',
    (ordering) => {
      const indexes = indexesOf(tables.get(ordering.table)!);
      expect(
        indexes.some((index) => serves(index, ordering.keys)),
        `no client_id-leading index on ${ordering.table} for ${ordering.keys.map((k) => `${k.column} ${k.desc ? 'desc' : 'asc'}`).join(', ')}`,
      ).toBe(true);
    },
  );

  it('the rule refuses an index that does not serve the ordering', () => {
    const order = [
      { column: 'priority', desc: true },
      { column: 'created_at', desc: false },
      { column: 'id', desc: false },
    ];
    expect(serves([{ column: 'client_id', desc: false }, ...order], order)).toBe(true);
    expect(serves([{ column: 'client_id', desc: false }, { column: 'priority', desc: false }, { column: 'created_at', desc: false }], order)).toBe(false);
    expect(serves([{ column: 'priority', desc: true }, { column: 'created_at', desc: false }], order)).toBe(false);
    expect(serves([{ column: 'client_id', desc: false }, { column: 'priority', desc: true }], order)).toBe(false);
  });
});
