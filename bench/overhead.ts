import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { neon, neonConfig } from '@neondatabase/serverless';
import { topicEmbedding } from '../scripts/db/seed-data';
import { call, startStack, type Stack } from './stack';
import { summarize } from './stats';
import { BENCH_DATABASE_URL, localBindings, startWorkerd } from './workerd';

/**
 * API overhead (figures, not pass/fail): each route's latency through the Worker in workerd
 * (its own socket, no `wrangler dev` proxy) against the identical database batch sent with
 * `@neondatabase/serverless` from Node, with `latencyMs` of simulated edge→region latency on
 * every database request. "Identical": a capturing proxy in front of the local database records
 * the one batch a request of the route sends (statements, parameters, transaction headers), and
 * the driver replays it. Writes use a fresh key per request on both sides (new posts, another
 * pending reply), so both do the same work. API and driver requests alternate, so drift of the
 * machine's load hits both. Records bench/results/overhead.json.
 */

interface RouteRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

interface RouteCase {
  name: string;
  requests: number;
  /** Keys of fixed length, one per request, for routes that write (fresh posts, another reply). */
  keys?: (count: number) => Promise<string[]>;
  request(key: string): RouteRequest;
  /** A value the Worker generated for the captured request (a new row's id): each replay gets a fresh one. */
  generated?: (response: unknown) => string;
}

interface CapturedBatch {
  queries: { query: string; params: unknown[] }[];
  body: string;
  readOnly: boolean;
  isolationLevel: string | undefined;
  deferrable: boolean;
}

export interface OverheadOptions {
  latencyMs: number;
  /** Timed requests per read route (writes of 1,000 posts use a tenth). */
  requests: number;
  warmup: number;
  /** Only the routes whose names contain one of these (all when empty). */
  routes?: string[];
  log: (line: string) => void;
}

const GOAL_RATIO = 1.25;

/** A capturing proxy in front of the local database: records the SQL-over-HTTP requests passing through. */
export async function startCapture(target: string): Promise<{ endpoint: string; take(): CapturedBatch[]; close(): Promise<void> }> {
  let seen: CapturedBatch[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      const header = (name: string) => req.headers[name] as string | undefined;
      const parsed = JSON.parse(body) as { queries?: CapturedBatch['queries']; query?: string; params?: unknown[] };
      seen.push({
        queries: parsed.queries ?? [{ query: parsed.query ?? '', params: parsed.params ?? [] }],
        body,
        readOnly: header('neon-batch-read-only') === 'true',
        isolationLevel: header('neon-batch-isolation-level'),
        deferrable: header('neon-batch-deferrable') === 'true',
      });
      const forwarded: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (name.startsWith('neon-') || name === 'content-type') forwarded[name] = String(value);
      }
      const response = await fetch(target, { method: 'POST', headers: forwarded, body });
      const payload = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, { 'content-type': 'application/json', 'content-length': payload.length });
      res.end(payload);
    })().catch((error: unknown) => {
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/sql`,
    take: () => {
      const out = seen;
      seen = [];
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function send(url: string, headers: Record<string, string>, r: RouteRequest): Promise<unknown> {
  const response = await fetch(`${url}${r.path}`, {
    method: r.method,
    headers,
    ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${r.method} ${r.path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** Fixed-length keys unique in the run: `p` + 10 digits. */
let keySequence = 0;
const sequentialKeys = async (count: number) =>
  Array.from({ length: count }, () => `bk${String(++keySequence).padStart(10, '0')}`);

const postsBody = (key: string, count: number) => ({
  platform: 'twitter',
  posts: Array.from({ length: count }, (_, i) => ({
    platform_post_id: `${key}-${i}`,
    author: { platform_id: `${key}-a${i}`, handle: `bench_${i}`, follower_count: 100 + i },
    content: `Anything that actually helps with insomnia? Tried everything. (${i})`,
    keyword_matches: ['insomnia'],
    keyword_categories: ['problem'],
  })),
});

/** The ten routes of the measurement, with the data each needs. */
export async function routeCases(stack: Stack, requests: number): Promise<RouteCase[]> {
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const posts = await call<{ data: { id: string }[] }>(stack, 'GET', '/v1/posts?limit=1');
  const seededPost = posts.data[0]!.id;

  // A post with a decision: replies are drafted on it, and the approvals approve them.
  const ingested = await call<{ posts: { id: string }[] }>(stack, 'POST', '/v1/posts/bulk', postsBody('bench-target', 1));
  const decision = await call<{ id: string }>(stack, 'POST', `/v1/posts/${ingested.posts[0]!.id}/decisions`, {
    sss_score: 0.9, ars_score: 0.5, evs_score: 0.7, trs_score: 0.8, composite_score: 0.74, mode: 'helpful', archetype: 'checklist',
  });
  const draftPath = `/v1/decisions/${decision.id}/replies`;
  const draftBody = { content: 'A steady bedtime and a dark, cool room help many people. —Antone (Vita)', utm_code: 'bench' };
  const pendingReplies = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await call<{ id: string }>(stack, 'POST', draftPath, draftBody)).id);
    return ids;
  };
  const embedding = topicEmbedding(1, 7);

  return [
    { name: 'health', requests, request: () => ({ method: 'GET', path: '/health' }) },
    { name: 'brand-kit list', requests, request: () => ({ method: 'GET', path: '/v1/brand-kits' }) },
    { name: 'post by id', requests, request: () => ({ method: 'GET', path: `/v1/posts/${seededPost}` }) },
    {
      name: 'bulk ingest 1 post',
      requests,
      keys: sequentialKeys,
      request: (key) => ({ method: 'POST', path: '/v1/posts/bulk', body: postsBody(key, 1) }),
    },
    {
      name: 'bulk ingest 1,000 posts',
      requests: Math.max(10, Math.round(requests / 10)),
      keys: sequentialKeys,
      request: (key) => ({ method: 'POST', path: '/v1/posts/bulk', body: postsBody(key, 1000) }),
    },
    {
      name: 'draft reply',
      requests,
      request: () => ({ method: 'POST', path: draftPath, body: draftBody }),
      generated: (response) => (response as { id: string }).id,
    },
    {
      name: 'approve reply',
      requests,
      keys: pendingReplies,
      request: (id) => ({ method: 'POST', path: `/v1/replies/${id}/approve` }),
    },
    {
      name: 'hybrid knowledge search',
      requests,
      request: () => ({ method: 'POST', path: '/v1/knowledge/search', body: { mode: 'hybrid', embedding, query: 'magnesium sleep', k: 10 } }),
    },
    {
      name: 'KPI series',
      requests,
      request: () => ({
        method: 'GET',
        path: `/v1/kpi-metrics/series?metric_type=engagement&metric_name=replies_posted&platform=twitter&from=${weekAgo}&to=${today}`,
      }),
    },
    { name: 'audit logs', requests, request: () => ({ method: 'GET', path: '/v1/audit-logs' }) },
  ];
}

export async function runOverheadBench(options: OverheadOptions) {
  const { latencyMs, warmup, log } = options;
  // A 1,000-post ingest can take the stand-in seconds: the deadline must not turn it into a 503 here.
  const stack = await startStack(latencyMs, { bindings: { DB_TIMEOUT_MS: '60000' } });
  // The driver from Node with the Worker's own settings for its client: results as full results.
  const sql = neon(BENCH_DATABASE_URL, { fullResults: true });
  const replay = (batch: CapturedBatch, body: string) => {
    const sent = JSON.parse(body) as { queries?: { query: string; params: unknown[] }[]; query: string; params: unknown[] };
    const { queries } = sent;
    // A single statement (`/health`) is sent as one, not as a batch.
    if (!queries) return sql.query(sent.query, sent.params);
    return sql.transaction(
      queries.map((q) => sql.query(q.query, q.params)),
      {
        readOnly: batch.readOnly,
        deferrable: batch.deferrable,
        ...(batch.isolationLevel ? { isolationLevel: batch.isolationLevel as 'ReadCommitted' } : {}),
      },
    );
  };

  const results = [];
  try {
    const cases = (await routeCases(stack, options.requests)).filter(
      (route) => !options.routes?.length || options.routes.some((name) => route.name.includes(name)),
    );
    const capture = await startCapture(stack.db.sqlEndpoint);
    const capturing = await startWorkerd(stack.build.script, localBindings(capture.endpoint));
    const prepared = [];
    try {
      for (const route of cases) {
        const total = 2 * (warmup + route.requests) + 1;
        const keys = route.keys ? await route.keys(total) : Array.from({ length: total }, () => '');
        const [captureKey, ...rest] = keys as [string, ...string[]];
        capture.take();
        const response = await send(capturing.url, stack.headers, route.request(captureKey));
        const batches = capture.take();
        if (batches.length !== 1) throw new Error(`${route.name}: ${batches.length} database requests, expected 1`);
        const batch = batches[0]!;
        const generated = route.generated?.(response);
        const freshBody = () => (generated ? batch.body.replaceAll(generated, crypto.randomUUID()) : batch.body);
        // The driver sends what the Worker sent: its replay, through the capturing proxy, is the same request.
        const body = freshBody();
        const direct = neonConfig.fetchEndpoint;
        neonConfig.fetchEndpoint = capture.endpoint;
        try {
          await replay(batch, body);
        } finally {
          neonConfig.fetchEndpoint = direct;
        }
        const [replayed] = capture.take();
        const same = (a: CapturedBatch, b: CapturedBatch) =>
          a.readOnly === b.readOnly && a.isolationLevel === b.isolationLevel && a.deferrable === b.deferrable;
        if (!replayed || replayed.body !== body || !same(replayed, batch)) throw new Error(`${route.name}: the driver's replay differs`);
        prepared.push({ route, batch, keys: rest, captureKey, freshBody });
      }
    } finally {
      await capturing.stop();
      await capture.close();
    }

    for (const { route, batch, keys, captureKey, freshBody } of prepared) {
      const apiKeys = keys.slice(0, warmup + route.requests);
      const driverKeys = keys.slice(warmup + route.requests);
      const api: number[] = [];
      const driver: number[] = [];
      let dbRequests = 0;
      for (let i = 0; i < warmup + route.requests; i++) {
        const before = await stack.db.requests();
        let started = performance.now();
        await send(stack.api, stack.headers, route.request(apiKeys[i]!));
        const apiMs = performance.now() - started;
        dbRequests += (await stack.db.requests()) - before;
        const body = route.keys ? freshBody().replaceAll(captureKey, driverKeys[i]!) : freshBody();
        started = performance.now();
        await replay(batch, body);
        const driverMs = performance.now() - started;
        if (i >= warmup) {
          api.push(apiMs);
          driver.push(driverMs);
        }
      }
      const roundTrips = dbRequests / (warmup + route.requests);
      const figure = {
        route: route.name,
        request: `${route.request('<key>').method} ${route.request('<key>').path.replace(/\?.*/, '')}`,
        statements: batch.queries.length,
        db_requests_per_api_request: roundTrips,
        api: summarize(api),
        driver: summarize(driver),
        ratio_p50: 0,
        worker_ms_p50: 0,
      };
      figure.ratio_p50 = Math.round((figure.api.p50_ms / figure.driver.p50_ms) * 1000) / 1000;
      figure.worker_ms_p50 = Math.round((figure.api.p50_ms - figure.driver.p50_ms) * 100) / 100;
      results.push(figure);
      log(
        `${route.name.padEnd(24)} api p50 ${figure.api.p50_ms.toFixed(2).padStart(7)} ms | driver p50 ` +
          `${figure.driver.p50_ms.toFixed(2).padStart(7)} ms | ratio ${figure.ratio_p50.toFixed(3)} | +${figure.worker_ms_p50} ms`,
      );
    }
  } finally {
    await stack.close();
  }
  const worst = Math.max(...results.map((r) => r.ratio_p50));
  return {
    bench: 'overhead',
    recorded_at: new Date().toISOString(),
    node: process.version,
    simulated_db_latency_ms: latencyMs,
    requests_per_route: options.requests,
    goal: `API ÷ identical driver batch ≤ ${GOAL_RATIO} (p50) on every route`,
    worst_ratio_p50: worst,
    goal_met: worst <= GOAL_RATIO,
    note:
      'Worker bundle built as deployed (npm run build), run in workerd via Miniflare on a direct socket (no wrangler dev proxy), ' +
      'LOG_LEVEL=warn; local Neon-compatible server (PGlite) with simulated latency; sequential requests, API and driver alternating.',
    results,
  };
}
