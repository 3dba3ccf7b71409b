import autocannon, { type Request as CannonRequest } from 'autocannon';
import { topicEmbedding } from '../scripts/db/seed-data';
import { call, startStack, type Stack } from './stack';
import { summarize } from './stats';

/**
 * Load (figures, not pass/fail): autocannon against the Worker in workerd and the local database
 * (in a process of its own, so the load generator does not slow it), for `seconds` at each
 * connection count, every connection cycling through a mix of reads and writes of the API (ten
 * reads, three ingests, a drafted reply and its approval; writes on fresh keys). `/health` is
 * polled throughout and must answer 200 every time. The Worker runs with production settings
 * (DB_TIMEOUT_MS 5000). Records bench/results/load.json.
 */

export interface LoadOptions {
  seconds: number;
  connections: number[];
  latencyMs: number;
  log: (line: string) => void;
}

interface Step {
  name: string;
  request: CannonRequest;
}

type OnResponse = (status: number, body: string, context: Context, headers: Record<string, string>) => void;
/** What a connection keeps between its requests: the reply it drafted last. */
type Context = { reply?: string };

/** The requests each connection cycles through, and a tally of their answers by step and status. */
async function workload(stack: Stack) {
  const posts = await call<{ data: { id: string }[] }>(stack, 'GET', '/v1/posts?limit=1');
  const post = posts.data[0]!.id;
  const ingested = await call<{ posts: { id: string }[] }>(stack, 'POST', '/v1/posts/bulk', {
    platform: 'reddit',
    posts: [{ platform_post_id: 'load-target', author: { platform_id: 'load-author', handle: 'load_author' }, content: 'Anything for sleep?', keyword_matches: ['sleep'] }],
  });
  const decision = await call<{ id: string }>(stack, 'POST', `/v1/posts/${ingested.posts[0]!.id}/decisions`, {
    sss_score: 0.9, ars_score: 0.5, evs_score: 0.7, trs_score: 0.8, composite_score: 0.74, mode: 'helpful', archetype: 'checklist',
  });
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const search = JSON.stringify({ mode: 'hybrid', embedding: topicEmbedding(1, 7), query: 'magnesium sleep', k: 10 });
  let sequence = 0;
  const ingest = (): Pick<CannonRequest, 'setupRequest'> => ({
    setupRequest: (request) => {
      const key = `load-${process.pid}-${++sequence}`;
      const body = {
        platform: 'twitter',
        posts: Array.from({ length: 10 }, (_, i) => ({
          platform_post_id: `${key}-${i}`,
          author: { platform_id: `${key}-a${i % 3}`, handle: `load_${i % 3}` },
          content: `Anything that actually helps with insomnia? (${key} ${i})`,
          keyword_matches: ['insomnia'],
        })),
      };
      return { ...request, body: JSON.stringify(body) };
    },
  });
  const get = (name: string, path: string): Step => ({ name, request: { method: 'GET', path } });
  const steps: Step[] = [
    get('GET /v1/brand-kits', '/v1/brand-kits'),
    get('GET /v1/posts', '/v1/posts?limit=20'),
    get('GET /v1/posts/{id}', `/v1/posts/${post}`),
    { name: 'POST /v1/posts/bulk (10 posts)', request: { method: 'POST', path: '/v1/posts/bulk', ...ingest() } },
    get('GET /v1/replies/queue', '/v1/replies/queue'),
    {
      name: 'POST /v1/decisions/{id}/replies',
      request: {
        method: 'POST',
        path: `/v1/decisions/${decision.id}/replies`,
        body: JSON.stringify({ content: 'A steady bedtime and a dark, cool room help many people. —Antone (Vita)', utm_code: 'load_test' }),
        onResponse: ((status, body, context) => {
          if (status === 201) context.reply = (JSON.parse(body) as { id: string }).id;
        }) satisfies OnResponse as CannonRequest['onResponse'],
      },
    },
    {
      name: 'POST /v1/replies/{id}/approve',
      request: {
        method: 'POST',
        path: '/v1/replies/none/approve',
        // No reply drafted (the draft failed): start the cycle again.
        setupRequest: ((request: CannonRequest, context: Context) =>
          context.reply ? { ...request, path: `/v1/replies/${context.reply}/approve` } : undefined) as CannonRequest['setupRequest'],
      },
    },
    { name: 'POST /v1/knowledge/search (hybrid)', request: { method: 'POST', path: '/v1/knowledge/search', body: search } },
    get(
      'GET /v1/kpi-metrics/series',
      `/v1/kpi-metrics/series?metric_type=engagement&metric_name=replies_posted&platform=twitter&from=${weekAgo}&to=${today}`,
    ),
    get('GET /v1/audit-logs', '/v1/audit-logs'),
    get('GET /v1/me', '/v1/me'),
    get('GET /v1/authors', '/v1/authors?limit=20'),
    { name: 'POST /v1/posts/bulk (10 more posts)', request: { method: 'POST', path: '/v1/posts/bulk', ...ingest() } },
    get('GET /health', '/health'),
  ];
  const tally = new Map<string, Map<number, number>>();
  const requests: CannonRequest[] = steps.map(({ name, request }) => ({
    ...request,
    onResponse: ((status, body, context, headers) => {
      const byStatus = tally.get(name) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      tally.set(name, byStatus);
      (request.onResponse as OnResponse | undefined)?.(status, body, context, headers);
    }) satisfies OnResponse as CannonRequest['onResponse'],
  }));
  return { requests, tally };
}

/** Polls `/health` every `everyMs` until stopped: each answer's status and latency. */
function pollHealth(url: string, everyMs: number) {
  const samples: { status: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const status = await fetch(`${url}/health`)
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        })
        .catch(() => 0);
      samples.push({ status, ms: performance.now() - started });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const latencies = samples.map((s) => s.ms);
      return {
        polls: samples.length,
        non_200: samples.filter((s) => s.status !== 200).length,
        statuses: [...new Set(samples.map((s) => s.status))],
        latency: summarize(latencies),
      };
    },
  };
}

export async function runLoadBench(options: LoadOptions) {
  const stack = await startStack(options.latencyMs, { dbProcess: true, bindings: { DB_TIMEOUT_MS: '5000' } });
  const runs = [];
  try {
    for (const connections of options.connections) {
      const { requests, tally } = await workload(stack);
      const health = pollHealth(stack.api, 250);
      const result = await autocannon({
        url: stack.api,
        connections,
        duration: options.seconds,
        headers: stack.headers,
        requests,
      });
      const healthFigures = await health.stop();
      const byStep = Object.fromEntries(
        [...tally].map(([name, statuses]) => [name, Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0]))]),
      );
      const non2xxByStep = Object.fromEntries(
        Object.entries(byStep)
          .map(([name, statuses]) => [name, Object.entries(statuses).filter(([status]) => !status.startsWith('2'))] as const)
          .filter(([, bad]) => bad.length > 0)
          .map(([name, bad]) => [name, Object.fromEntries(bad)]),
      );
      const figure = {
        connections,
        seconds: options.seconds,
        requests: result.requests.total,
        requests_per_second: result.requests.average,
        latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        errors: result.errors,
        timeouts: result.timeouts,
        non_2xx: result.non2xx,
        non_2xx_by_request: non2xxByStep,
        status_by_request: byStep,
        health_during_run: healthFigures,
      };
      runs.push(figure);
      options.log(
        `${connections} connections: ${figure.requests_per_second} req/s, p50 ${figure.latency_ms.p50} ms, p99 ${figure.latency_ms.p99} ms, ` +
          `errors ${figure.errors}, timeouts ${figure.timeouts}, non-2xx ${figure.non_2xx}; /health ${healthFigures.polls} polls, ` +
          `${healthFigures.non_200} not 200, p99 ${healthFigures.latency.p99_ms} ms`,
      );
    }
  } finally {
    await stack.close();
  }
  return {
    bench: 'load',
    recorded_at: new Date().toISOString(),
    node: process.version,
    simulated_db_latency_ms: options.latencyMs,
    goal: '0 errors, 0 non-2xx, /health 200 throughout; req/s and p99 recorded',
    goal_met: runs.every((r) => r.errors === 0 && r.timeouts === 0 && r.non_2xx === 0 && r.health_during_run.non_200 === 0),
    note:
      'autocannon (in the bench process) → the Worker built as deployed, in workerd (production settings, LOG_LEVEL=warn) → ' +
      'the local Neon-compatible server (PGlite, one connection: requests are served one at a time) in its own process. ' +
      'Each connection cycles through the mix below; writes use fresh keys. /health polled every 250 ms.',
    mix: [
      'GET /v1/brand-kits, /v1/posts, /v1/posts/{id}, /v1/replies/queue, /v1/kpi-metrics/series, /v1/audit-logs, /v1/me, /v1/authors, /health',
      'POST /v1/posts/bulk (10 new posts, 3 authors) twice, POST /v1/decisions/{id}/replies then POST /v1/replies/{id}/approve, POST /v1/knowledge/search (hybrid)',
    ],
    runs,
  };
}
