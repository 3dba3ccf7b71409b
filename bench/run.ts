import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runHealthBench } from './health';
import { runVectorSearchBench } from './vector-search';

/**
 * `npm run bench`: every benchmark, figures recorded in bench/results/ (never timed assertions in
 * tests). `npm run bench -- --sizes 10000,100000` for the full vector search run (about 25 minutes
 * here: PGlite is single-threaded WASM); `--only health` or `--only vector` for one of them.
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

if (values.only !== 'vector') {
  record('health', await runHealthBench(Number(values.requests), values.latencies.split(',').map(Number)));
}
if (values.only !== 'health') {
  record('vector-search', await runVectorSearchBench({ sizes: values.sizes.split(',').map(Number) }));
}
