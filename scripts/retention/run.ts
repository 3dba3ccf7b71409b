import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createSystemExecutor } from '../../src/db/executor';
import { loadEnv } from '../../src/env';
import { DATASETS, type Dataset } from '../../src/jobs/retention/policy';
import { runRetention } from '../../src/jobs/retention/retention';
import { readDevVars, targetFromEnv } from '../db/connection';
import { localBucket } from './local';

/**
 * `npm run retention:run [-- --max-batches 25] [--dataset posts] [--now 2027-01-01T00:00:00Z]`:
 * the Cron Trigger's policy run from here, against the local database and the local R2 bucket of
 * `wrangler dev`, on the same system path. Prints the summary.
 */
async function main() {
  const { values } = parseArgs({
    options: { 'max-batches': { type: 'string' }, dataset: { type: 'string', multiple: true }, now: { type: 'string' } },
  });
  const target = targetFromEnv();
  const config = loadEnv({ ...readDevVars(), ENVIRONMENT: 'development', DATABASE_URL: target.databaseUrl, NEON_FETCH_ENDPOINT: target.fetchEndpoint ?? '' });
  const datasets = values.dataset?.map((d) => {
    if (!DATASETS.includes(d as Dataset)) throw new Error(`--dataset must be one of ${DATASETS.join(', ')}`);
    return d as Dataset;
  });
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error('--now must be an ISO 8601 instant');
  const { bucket, dispose } = await localBucket();
  try {
    const summary = await runRetention(createSystemExecutor(config), now, {
      bucket,
      ...(values['max-batches'] ? { maxBatches: Number(values['max-batches']) } : {}),
      ...(datasets ? { datasets } : {}),
    });
    console.log(JSON.stringify(summary, null, 2));
    if (summary.errors.length > 0) process.exitCode = 1;
  } finally {
    await dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`retention run failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
