import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildWorker, localBindings, spawnWorkerd, WORKER_ROOT, writeWorkerdConfig } from './workerd';
import { freePort } from './worker-process';

const run = promisify(execFile);

/**
 * The Worker's bundle as deployed and its startup cost (figures, not pass/fail):
 * - size: `npm run build`'s output (wrangler.toml's settings: minified, aliases), raw and gzip,
 *   as wrangler reports it for the upload and as gzip of the file here;
 * - startup CPU: the CPU time workerd spends compiling and evaluating the bundle's top level
 *   (imports, schema construction, route registration), as CPU time of the workerd process
 *   (so the machine's other load does not inflate it), against the same workerd with an empty
 *   module: a wrapper module imports the bundle on request, as `wrangler check startup` does;
 * - `wrangler check startup`'s own figure (its "Active" time: wall-clock sampling, which the
 *   machine's other load inflates), for comparison with the issue's measurement.
 * Records bench/results/bundle.json.
 */

const GOAL_GZIP_KIB = 200;
const GOAL_STARTUP_MS = 50;

/**
 * CPU time of a process so far, in milliseconds, from the scheduler's nanosecond counters: of its
 * main thread (where workerd runs the isolate) and of all its threads (V8's compiler and garbage
 * collector threads as well).
 */
function processCpuMs(pid: number): { main: number; all: number } {
  const ms = (task: string) => {
    try {
      return Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      return 0; // a thread that ended meanwhile
    }
  };
  return { main: ms(String(pid)), all: readdirSync(`/proc/${pid}/task`).reduce((sum, task) => sum + ms(task), 0) };
}

interface ColdStart {
  /** CPU until workerd listens (loading and compiling the modules). */
  load: { main: number; all: number };
  /** CPU of the request that imports the bundle (evaluating its top level). */
  top_level: { main: number; all: number };
  /** CPU of the bundle's first request. */
  first_request: { main: number; all: number };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** The first request of the measurement: a tenant route without a token (401, no database work). */
const FIRST_REQUEST = '/v1/posts';

/**
 * One cold start: workerd with a wrapper module (and the bundle beside it when `withBundle`),
 * the CPU it spent until listening, on a request that imports the bundle, and on the bundle's
 * first request (`FIRST_REQUEST`: what the isolate still builds on first use, its area of routes).
 */
export async function coldStart(
  dir: string,
  withBundle: boolean,
  /** Called before the import with the inspector's port (the Worker is inspected then); what it returns, after. */
  inspect?: (inspectorPort: number) => Promise<() => Promise<void>>,
): Promise<ColdStart> {
  const port = await freePort();
  const inspectorPort = inspect ? await freePort() : undefined;
  writeFileSync(
    join(dir, 'startup.js'),
    `export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    ${withBundle ? "if (path === '/import') await import('./index.js');" : ''}
    ${withBundle ? `if (path === '/first') return (await import('./index.js')).default.fetch(new Request('http://api${FIRST_REQUEST}'), env, ctx);` : ''}
    return new Response('ok');
  },
};
`,
  );
  const modules = withBundle ? ['startup.js', 'index.js'] : ['startup.js'];
  const config = writeWorkerdConfig(dir, 'startup', port, modules, localBindings('http://127.0.0.1:9/sql'));
  const child = spawnWorkerd(config, inspectorPort, 'ignore');
  try {
    while (!(await listening(port))) {
      if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const loaded = processCpuMs(child.pid!);
    // The first request of an isolate costs workerd work of its own: pay it before measuring.
    await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const after = inspectorPort ? await inspect?.(inspectorPort) : undefined;
    const before = processCpuMs(child.pid!);
    await (await fetch(`http://127.0.0.1:${port}/import`)).text();
    const imported = processCpuMs(child.pid!);
    await after?.();
    const first = await fetch(`http://127.0.0.1:${port}/first`);
    await first.arrayBuffer();
    if (withBundle && first.status !== 401) throw new Error(`the first request answered ${first.status}, not 401`);
    const served = processCpuMs(child.pid!);
    const minus = (a: { main: number; all: number }, b: { main: number; all: number }) => ({ main: a.main - b.main, all: a.all - b.all });
    return { load: loaded, top_level: minus(imported, before), first_request: minus(served, imported) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** `wrangler check startup`: the figure it prints as "Active" (ms), or null when it cannot run here. */
async function wranglerCheckStartup(dir: string): Promise<number | null> {
  try {
    const { stdout } = await run('wrangler', ['check', 'startup', '--outfile', join(dir, 'startup.cpuprofile')], {
      cwd: WORKER_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const active = /Active: ([\d.]+) ms/.exec(stdout);
    return active ? Number(active[1]) : null;
  } catch {
    return null;
  }
}

/**
 * What the bundle is made of: minified bytes by package (`src/<area>` for the Worker's own code),
 * from esbuild's metafile, largest first. Shares of the raw bundle; gzip compresses them alike
 * enough that a share of the raw size is about that share of the gzip size.
 */
function composition(metafile: string, script: string) {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const output = Object.entries(meta.outputs).find(([path]) => path.endsWith('index.js'))?.[1];
  if (!output) return [];
  const byPart = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const inModules = input.lastIndexOf('node_modules/');
    const parts = (inModules >= 0 ? input.slice(inModules + 'node_modules/'.length) : input.replace(/^.*?src\//, 'src/')).split('/');
    const part = inModules >= 0 ? parts.slice(0, parts[0]!.startsWith('@') ? 2 : 1).join('/') : parts.slice(0, 2).join('/');
    byPart.set(part, (byPart.get(part) ?? 0) + bytesInOutput);
  }
  const total = statSync(script).size;
  return [...byPart]
    .sort((a, b) => b[1] - a[1])
    .map(([part, bytes]) => ({ part, kib: Math.round((bytes / 1024) * 10) / 10, share: Math.round((bytes / total) * 1000) / 1000 }));
}

export async function runBundleBench(options: { runs: number; log: (line: string) => void }) {
  const build = await buildWorker();
  try {
    const bytes = readFileSync(build.script);
    const gzipKiB = Math.round((gzipSync(bytes).byteLength / 1024) * 100) / 100;
    options.log(
      `bundle: ${(statSync(build.script).size / 1024).toFixed(2)} KiB, gzip ${gzipKiB} KiB ` +
        `(wrangler: ${build.reportedKiB?.raw} KiB / gzip ${build.reportedKiB?.gzip} KiB)`,
    );

    const parts = composition(build.metafile, build.script);
    options.log(
      `made of (minified KiB, share): ${parts
        .slice(0, 10)
        .map((p) => `${p.part} ${p.kib} (${Math.round(p.share * 100)}%)`)
        .join(', ')}`,
    );

    const withBundle: ColdStart[] = [];
    const empty: ColdStart[] = [];
    for (let i = 0; i < options.runs; i++) {
      withBundle.push(await coldStart(build.dir, true));
      empty.push(await coldStart(build.dir, false));
    }
    // The bundle's share: the medians with it less the medians with an empty module.
    const share = (phase: keyof ColdStart, thread: 'main' | 'all') =>
      round(median(withBundle.map((r) => r[phase][thread])) - median(empty.map((r) => r[phase][thread])));
    const startup = (thread: 'main' | 'all') => ({
      total_ms: round(share('load', thread) + share('top_level', thread)),
      load_ms: share('load', thread),
      top_level_ms: share('top_level', thread),
      // Not startup: what the first request then costs (a plain request costs about 1 ms).
      first_request_ms: share('first_request', thread),
    });
    const main = startup('main');
    const all = startup('all');
    options.log(
      `startup CPU: ${main.total_ms} ms on the isolate's thread (loading ${main.load_ms} ms, top level ${main.top_level_ms} ms), ` +
        `${all.total_ms} ms with V8's helper threads; then the first request (GET ${FIRST_REQUEST}, 401) ` +
        `${main.first_request_ms} ms; median of ${options.runs}`,
    );

    const checks: number[] = [];
    for (let i = 0; i < 3; i++) {
      const active = await wranglerCheckStartup(build.dir);
      if (active !== null) checks.push(active);
    }
    const check = checks.length ? round(median(checks)) : null;
    options.log(`wrangler check startup: Active ${check ?? 'n/a'} ms (median of ${checks.length}; wall-clock sampling)`);

    const gzip = build.reportedKiB?.gzip ?? gzipKiB;
    return {
      bench: 'bundle',
      recorded_at: new Date().toISOString(),
      goal: `≤ ${GOAL_GZIP_KIB} KiB gzip as deployed, startup CPU ≤ ${GOAL_STARTUP_MS} ms`,
      goal_met: gzip <= GOAL_GZIP_KIB && main.total_ms <= GOAL_STARTUP_MS,
      size: {
        raw_kib: Math.round((bytes.byteLength / 1024) * 100) / 100,
        gzip_kib: gzipKiB,
        wrangler_reported_kib: build.reportedKiB,
        composition: parts,
      },
      startup_cpu: {
        isolate_thread: main,
        all_threads: all,
        runs: options.runs,
        method:
          'CPU time of workerd (/proc schedstat) with the bundle less with an empty module: until listening (loading and ' +
          'compiling) plus one request that imports the bundle (evaluating its top level), as `wrangler check startup` ' +
          'does; medians. The isolate thread is what a Worker\'s startup limit counts. first_request_ms: the CPU of the ' +
          `bundle's first request after that (GET ${FIRST_REQUEST} without a token, 401), less an empty module's request.`,
      },
      wrangler_check_startup_active_ms: check,
    };
  } finally {
    build.remove();
  }
}
