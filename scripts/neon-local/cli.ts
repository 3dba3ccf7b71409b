/**
 * Usage: tsx scripts/neon-local/cli.ts [--port N] [--data-dir DIR | --memory] [--latency-ms N] [--statement-timeout-ms N]
 * Then point the driver at it: neonConfig.fetchEndpoint = 'http://127.0.0.1:PORT/sql'.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startNeonLocal, type NeonLocalOptions } from './server.js';

const USAGE =
  'usage: tsx scripts/neon-local/cli.ts [--port N] [--host H] [--data-dir DIR | --memory] [--latency-ms N] [--statement-timeout-ms N (0 = none)] [--verbose]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function nonNegativeInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`${flag} must be a non-negative integer, got "${value}"`);
  return n;
}

function parseCliArgs() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        memory: { type: 'boolean' },
        'latency-ms': { type: 'string' },
        'statement-timeout-ms': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const args = parseCliArgs();
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.memory && args['data-dir'] !== undefined) fail('--data-dir and --memory are mutually exclusive');

const dataDir = args['data-dir'] === undefined ? undefined : resolve(args['data-dir']);
const port = nonNegativeInt('--port', args.port);
const latencyMs = nonNegativeInt('--latency-ms', args['latency-ms']);
const statementTimeoutMs = nonNegativeInt('--statement-timeout-ms', args['statement-timeout-ms']);
const options: NeonLocalOptions = {
  ...(dataDir !== undefined ? { dataDir } : {}),
  ...(port !== undefined ? { port } : {}),
  ...(args.host !== undefined ? { host: args.host } : {}),
  ...(latencyMs !== undefined ? { latencyMs } : {}),
  ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
  // Errors always go to stderr; lifecycle lines only with --verbose.
  log: (line) => {
    if (args.verbose || line.includes('error')) process.stderr.write(`${line}\n`);
  },
};

const server = await startNeonLocal(options);
process.stdout.write(`neon-local listening on ${server.url} (data: ${dataDir ?? 'memory'})\n`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (args.verbose) process.stderr.write(`neon-local: ${signal}, shutting down\n`);
  try {
    await server.close();
    process.exit(0);
  } catch (error) {
    process.stderr.write(`neon-local: error during shutdown: ${String(error)}\n`);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
