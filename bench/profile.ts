import { readFileSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { parseArgs } from 'node:util';
import { routeCases, send } from './overhead';
import { coldStart } from './bundle';
import { startStack } from './stack';
import { buildWorker } from './workerd';

/**
 * A CPU profile of the Worker serving one route (a tool, not a recorded figure): the route's
 * requests run against the Worker in workerd with the DevTools profiler on, and the samples are
 * summed by package or source area (through the bundle's source map) and by function.
 *
 *   npm exec -- tsx bench/profile.ts --route "brand-kit list" [--requests 300] [--out x.cpuprofile]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One DevTools protocol session over the inspector's WebSocket. */
async function devtools(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  return {
    send: <T = unknown>(method: string, params: Record<string, unknown> = {}) =>
      new Promise<T>((resolve) => {
        const id = ++next;
        pending.set(id, resolve as (result: unknown) => void);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/** Where a bundle position comes from: `node_modules/<package>` or `src/<area>`. */
function originOf(map: SourceMap, line: number, column: number): string {
  const entry = map.findEntry(line, column) as { originalSource?: string };
  const source = entry.originalSource ?? '';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  // drizzle-orm's own source maps name its files `src/…`.
  if (pkg) return pkg[1] === 'src' ? 'drizzle-orm' : pkg[1]!;
  const area = /src\/([^/]+)/.exec(source);
  return area ? `src/${area[1]}` : source || '(bundle)';
}

const SAMPLING_INTERVAL_US = 100;
const MAX_SAMPLE_US = 10 * SAMPLING_INTERVAL_US;

export function summarizeProfile(profile: CpuProfile, map: SourceMap | undefined, top = 25) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let active = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!.callFrame;
    // A sample lasts until the next one; a long gap is the isolate waiting (I/O), not running, so
    // a sample counts at most a few sampling intervals.
    const ms = Math.min(profile.timeDeltas[i + 1] ?? 0, MAX_SAMPLE_US) / 1000;
    if (frame.functionName === '(idle)') return;
    active += ms;
    const origin = frame.url.endsWith('index.js') && map ? originOf(map, frame.lineNumber, frame.columnNumber) : frame.functionName || frame.url;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + ms);
    const name = `${frame.functionName || '(anonymous)'} ${origin}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  });
  const share = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10, share: Math.round((ms / active) * 1000) / 10 }));
  return { active_ms: Math.round(active * 10) / 10, by_origin: share(byOrigin), by_function: share(byFunction) };
}

/** Profiles the evaluation of the bundle's top level (`--startup`). */
async function profileStartup(out: string | undefined, dir?: string) {
  const build = dir ? { dir, script: `${dir}/index.js`, remove: () => {} } : await buildWorker();
  try {
    let profile: CpuProfile | undefined;
    await coldStart(build.dir, true, async (port) => {
      const session = await devtools(`ws://127.0.0.1:${port}/startup`);
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
      await session.send('Profiler.start');
      return async () => {
        ({ profile } = await session.send<{ profile: CpuProfile }>('Profiler.stop'));
        session.close();
      };
    });
    if (out) writeFileSync(out, JSON.stringify(profile));
    const map = new SourceMap(JSON.parse(readFileSync(`${build.script}.map`, 'utf8')) as SourceMapPayload);
    print('startup', summarizeProfile(profile!, map, 40));
  } finally {
    build.remove();
  }
}

function print(title: string, summary: ReturnType<typeof summarizeProfile>) {
  console.log(`${title}: ${summary.active_ms} ms sampled`);
  for (const row of summary.by_origin) console.log(`${String(row.share).padStart(5)}% ${String(row.ms).padStart(8)} ms  ${row.name}`);
  console.log('--- functions');
  for (const row of summary.by_function) console.log(`${String(row.share).padStart(5)}% ${String(row.ms).padStart(8)} ms  ${row.name}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      route: { type: 'string', default: 'brand-kit list' },
      requests: { type: 'string', default: '300' },
      out: { type: 'string' },
      startup: { type: 'boolean', default: false },
      /** With --startup: a bundle already built (its index.js and index.js.map). */
      dir: { type: 'string' },
    },
  });
  if (values.startup) return profileStartup(values.out, values.dir);
  const requests = Number(values.requests);
  const stack = await startStack(0, { inspect: true });
  try {
    const route = (await routeCases(stack, requests)).find((r) => r.name === values.route);
    if (!route) throw new Error(`no route named "${values.route}"`);
    const keys = route.keys ? await route.keys(requests + 20) : Array.from({ length: requests + 20 }, () => '');
    for (const key of keys.slice(0, 20)) await send(stack.api, stack.headers, route.request(key));
    const session = await devtools(stack.inspector!);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.send('Profiler.start');
    const started = performance.now();
    for (const key of keys.slice(20)) await send(stack.api, stack.headers, route.request(key));
    const elapsed = performance.now() - started;
    const { profile } = await session.send<{ profile: CpuProfile }>('Profiler.stop');
    session.close();
    if (values.out) writeFileSync(values.out, JSON.stringify(profile));
    const map = new SourceMap(JSON.parse(readFileSync(`${stack.build.script}.map`, 'utf8')) as SourceMapPayload);
    const summary = summarizeProfile(profile, map);
    print(`${route.name}: ${requests} requests in ${elapsed.toFixed(0)} ms; Worker CPU ${(summary.active_ms / requests).toFixed(2)} ms/request`, summary);
  } finally {
    await stack.close();
  }
}

await main();
