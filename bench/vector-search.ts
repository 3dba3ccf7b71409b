import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { NeonQueryFunction } from '@neondatabase/serverless';
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/neon-http';
import { connect } from '../scripts/db/connection';
import { applyMigrations } from '../scripts/db/migrate';
import { startNeonLocal } from '../scripts/neon-local/server';
import { systemPrelude, tenantPrelude } from '../src/db/context';
import { EMBEDDING_DIMENSIONS } from '../src/db/schema/knowledge';
import { EF_SEARCH, knowledgeBaseCountsQuery, searchSettings, upsertChunksQuery, vectorSearchQuery, type ChunkRow } from '../src/knowledge/knowledge.queries';
import { summarize, type LatencySummary } from './stats';
import { BENCH_DATABASE_URL } from './workerd';

/**
 * Vector search benchmark (figures, not pass/fail): recall@k of the API's HNSW query against an
 * exact scan of the same query, and the latency of both, on synthetic clustered embeddings of
 * several tenants sharing one table and one index. Run: `npm exec -- tsx bench/vector-search.ts
 * [--sizes 10000,100000] [--queries 50] [--ef-search 40,100,200] [--hnsw 24:128]`; records
 * bench/results/vector-search.json. `--hnsw m:ef_construction,…` adds index builds to compare with
 * the schema's (pgvector defaults m 16, ef_construction 64), which is always measured.
 *
 * The query is the API's own (src/knowledge/knowledge.queries.ts, `vectorSearchQuery`) under
 * the API's tenant context (app.client_id + SET LOCAL ROLE app_tenant, RLS) with its settings
 * (`searchSettings`: iterative scan relaxed_order, ef_search); the exact baseline is the same
 * batch with `enable_indexscan = off` (the planner then reads the tenant's rows and sorts).
 */

export interface VectorSearchBenchOptions {
  /** Total chunks in the table per run (all tenants together). */
  sizes: number[];
  tenants: number;
  /** Queries per tenant. */
  queries: number;
  /** Shared cluster centroids (tenants draw from the same clusters, so their rows interleave in the index). */
  clusters: number;
  /** Standard deviation of the per-dimension gaussian noise around a centroid (before normalizing). */
  noise: number;
  k: number;
  /** hnsw.ef_search values to measure (the API uses EF_SEARCH). */
  efSearch: number[];
  /** HNSW builds to compare with the schema's (m 16, ef_construction 64, always measured, last). */
  hnswVariants: HnswVariant[];
  /** Rows per insert statement during the load. */
  batchSize: number;
  seed: number;
  log: (line: string) => void;
}

const DEFAULTS: VectorSearchBenchOptions = {
  sizes: [10_000, 100_000],
  tenants: 2,
  queries: 50,
  clusters: 100,
  noise: 0.02,
  k: 10,
  efSearch: [40, EF_SEARCH, 200],
  hnswVariants: [{ m: 24, ef_construction: 128 }],
  batchSize: 500,
  seed: 42,
  log: (line) => console.log(line),
};

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const gaussian = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, gaussian, int: (n: number) => Math.floor(uniform() * n) };
}
type Rng = ReturnType<typeof prng>;

function normalize(v: Float64Array): Float64Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

function centroids(rng: Rng, count: number): Float64Array[] {
  return Array.from({ length: count }, () => normalize(Float64Array.from({ length: EMBEDDING_DIMENSIONS }, () => rng.gaussian())));
}

/** A point of cluster `c`: centroid + isotropic gaussian noise, normalized. */
function sample(rng: Rng, center: Float64Array, noise: number): Float64Array {
  const v = new Float64Array(EMBEDDING_DIMENSIONS);
  for (let i = 0; i < v.length; i++) v[i] = center[i]! + noise * rng.gaussian();
  return normalize(v);
}

/** pgvector text form at float32 precision. */
const literal = (v: Float64Array) => `[${Array.from(v, (x) => Number(x.toPrecision(7))).join(',')}]`;

type Db = ReturnType<typeof drizzle>;

async function batch(db: Db, statements: SQL[]): Promise<Record<string, unknown>[][]> {
  const results = await db.batch(statements.map((s) => db.execute(s)) as unknown as [BatchItem<'pg'>, ...BatchItem<'pg'>[]]);
  return results.map((r) => ((r as { rows?: unknown[] }).rows ?? []) as Record<string, unknown>[]);
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await action();
  return { value, ms: performance.now() - started };
}

interface Tenant {
  clientId: string;
  userId: string;
  kbId: string;
}

interface EfResult {
  ef_search: number;
  /** Whether the planner chose the HNSW index for the API's query at this ef_search (pgvector's cost estimate grows with it). */
  planner_uses_hnsw: boolean;
  recall_at_k: number;
  min_recall: number;
  /** Queries whose recall was below 0.5 (the search ended in the wrong region of the graph). */
  queries_below_half: number;
  /** Queries that returned fewer than k rows. */
  short_results: number;
  latency: LatencySummary;
  latency_to_exact_p50: number;
  /** When the planner did not choose the index: the same queries with the index forced (seq/bitmap scans and sorts disabled). */
  forced_index?: { recall_at_k: number; min_recall: number; latency: LatencySummary; latency_to_exact_p50: number };
}

export interface HnswVariant {
  m: number;
  ef_construction: number;
}

interface VariantResult {
  index: HnswVariant & { definition: string; is_schema_index: boolean };
  build_seconds: number;
  index_mb: number;
  plan_api_settings: string;
  by_ef_search: EfResult[];
}

export interface SizeResult {
  total_chunks: number;
  tenants: number;
  chunks_per_tenant: number;
  load_seconds: number;
  table_mb: number;
  plan_exact: string;
  queries_total: number;
  exact_latency: LatencySummary;
  variants: VariantResult[];
  /** API-shaped ingests (32 chunks, tenant context, counts refreshed) into one of these knowledge bases, schema index in place. */
  ingest_32_latency: LatencySummary;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const planText = (rows: Record<string, unknown>[] | undefined) =>
  (rows ?? [])
    .map((r) => String(r['QUERY PLAN']))
    .join('\n')
    .replace(/'\[[^\]]*\]'/g, "'[…]'");

async function runSize(total: number, o: VectorSearchBenchOptions): Promise<SizeResult> {
  // Building the HNSW index over 100k rows is one long statement: no statement deadline here.
  const server = await startNeonLocal({ statementTimeoutMs: 0 });
  try {
    const client: NeonQueryFunction<false, false> = connect({ databaseUrl: BENCH_DATABASE_URL, fetchEndpoint: server.sqlEndpoint });
    await applyMigrations(client);
    const db = drizzle({ client });
    const rng = prng(o.seed);
    const centers = centroids(rng, o.clusters);

    // Tenants (system path), one knowledge base each.
    const tenants: Tenant[] = Array.from({ length: o.tenants }, () => ({
      clientId: crypto.randomUUID(),
      userId: crypto.randomUUID(),
      kbId: crypto.randomUUID(),
    }));
    await batch(db, [
      ...systemPrelude(),
      ...tenants.flatMap((t, i) => [
        sql`insert into clients (id, name, slug, storage_prefix) values (${t.clientId}, ${`Bench ${i}`}, ${`bench-${i}-${t.clientId.slice(0, 8)}`}, ${`clients/bench-${t.clientId}/`})`,
        sql`insert into knowledge_bases (id, client_id, name, source_type) values (${t.kbId}, ${t.clientId}, 'Bench corpus', 'document')`,
      ]),
    ]);

    // Bulk load without the HNSW index (building it once afterwards is much faster than
    // maintaining it row by row); the schema's definition is re-created from pg_indexes.
    const [indexRows] = await batch(db, [sql`select indexdef from pg_indexes where indexname = 'knowledge_chunks_embedding_hnsw_idx'`]);
    const schemaIndex = String(indexRows![0]!.indexdef);
    await batch(db, [sql`drop index knowledge_chunks_embedding_hnsw_idx`]);

    const perTenant = Math.floor(total / o.tenants);
    const load = await timed(async () => {
      for (const t of tenants) {
        for (let start = 0; start < perTenant; start += o.batchSize) {
          const rows: ChunkRow[] = [];
          for (let i = start; i < Math.min(perTenant, start + o.batchSize); i++) {
            const cluster = rng.int(o.clusters);
            rows.push({
              chunk_index: i,
              content: `Synthetic chunk ${i} of topic ${cluster}.`,
              embedding: literal(sample(rng, centers[cluster]!, o.noise)),
              embedding_model: 'synthetic',
              token_count: 100,
              metadata: { tags: [`topic-${cluster % 10}`] },
            });
          }
          await batch(db, [...systemPrelude(), upsertChunksQuery(t.clientId, t.kbId, rows)]);
        }
        o.log(`  loaded ${perTenant} chunks for tenant ${t.clientId.slice(0, 8)}`);
      }
    });
    o.log(`  load: ${(load.ms / 1000).toFixed(1)} s`);
    await batch(db, [sql`analyze knowledge_chunks`]);
    const [tableSize] = await batch(db, [sql`select pg_total_relation_size('knowledge_chunks') / 1048576.0 as mb`]);

    // Queries: the same distribution as the data, not rows of it.
    const queries = tenants.flatMap((t) =>
      Array.from({ length: o.queries }, () => ({ tenant: t, vector: literal(sample(rng, centers[rng.int(o.clusters)]!, o.noise)) })),
    );
    const context = (t: Tenant) => tenantPrelude({ clientId: t.clientId, userId: t.userId, role: 'viewer' });
    const scope = (t: Tenant) => ({ clientId: t.clientId });
    const ef = (value: number) => sql`select set_config('hnsw.ef_search', ${String(value)}, true)`;
    const forceIndex = sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`;
    const exactOnly = sql`select set_config('enable_indexscan', 'off', true)`;
    /** The API's search batch: tenant context, the API's settings, then overrides, then the query. */
    const search = (t: Tenant, vector: string, overrides: SQL[], explain = false) =>
      batch(db, [
        ...context(t),
        searchSettings(o.k),
        ...overrides,
        explain ? sql`explain ${vectorSearchQuery(vector, o.k, scope(t))}` : vectorSearchQuery(vector, o.k, scope(t)),
      ]);
    const ids = (results: Record<string, unknown>[][]) => results.at(-1)!.map((r) => String(r.id));
    const first = queries[0]!;

    // Exact results and latency (no HNSW index exists yet, and index scans are off anyway).
    const planExact = planText((await search(first.tenant, first.vector, [exactOnly], true)).at(-1));
    for (const q of queries.slice(0, 3)) await search(q.tenant, q.vector, [exactOnly]);
    const exactSamples: number[] = [];
    const truth: string[][] = [];
    for (const q of queries) {
      const { value, ms } = await timed(() => search(q.tenant, q.vector, [exactOnly]));
      exactSamples.push(ms);
      truth.push(ids(value));
    }
    const exactLatency = summarize(exactSamples);
    o.log(`  exact: p50 ${exactLatency.p50_ms} ms, p95 ${exactLatency.p95_ms} ms`);

    const measure = async (overrides: SQL[]) => {
      for (const q of queries.slice(0, 3)) await search(q.tenant, q.vector, overrides);
      const samples: number[] = [];
      const recalls: number[] = [];
      let short = 0;
      for (const [i, q] of queries.entries()) {
        const { value, ms } = await timed(() => search(q.tenant, q.vector, overrides));
        samples.push(ms);
        const got = ids(value);
        if (got.length < o.k) short++;
        const expected = new Set(truth[i]);
        recalls.push(got.filter((id) => expected.has(id)).length / Math.max(1, expected.size));
      }
      const latency = summarize(samples);
      return {
        recall_at_k: round(recalls.reduce((a, b) => a + b, 0) / recalls.length),
        min_recall: Math.min(...recalls),
        queries_below_half: recalls.filter((r) => r < 0.5).length,
        short_results: short,
        latency,
        latency_to_exact_p50: round(latency.p50_ms / exactLatency.p50_ms),
      };
    };

    // The schema's index last, so the ingest measurement below runs against it.
    const variants = [...o.hnswVariants.map((v) => ({ ...v, schema: false })), { m: 16, ef_construction: 64, schema: true }];
    const variantResults: VariantResult[] = [];
    for (const variant of variants) {
      const definition = variant.schema
        ? schemaIndex
        : schemaIndex.replace(/\)\s*$/, `) WITH (m = ${variant.m}, ef_construction = ${variant.ef_construction})`);
      await batch(db, [sql`drop index if exists knowledge_chunks_embedding_hnsw_idx`]);
      const build = await timed(() => batch(db, [sql.raw(`set local maintenance_work_mem = '1500MB'`), sql.raw(definition)]));
      await batch(db, [sql`analyze knowledge_chunks`]);
      const [indexSize] = await batch(db, [sql`select pg_relation_size('knowledge_chunks_embedding_hnsw_idx') / 1048576.0 as mb`]);
      o.log(`  HNSW m=${variant.m} ef_construction=${variant.ef_construction}${variant.schema ? ' (schema)' : ''}: build ${(build.ms / 1000).toFixed(1)} s`);
      const byEf: EfResult[] = [];
      for (const value of o.efSearch) {
        const plan = planText((await search(first.tenant, first.vector, [ef(value)], true)).at(-1));
        const usesHnsw = plan.includes('knowledge_chunks_embedding_hnsw_idx');
        const natural = await measure([ef(value)]);
        const result: EfResult = { ef_search: value, planner_uses_hnsw: usesHnsw, ...natural };
        if (!usesHnsw) {
          const forced = await measure([ef(value), forceIndex]);
          result.forced_index = { recall_at_k: forced.recall_at_k, min_recall: forced.min_recall, latency: forced.latency, latency_to_exact_p50: forced.latency_to_exact_p50 };
        }
        byEf.push(result);
        o.log(
          `    ef_search ${value}${usesHnsw ? '' : ' (planner chose the exact plan)'}: recall@${o.k} ${result.recall_at_k} (min ${result.min_recall}, ` +
            `${result.queries_below_half} below 0.5), p50 ${result.latency.p50_ms} ms, p95 ${result.latency.p95_ms} ms, ${result.latency_to_exact_p50}× exact` +
            (result.forced_index ? ` | index forced: recall ${result.forced_index.recall_at_k}, p50 ${result.forced_index.latency.p50_ms} ms` : ''),
        );
      }
      variantResults.push({
        index: { m: variant.m, ef_construction: variant.ef_construction, definition, is_schema_index: variant.schema },
        build_seconds: round(build.ms / 1000, 1),
        index_mb: Math.round(Number(indexSize![0]!.mb)),
        plan_api_settings: planText((await search(first.tenant, first.vector, [], true)).at(-1)),
        by_ef_search: byEf,
      });
    }

    // API-shaped ingests into one of these large knowledge bases (HNSW insertion dominates).
    const ingestSamples: number[] = [];
    const t0 = tenants[0]!;
    for (let r = 0; r < 10; r++) {
      const rows: ChunkRow[] = Array.from({ length: 32 }, (_, j) => ({
        chunk_index: perTenant + r * 32 + j,
        content: `Ingested chunk ${j}.`,
        embedding: literal(sample(rng, centers[rng.int(o.clusters)]!, o.noise)),
        embedding_model: 'synthetic',
        token_count: 50,
        metadata: {},
      }));
      const { ms } = await timed(() =>
        batch(db, [...context(t0), upsertChunksQuery(t0.clientId, t0.kbId, rows), knowledgeBaseCountsQuery(t0.clientId, t0.kbId)]),
      );
      ingestSamples.push(ms);
    }

    return {
      total_chunks: perTenant * o.tenants,
      tenants: o.tenants,
      chunks_per_tenant: perTenant,
      load_seconds: round(load.ms / 1000, 1),
      table_mb: Math.round(Number(tableSize![0]!.mb)),
      plan_exact: planExact,
      queries_total: queries.length,
      exact_latency: exactLatency,
      variants: variantResults,
      ingest_32_latency: summarize(ingestSamples),
    };
  } finally {
    await server.close();
  }
}

export async function runVectorSearchBench(options: Partial<VectorSearchBenchOptions> = {}) {
  const o: VectorSearchBenchOptions = { ...DEFAULTS, ...options };
  const results: SizeResult[] = [];
  for (const size of o.sizes) {
    o.log(`size ${size}: ${o.tenants} tenants, ${o.clusters} clusters, noise ${o.noise}`);
    const started = performance.now();
    results.push(await runSize(size, o));
    o.log(`size ${size}: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return {
    bench: 'vector-search',
    recorded_at: new Date().toISOString(),
    node: process.version,
    database: 'local Neon-compatible server on PGlite (Postgres 18, WASM, single-threaded) with pgvector',
    settings: {
      k: o.k,
      tenants: o.tenants,
      queries_per_tenant: o.queries,
      clusters: o.clusters,
      noise_sd_per_dimension: o.noise,
      dimensions: EMBEDDING_DIMENSIONS,
      seed: o.seed,
      load_batch_rows: o.batchSize,
      schema_hnsw: { m: 16, ef_construction: 64, note: 'pgvector defaults, as in the schema (knowledge_chunks_embedding_hnsw_idx)' },
      hnsw_variants: o.hnswVariants,
      api_ef_search: EF_SEARCH,
      iterative_scan: 'relaxed_order',
      exact_baseline: 'the same query and batch with enable_indexscan = off',
      latency: 'wall time of one driver batch (HTTP round trip, tenant prelude, settings, query) from Node',
    },
    results,
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      tenants: { type: 'string' },
      queries: { type: 'string' },
      clusters: { type: 'string' },
      noise: { type: 'string' },
      'ef-search': { type: 'string' },
      'batch-size': { type: 'string' },
      /** e.g. "24:128,32:200" (m:ef_construction); "none" for the schema's index only. */
      hnsw: { type: 'string' },
      out: { type: 'string', default: join(import.meta.dirname, 'results', 'vector-search.json') },
    },
  });
  const list = (v: string | undefined) => v?.split(',').map(Number);
  const options: Partial<VectorSearchBenchOptions> = {
    ...(values.sizes ? { sizes: list(values.sizes)! } : {}),
    ...(values.tenants ? { tenants: Number(values.tenants) } : {}),
    ...(values.queries ? { queries: Number(values.queries) } : {}),
    ...(values.clusters ? { clusters: Number(values.clusters) } : {}),
    ...(values.noise ? { noise: Number(values.noise) } : {}),
    ...(values['ef-search'] ? { efSearch: list(values['ef-search'])! } : {}),
    ...(values['batch-size'] ? { batchSize: Number(values['batch-size']) } : {}),
    ...(values.hnsw
      ? {
          hnswVariants:
            values.hnsw === 'none'
              ? []
              : values.hnsw.split(',').map((pair) => {
                  const [m, efc] = pair.split(':').map(Number);
                  return { m: m!, ef_construction: efc! };
                }),
        }
      : {}),
  };
  const record = await runVectorSearchBench(options);
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`recorded ${values.out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`vector-search bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
