import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/executor';
import { retentionArchives } from '../../db/schema/retention';
import { gzip, sha256Hex, KPI_CSV_COLUMNS, type ArchiveBucket, type Manifest } from './archive';
import { DATASETS, retentionDays, type Dataset, type RetentionSettings } from './policy';

/**
 * Seed 003's retention policy for every active client, as a plain function (db, now, options) →
 * summary, run by the Cron Trigger (src/index.ts) and by `npm run retention:run`.
 *
 * Per batch: read the oldest expired rows (one round trip) → put a pending marker naming the object
 * → put the archive and its manifest in R2 → one transaction that checks the rows are still exactly
 * what was archived, deletes exactly them and records the object in `retention_archives` (the
 * batch's one audit entry) → remove the marker. A crash anywhere leaves either the rows (and a marker:
 * the next run rewrites the same object and finishes) or the ledger row (the marker is just dropped):
 * nothing lost, no second archive of the same rows.
 */

export interface RetentionOptions {
  bucket: ArchiveBucket;
  /** Archive batches per invocation, over all clients (bounded work; the rest waits for the next run). */
  maxBatches?: number;
  /** Records per archive object. */
  batchSize?: Partial<Record<Dataset, number>>;
  /** Only these clients (a manual run, tests). */
  clientIds?: string[];
  datasets?: readonly Dataset[];
}

export interface ArchivedBatch {
  client_id: string;
  dataset: Dataset;
  object_key: string;
  records: number;
  deleted_rows: number;
  bytes: number;
  /** Finished a batch a previous run had started (its marker was found). */
  resumed: boolean;
}

export interface RetentionSummary {
  now: string;
  clients: number;
  batches: ArchivedBatch[];
  records: Record<Dataset, number>;
  deleted_rows: number;
  errors: { client_id: string; dataset: Dataset; message: string }[];
  /** False when the batch budget ran out (expired rows may be left: the next run continues) or a batch failed. */
  complete: boolean;
}

export const DEFAULT_MAX_BATCHES = 25;
export const DEFAULT_BATCH_SIZE: Record<Dataset, number> = { posts: 1000, kpi_metrics: 5000, audit_logs: 5000 };

interface ClientRow {
  id: string;
  storage_prefix: string;
  settings: { retention?: RetentionSettings } | null;
}

interface Line {
  id: string;
  at: string;
  line: string;
}

const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const instant = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const DAY_MS = 86_400_000;

/** What differs between datasets: which rows expire, how a record is rendered, how the object is named. */
interface DatasetPlan {
  table: 'posts' | 'kpi_metrics' | 'audit_logs';
  extension: string;
  cutoff(now: Date, days: number): Date;
  /** Ids of the next batch: the oldest expired records (of one quarter or year where the archive is per period). */
  next(clientId: string, cutoff: Date, limit: number): SQL;
  /** One rendered line per record of `ids` (a subquery or an array), oldest first, numbered `n` in that order. */
  lines(clientId: string, ids: SQL): SQL;
  /** The object's text from its lines. */
  encode(lines: string[]): string;
  /** Folder of the object under the dataset: the day, quarter or year of its oldest record. */
  period(oldest: string): string;
  /** Rows the purge deletes with each record, per table (posts take their decisions and the rest along). */
  counts(lines: Line[]): Record<string, number>;
  /** Rows whose children could change under the purge are locked first (no child may appear). */
  lock: boolean;
}

const quarterStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
const yearStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), 0, 1));

const POSTS: DatasetPlan = {
  table: 'posts',
  extension: 'jsonl.gz',
  cutoff: (now, days) => new Date(now.getTime() - days * DAY_MS),
  // Replies are the permanent trail: a post whose decision has a reply stays, with its decisions
  // (README "Retention"). A post with an open or assigned escalation waits until a human closes it.
  next: (clientId, cutoff, limit) => sql`
    select p.id from posts p
    where p.client_id = ${clientId} and p.detected_at < ${instant(cutoff)}
      and not exists (select 1 from decisions d join replies r on r.client_id = d.client_id and r.decision_id = d.id
                      where d.client_id = p.client_id and d.post_id = p.id)
      and not exists (select 1 from escalations e
                      where e.client_id = p.client_id and e.post_id = p.id and e.status in ('open', 'assigned'))
    order by p.detected_at, p.id
    limit ${limit}`,
  // Everything the delete cascades to travels with its post: decisions, their randomized
  // experiments, competitive mentions and (closed) escalations of the post or of its decisions.
  lines: (clientId, ids) => sql`
    select p.id, to_json(p.detected_at) #>> '{}' as at, row_number() over (order by p.detected_at, p.id) as n,
           jsonb_build_object(
             'post', to_jsonb(p),
             'decisions', coalesce(d.rows, '[]'::jsonb),
             'randomized_experiments', coalesce(re.rows, '[]'::jsonb),
             'competitive_mentions', coalesce(cm.rows, '[]'::jsonb),
             'escalations', coalesce(es.rows, '[]'::jsonb))::text as line
    from posts p
    left join lateral (select jsonb_agg(to_jsonb(d) order by d.id) as rows, array_agg(d.id) as ids
                       from decisions d where d.client_id = p.client_id and d.post_id = p.id) d on true
    left join lateral (select jsonb_agg(to_jsonb(r) order by r.id) as rows
                       from randomized_experiments r where r.client_id = p.client_id and r.decision_id = any (d.ids)) re on true
    left join lateral (select jsonb_agg(to_jsonb(m) order by m.id) as rows
                       from competitive_mentions m where m.client_id = p.client_id and m.post_id = p.id) cm on true
    left join lateral (select jsonb_agg(to_jsonb(e) order by e.id) as rows
                       from escalations e where e.client_id = p.client_id and (e.post_id = p.id or e.decision_id = any (d.ids))) es on true
    where p.client_id = ${clientId} and p.id in (${ids})
    order by p.detected_at, p.id`,
  encode: (lines) => `${lines.join('\n')}\n`,
  period: (oldest) => oldest.slice(0, 10),
  counts: (lines) => {
    const children = { decisions: new Set<string>(), randomized_experiments: new Set<string>(), competitive_mentions: new Set<string>(), escalations: new Set<string>() };
    for (const { line } of lines) {
      const record = JSON.parse(line) as Record<keyof typeof children, { id: string }[]>;
      for (const table of Object.keys(children) as (keyof typeof children)[]) for (const row of record[table]) children[table].add(row.id);
    }
    return { posts: lines.length, ...Object.fromEntries(Object.entries(children).map(([table, ids]) => [table, ids.size])) };
  },
  lock: true,
};

const KPI_METRICS: DatasetPlan = {
  table: 'kpi_metrics',
  extension: 'csv.gz',
  // Whole quarters only: a quarter is archived once all of it is older than the period.
  cutoff: (now, days) => quarterStart(new Date(now.getTime() - days * DAY_MS)),
  next: (clientId, cutoff, limit) => sql`
    select k.id from kpi_metrics k,
         (select date_trunc('quarter', min(date))::date as q from kpi_metrics
          where client_id = ${clientId} and date < ${cutoff.toISOString().slice(0, 10)}::date) first
    where k.client_id = ${clientId} and k.date >= first.q and k.date < (first.q + interval '3 months')::date
    order by k.date, k.id
    limit ${limit}`,
  lines: (clientId, ids) => sql`
    select k.id, k.date::text as at, row_number() over (order by k.date, k.id) as n,
           concat_ws(',', k.id, k.client_id, k.date, coalesce(k.platform::text, ''), k.metric_type,
                     '"' || replace(k.metric_name, '"', '""') || '"', k.value::text,
                     to_json(k.created_at) #>> '{}', to_json(k.updated_at) #>> '{}') as line
    from kpi_metrics k
    where k.client_id = ${clientId} and k.id in (${ids})
    order by k.date, k.id`,
  encode: (lines) => `${KPI_CSV_COLUMNS.join(',')}\n${lines.join('\n')}\n`,
  period: (oldest) => `${oldest.slice(0, 4)}-Q${Math.ceil(Number(oldest.slice(5, 7)) / 3)}`,
  counts: (lines) => ({ kpi_metrics: lines.length }),
  lock: true,
};

const AUDIT_LOGS: DatasetPlan = {
  table: 'audit_logs',
  extension: 'json.gz',
  // Whole years only, as for KPIs: one object per year (in parts when a year is large).
  cutoff: (now, days) => yearStart(new Date(now.getTime() - days * DAY_MS)),
  next: (clientId, cutoff, limit) => sql`
    select a.id from audit_logs a,
         (select date_trunc('year', min(created_at), 'UTC') as y from audit_logs
          where client_id = ${clientId} and created_at < ${instant(cutoff)}) first
    where a.client_id = ${clientId} and a.created_at >= first.y and a.created_at < first.y + interval '1 year'
    order by a.created_at, a.id
    limit ${limit}`,
  lines: (clientId, ids) => sql`
    select a.id, to_json(a.created_at) #>> '{}' as at, row_number() over (order by a.created_at, a.id) as n, to_jsonb(a)::text as line
    from audit_logs a
    where a.client_id = ${clientId} and a.id in (${ids})
    order by a.created_at, a.id`,
  encode: (lines) => `[\n${lines.join(',\n')}\n]\n`,
  period: (oldest) => oldest.slice(0, 4),
  counts: (lines) => ({ audit_logs: lines.length }),
  // Append-only: nobody changes an audit row (and the system role may not lock one).
  lock: false,
};

export const PLANS: Record<Dataset, DatasetPlan> = { posts: POSTS, kpi_metrics: KPI_METRICS, audit_logs: AUDIT_LOGS };

/** Where a client's pending batch of a dataset is announced (at most one at a time). */
export const markerKey = (prefix: string, dataset: Dataset) => `${prefix}retention/pending/${dataset}.json`;
export const manifestKey = (objectKey: string) => `${objectKey}.manifest.json`;

const encoder = new TextEncoder();
const fingerprintOf = (lines: Line[]) => sha256Hex(encoder.encode(lines.map((l) => l.line).join('\n')));

type Step = { kind: 'idle' } | { kind: 'archived'; batch: ArchivedBatch };

/** One batch of one dataset of one client: finishes a pending batch first, else starts the next. */
async function step(db: Executor, now: Date, client: ClientRow, dataset: Dataset, options: RetentionOptions): Promise<Step> {
  const plan = PLANS[dataset];
  const bucket = options.bucket;
  const marker = markerKey(client.storage_prefix, dataset);
  const size = options.batchSize?.[dataset] ?? DEFAULT_BATCH_SIZE[dataset];

  let pending: Manifest | undefined;
  const found = await bucket.get(marker);
  if (found) {
    pending = JSON.parse(new TextDecoder().decode(await found.arrayBuffer())) as Manifest;
    const [done] = await db.run(
      (d) => [d.execute<{ n: number }>(sql`select count(*)::int as n from retention_archives where client_id = ${client.id} and object_key = ${pending!.object_key}`)],
      { readOnly: true },
    );
    if (done.rows[0]!.n > 0) {
      // The purge committed; only the marker's removal was lost.
      await bucket.delete(marker);
      pending = undefined;
    }
  }

  const cutoff = pending ? new Date(pending.cutoff) : plan.cutoff(now, retentionDays(client.settings)[dataset]);
  const ids = pending ? sql`select unnest(${uuidArray(pending.ids)})` : plan.next(client.id, cutoff, size);
  const [read] = await db.run((d) => [d.execute<Line & Record<string, unknown>>(plan.lines(client.id, ids))], { readOnly: true });
  const lines = read.rows as Line[];
  if (lines.length === 0) {
    if (pending) {
      // Every row of the pending batch is gone (deleted through the API meanwhile): nothing to keep.
      await bucket.delete(pending.object_key);
      await bucket.delete(manifestKey(pending.object_key));
      await bucket.delete(marker);
    }
    return { kind: 'idle' };
  }

  const oldest = lines[0]!.at;
  const newest = lines.at(-1)!.at;
  // The run's time in the name: rows restored and archived again get an object of their own.
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const objectKey =
    pending?.object_key ?? `${client.storage_prefix}retention/${dataset}/${plan.period(oldest)}/${stamp}-${lines[0]!.id}.${plan.extension}`;
  const body = await gzip(plan.encode(lines.map((l) => l.line)));
  const counts = plan.counts(lines);
  const manifest: Manifest = {
    object_key: objectKey,
    dataset,
    client_id: client.id,
    ids: lines.map((l) => l.id),
    counts,
    sha256: await sha256Hex(body),
    bytes: body.byteLength,
    cutoff: cutoff.toISOString(),
    oldest,
    newest,
    fingerprint: await fingerprintOf(lines),
  };
  const manifestText = JSON.stringify(manifest);

  await bucket.put(marker, manifestText, { httpMetadata: { contentType: 'application/json' } });
  await bucket.put(objectKey, body, {
    httpMetadata: { contentType: 'application/gzip' },
    customMetadata: { sha256: manifest.sha256, records: String(lines.length), dataset },
  });
  await bucket.put(manifestKey(objectKey), manifestText, { httpMetadata: { contentType: 'application/json' } });

  const deletedRows = Object.values(counts).reduce((a, b) => a + b, 0);
  const archivedIds = uuidArray(manifest.ids);
  const archived = sql`select unnest(${archivedIds})`;
  await db.run((d) => [
    // The purge's own deletes are not audited row by row (drizzle/0016): the ledger row below is the entry.
    d.execute(sql`select set_config('app.retention_purge', 'archived', true)`),
    ...(plan.lock ? [d.execute(sql`select id from ${sql.identifier(plan.table)} where client_id = ${client.id} and id = any (${archivedIds}) order by id for update`)] : []),
    // The rows (and everything that goes with them) must render exactly as archived; otherwise the
    // cast fails the transaction and nothing is deleted (the next run archives them again). The
    // message depends on the rows, so the planner cannot fold the cast and fail it up front.
    d.execute(sql`
      select case when encode(sha256(convert_to(coalesce(string_agg(l.line, E'\n' order by l.n), ''), 'UTF8')), 'hex') = ${manifest.fingerprint}
                  then 1 else ('retention: rows changed since they were archived (' || count(*) || ' now)')::int end as unchanged
      from (${plan.lines(client.id, archived)}) l`),
    d.execute(sql`delete from ${sql.identifier(plan.table)} where client_id = ${client.id} and id = any (${archivedIds})`),
    d.insert(retentionArchives).values({
      clientId: client.id,
      dataset,
      objectKey,
      recordCount: lines.length,
      deletedRows,
      byteSize: body.byteLength,
      sha256: manifest.sha256,
      cutoff,
      oldest: new Date(oldest),
      newest: new Date(newest),
    }),
  ]);
  await bucket.delete(marker);

  return {
    kind: 'archived',
    batch: { client_id: client.id, dataset, object_key: objectKey, records: lines.length, deleted_rows: deletedRows, bytes: body.byteLength, resumed: pending !== undefined },
  };
}

/** Runs the policy over every active client, at most `maxBatches` archive objects, round-robin over clients and datasets. */
export async function runRetention(db: Executor, now: Date, options: RetentionOptions): Promise<RetentionSummary> {
  const datasets = options.datasets ?? DATASETS;
  const only = options.clientIds;
  const [clients] = await db.run(
    (d) => [
      d.execute<ClientRow & Record<string, unknown>>(sql`
        select id, storage_prefix, settings from clients
        where is_active ${only ? sql`and id = any (${uuidArray(only)})` : sql``}
        order by id`),
    ],
    { readOnly: true },
  );
  const summary: RetentionSummary = {
    now: now.toISOString(),
    clients: clients.rows.length,
    batches: [],
    records: { posts: 0, kpi_metrics: 0, audit_logs: 0 },
    deleted_rows: 0,
    errors: [],
    complete: true,
  };
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  let work = (clients.rows as ClientRow[]).flatMap((client) => datasets.map((dataset) => ({ client, dataset })));
  while (work.length > 0) {
    const stillBusy: typeof work = [];
    for (const item of work) {
      if (summary.batches.length >= maxBatches) {
        summary.complete = false;
        return summary;
      }
      try {
        const result = await step(db, now, item.client, item.dataset, options);
        if (result.kind === 'idle') continue;
        summary.batches.push(result.batch);
        summary.records[item.dataset] += result.batch.records;
        summary.deleted_rows += result.batch.deleted_rows;
        stillBusy.push(item);
      } catch (error) {
        // One client's failure never stops the others; its batch is finished by a later run.
        summary.errors.push({ client_id: item.client.id, dataset: item.dataset, message: error instanceof Error ? error.message : String(error) });
        summary.complete = false;
      }
    }
    work = stillBusy;
  }
  return summary;
}
