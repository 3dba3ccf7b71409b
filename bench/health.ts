import { connect } from '../scripts/db/connection';
import { applyMigrations } from '../scripts/db/migrate';
import { startNeonLocal } from '../scripts/neon-local/server';
import { summarize, timeEach } from './stats';
import { startWorker } from './worker-process';
import { BENCH_DATABASE_URL } from './workerd';

/**
 * Figures, not pass/fail. For /health: the database round trips per request (must be 1) and the
 * latency through the Worker (wrangler dev, workerd) against a raw driver query from Node to the
 * same local database, with and without a simulated edge→region round trip (the local server's
 * artificial latency). Records bench/results/health.json.
 */
export async function runHealthBench(requests: number, latencies: number[]) {
  const results = [];
  for (const latencyMs of latencies) {
    const db = await startNeonLocal({ latencyMs });
    const sql = connect({ databaseUrl: BENCH_DATABASE_URL, fetchEndpoint: db.sqlEndpoint });
    await applyMigrations(sql);
    const worker = await startWorker(db.sqlEndpoint);
    try {
      const health = async () => {
        const response = await fetch(`${worker.url}/health`);
        if (response.status !== 200) throw new Error(`/health answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      };
      const raw = () => sql`select now() as server_time, (select max(created_at) from drizzle.__drizzle_migrations) as last_migration`;
      await timeEach(20, health);
      await timeEach(20, raw);

      db.resetStats();
      const workerSamples = await timeEach(requests, health);
      const roundTrips = db.stats().requests / requests;
      const rawSamples = await timeEach(requests, raw);
      const figure = {
        simulated_db_latency_ms: latencyMs,
        health_db_round_trips_per_request: roundTrips,
        health_via_worker: summarize(workerSamples),
        raw_driver_query: summarize(rawSamples),
      };
      results.push(figure);
      console.log(
        `latency ${latencyMs} ms | /health round trips/request: ${roundTrips} | ` +
          `worker p50 ${figure.health_via_worker.p50_ms} ms p95 ${figure.health_via_worker.p95_ms} ms | ` +
          `raw driver p50 ${figure.raw_driver_query.p50_ms} ms p95 ${figure.raw_driver_query.p95_ms} ms`,
      );
    } finally {
      await worker.stop();
      await db.close();
    }
  }

  return {
    bench: 'health',
    recorded_at: new Date().toISOString(),
    node: process.version,
    requests_per_series: requests,
    note: 'Local stack: wrangler dev (workerd) → local Neon-compatible server (PGlite). Sequential requests.',
    results,
  };
}
