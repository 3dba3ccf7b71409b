import { execFile, spawn, type StdioOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './worker-process';

export const ROOT = resolve(import.meta.dirname, '..');
/**
 * The checkout whose Worker is built: this one, or another given in BENCH_WORKER_ROOT (e.g. an
 * export of an earlier commit with node_modules linked, for before/after figures).
 */
export const WORKER_ROOT = process.env.BENCH_WORKER_ROOT ? resolve(process.env.BENCH_WORKER_ROOT) : ROOT;
/** The workerd binary wrangler itself runs (its own dependency, whatever else is installed). */
const fromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
export const WORKERD = (fromWrangler('workerd') as { default: string }).default;
const run = promisify(execFile);

/** Bench-only signing key, passed to the Worker as JWT_SECRET. */
export const BENCH_JWT_SECRET = 'bench-only-secret-0123456789abcdef0123';
export const BENCH_DATABASE_URL = 'postgresql://app:app@localhost/neondb';

export interface WorkerBuild {
  dir: string;
  /** The bundle as `npm run build` writes it (wrangler.toml's settings: minify, aliases). */
  script: string;
  /** esbuild's metafile of that build: which input put how many bytes in the bundle. */
  metafile: string;
  /** Wrangler's own figure of the upload ("Total Upload: … KiB / gzip: … KiB"), in KiB. */
  reportedKiB: { raw: number; gzip: number } | null;
  remove(): void;
}

/** Bundles the Worker exactly as `npm run build` does (`wrangler deploy --dry-run`), into a temporary directory. */
export async function buildWorker(): Promise<WorkerBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-worker-'));
  const { stdout } = await run('wrangler', ['deploy', '--dry-run', '--outdir', dir, '--env=', '--metafile', join(dir, 'meta.json')], {
    cwd: WORKER_ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  return {
    dir,
    script: join(dir, 'index.js'),
    metafile: join(dir, 'meta.json'),
    reportedKiB: match ? { raw: Number(match[1]), gzip: Number(match[2]) } : null,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `compatibility_date` and `compatibility_flags` of wrangler.toml, so workerd runs the Worker as deployed. */
export function compatibility(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(WORKER_ROOT, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!date) throw new Error('wrangler.toml has no compatibility_date');
  return { compatibilityDate: date, compatibilityFlags: [...(flags ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!) };
}

/**
 * Writes a workerd configuration, `<dir>/<name>.capnp`: one module Worker `name` of `modules`
 * (files in `dir`, the first its main module) with wrangler.toml's compatibility settings and
 * `bindings` as text bindings, listening on 127.0.0.1:`port`, its fetches going straight to the
 * network (local addresses included). Returns the file's path.
 */
export function writeWorkerdConfig(dir: string, name: string, port: number, modules: string[], bindings: Record<string, string>): string {
  const { compatibilityDate, compatibilityFlags } = compatibility();
  const text = (value: string) => JSON.stringify(value);
  const config = join(dir, `${name}.capnp`);
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = ${text(name)}, worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = ${text(name)})],
);
const worker :Workerd.Worker = (
  modules = [${modules.map((module) => `(name = ${text(module)}, esModule = embed ${text(module)})`).join(', ')}],
  compatibilityDate = ${text(compatibilityDate)},
  compatibilityFlags = [${compatibilityFlags.map(text).join(', ')}],
  bindings = [${Object.entries(bindings).map(([key, value]) => `(name = ${text(key)}, text = ${text(value)})`).join(', ')}],
);
`,
  );
  return config;
}

/** `workerd serve` of a configuration, with the DevTools protocol on `inspectorPort` when given. */
export function spawnWorkerd(config: string, inspectorPort: number | undefined, stdio: StdioOptions) {
  return spawn(WORKERD, ['serve', config, ...(inspectorPort ? ['--inspector-addr', `127.0.0.1:${inspectorPort}`] : [])], { stdio });
}

export interface Workerd {
  /** The Worker's socket in workerd: nothing between the caller and the Worker, nor between it and the database. */
  url: string;
  /** The DevTools protocol endpoint of the Worker's isolate, when started with `inspect`. */
  inspector: string | undefined;
  stop(): Promise<void>;
}

/**
 * Runs a built bundle in workerd itself (`workerd serve`, the binary wrangler and Miniflare drive),
 * configured as production runs it: a module Worker with the compatibility settings of
 * wrangler.toml and `bindings` as its vars and secrets, its fetches going straight to the
 * network. No `wrangler dev` proxy in front and no Miniflare interceptor behind (Miniflare routes
 * every outbound fetch through a worker of its own). The R2 bucket is not bound: the routes
 * benchmarked do not use it.
 */
export async function startWorkerd(script: string, bindings: Record<string, string>, options: { inspect?: boolean } = {}): Promise<Workerd> {
  const port = await freePort();
  const inspectorPort = options.inspect ? await freePort() : undefined;
  const config = writeWorkerdConfig(dirname(script), 'api', port, [basename(script)], bindings);
  const child = spawnWorkerd(config, inspectorPort, ['ignore', 'pipe', 'pipe']);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited:\n${output}`);
    // Any answer will do (an unknown path is a 404 that touches no database).
    if (await fetch(`${url}/_bench_ready`).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`workerd did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    inspector: inspectorPort ? `ws://127.0.0.1:${inspectorPort}/api` : undefined,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The Worker's bindings against a local database server (development settings, warnings only in the log). */
export function localBindings(sqlEndpoint: string): Record<string, string> {
  return {
    ENVIRONMENT: 'development',
    DATABASE_URL: BENCH_DATABASE_URL,
    NEON_FETCH_ENDPOINT: sqlEndpoint,
    LOG_LEVEL: 'warn',
    JWT_SECRET: BENCH_JWT_SECRET,
  };
}
