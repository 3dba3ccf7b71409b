import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBundleBench } from './bundle';
import { runHealthBench } from './health';
import { runIngestBench } from './ingest';
import { runLoadBench } from './load';
import { runMcpBench } from './mcp';
import { runOverheadBench } from './overhead';
import { runRetentionBench } from './retention';
import { runVectorSearchBench } from './vector-search';
import { runWebhooksBench } from './webhooks';

/**
 * `npm run bench`: every benchmark, figures recorded in bench/results/ (never timed assertions in
 * tests). `npm run bench -- --sizes 10000,100000` for the full vector search run (about 25 minutes
 * here: PGlite is single-threaded WASM); `--only health|vector|overhead|bundle|load|ingest|mcp|webhooks|retention` for one of them.
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    requests: { type: 'string', default: '200' },
    latencies: { type: 'string', default: '0,20' },
    sizes: { type: 'string', default: '10000' },
  },
});
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const record = (name: string, figures: unknown) => {
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`recorded bench/results/${name}.json`);
};

const runs = (part: string) => values.only === undefined || values.only === part;

if (runs('health')) {
  record('health', await runHealthBench(Number(values.requests), values.latencies.split(',').map(Number)));
}
if (runs('vector')) {
  record('vector-search', await runVectorSearchBench({ sizes: values.sizes.split(',').map(Number) }));
}
if (runs('overhead')) {
  record('overhead', await runOverheadBench({ latencyMs: 20, requests: 100, warmup: 10, log: console.log }));
}
if (runs('bundle')) record('bundle', await runBundleBench({ runs: 7, log: console.log }));
if (runs('load')) record('load', await runLoadBench({ seconds: 25, connections: [10, 50], latencyMs: 20, log: console.log }));
if (runs('mcp')) record('mcp', await runMcpBench({ latencyMs: 20, requests: 100, warmup: 10, log: console.log }));
if (runs('ingest')) record('ingest', await runIngestBench());
if (runs('retention')) record('retention', await runRetentionBench({ posts: 100_000, log: console.log }));
if (runs('webhooks')) record('webhooks', await runWebhooksBench({ log: console.log }));
