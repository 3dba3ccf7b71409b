import { sql, type SQL } from 'drizzle-orm';
import { gunzip, KPI_CSV_COLUMNS, parseCsvLine } from './archive';
import { DATASETS, type Dataset } from './policy';

/** The dataset of an archive object, from its key (`…/retention/<dataset>/…`). */
export function datasetOfKey(key: string): Dataset {
  const dataset = /\/retention\/([a-z_]+)\//.exec(key)?.[1];
  if (!DATASETS.includes(dataset as Dataset)) throw new Error(`not a retention archive key: ${key}`);
  return dataset as Dataset;
}

/** Rows per table of an archive, in the order they must be inserted (parents first). */
export async function archiveRows(dataset: Dataset, gzipped: Uint8Array | ArrayBuffer): Promise<[string, Record<string, unknown>[]][]> {
  const text = await gunzip(gzipped);
  if (dataset === 'audit_logs') return [['audit_logs', JSON.parse(text) as Record<string, unknown>[]]];
  const lines = text.split('\n').filter((line) => line.length > 0);
  if (dataset === 'kpi_metrics') {
    const [header, ...rows] = lines;
    if (header !== KPI_CSV_COLUMNS.join(',')) throw new Error('unexpected KPI archive header');
    return [['kpi_metrics', rows.map((line) => Object.fromEntries(parseCsvLine(line).map((value, i) => [KPI_CSV_COLUMNS[i]!, value])))]];
  }
  const tables = ['posts', 'decisions', 'randomized_experiments', 'competitive_mentions', 'escalations'] as const;
  const out = new Map<string, Map<string, Record<string, unknown>>>(tables.map((t) => [t, new Map()]));
  for (const line of lines) {
    const record = JSON.parse(line) as { post: Record<string, unknown> } & Record<string, Record<string, unknown>[]>;
    out.get('posts')!.set(record.post.id as string, record.post);
    for (const table of tables.slice(1)) for (const row of record[table] ?? []) out.get(table)!.set(row.id as string, row);
  }
  return tables.map((table) => [table, [...out.get(table)!.values()]]);
}

/**
 * The statements that put an archive's rows back exactly as they were (timestamps included), each
 * row once (a row already present is left alone). Run them in ONE transaction as the database owner
 * (the migration role): audit rows may be inserted by no application role.
 */
export function restoreStatements(tables: [string, Record<string, unknown>[]][]): SQL[] {
  return [
    sql`select set_config('app.retention_restore', 'archived', true)`,
    ...tables
      .filter(([, rows]) => rows.length > 0)
      .map(
        ([table, rows]) => sql`
          with restored as (
            insert into ${sql.identifier(table)}
            select * from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows)}::jsonb)
            on conflict do nothing
            returning 1)
          select ${table} as table, ${rows.length}::int as archived, count(*)::int as restored from restored`,
      ),
  ];
}
