import { endpointSecret, hookId, sign } from '../src/webhooks/signing';
import { call, startStack, type Stack } from './stack';
import { summarize } from './stats';

/**
 * Signed webhook deliveries (figures, not pass/fail): deliveries per second and latency of a
 * 10-post `posts.detected` and of a `run.completed`, one at a time and `concurrency` at once, and
 * the database round trips per delivery (must be 1; 0 for a bad signature). The Worker is the
 * deployed bundle in workerd against the local database with `latencyMs` of simulated
 * edge→region latency per round trip. Records bench/results/webhooks.json (`npm run bench -- --only webhooks`).
 */

export interface WebhooksBenchOptions {
  deliveries: number;
  concurrency: number;
  latencyMs: number;
  log: (line: string) => void;
}

const BENCH_WEBHOOK_KEY = 'bench-only-webhook-key-0123456789abcdef';

interface Endpoint {
  id: string;
  client_id: string;
  url: string;
  secret: string;
}

async function signedPost(stack: Stack, endpoint: Endpoint, secret: Uint8Array, event: unknown, signature?: string) {
  const body = JSON.stringify(event);
  const id = `msg_${crypto.randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(`${stack.api}${new URL(endpoint.url).pathname}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature ?? (await sign(secret, id, timestamp, body)),
    },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

const postsEvent = (n: number) => ({
  type: 'posts.detected',
  timestamp: new Date().toISOString(),
  data: {
    platform: 'twitter',
    posts: Array.from({ length: 10 }, (_, i) => ({
      platform_post_id: `bench-${n}-${i}`,
      author: { platform_id: `bench-author-${(n * 10 + i) % 200}`, handle: `bench_${i}` },
      content: `Post ${n}.${i}: anything that actually helps with insomnia?`,
      keyword_matches: ['insomnia'],
    })),
  },
});

/** `n` deliveries made by `send(i)`, `concurrency` in flight: throughput, latency, round trips per delivery. */
async function measure(stack: Stack, n: number, concurrency: number, send: (i: number) => Promise<{ status: number; ms: number }>, expected = 200) {
  const before = await stack.db.requests();
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const { status, ms } = await send(i);
        if (status !== expected) throw new Error(`delivery ${i} answered ${status}, not ${expected}`);
        samples.push(ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const roundTrips = ((await stack.db.requests()) - before) / n;
  return { deliveries: n, concurrency, deliveries_per_second: Math.round((n / seconds) * 10) / 10, db_round_trips_per_delivery: roundTrips, latency: summarize(samples) };
}

export async function runWebhooksBench(options: Partial<WebhooksBenchOptions> = {}) {
  const { deliveries = 200, concurrency = 10, latencyMs = 20, log = console.log } = options;
  const stack = await startStack(latencyMs, { bindings: { WEBHOOK_SIGNING_KEY: BENCH_WEBHOOK_KEY } });
  try {
    const secretOf = (e: Endpoint) => endpointSecret(BENCH_WEBHOOK_KEY, { clientId: e.client_id, endpointId: e.id, version: 1 });
    const posts = await call<Endpoint>(stack, 'POST', '/v1/webhook-endpoints', { kind: 'posts' });
    const runs = await call<Endpoint>(stack, 'POST', '/v1/webhook-endpoints', { kind: 'runs' });
    const [postsSecret, runsSecret] = [await secretOf(posts), await secretOf(runs)];
    if (hookId({ clientId: posts.client_id, endpointId: posts.id, version: 1 }) !== new URL(posts.url).pathname.slice(7)) throw new Error('unexpected URL');

    // Running runs to complete: as many as run.completed deliveries are sent.
    const total = deliveries * 2 + 20;
    const [owner] = (await stack.sql`select user_id from memberships where client_id = ${posts.client_id} and role = 'owner' limit 1`) as { user_id: string }[];
    const runIds = (await stack.sql`
      insert into runs (client_id, user_id, skill_id, user_message, status, started_at)
      select ${posts.client_id}::uuid, ${owner!.user_id}::uuid, (select id from skills order by name limit 1), 'bench run', 'running', now()
      from generate_series(1, ${total}) returning id`) as { id: string }[];
    let run = 0;
    const completed = () => ({
      type: 'run.completed',
      timestamp: new Date().toISOString(),
      data: { run_id: runIds[run++]!.id, tokens_input: 1200, tokens_output: 300, model: 'bench-model', cost_usd: 0.004 },
    });

    let batch = 0;
    const sendPosts = () => signedPost(stack, posts, postsSecret, postsEvent(batch++));
    const sendCompleted = () => signedPost(stack, runs, runsSecret, completed());
    for (let i = 0; i < 20; i++) await sendPosts(); // warm the isolate and the plans
    for (let i = 0; i < 10; i++) await sendCompleted();

    const figures = {
      simulated_db_latency_ms: latencyMs,
      worker: 'the deployed bundle in workerd (bench/stack.ts)',
      posts_detected_10_posts: {
        sequential: await measure(stack, deliveries, 1, sendPosts),
        concurrent: await measure(stack, deliveries, concurrency, sendPosts),
      },
      run_completed: {
        sequential: await measure(stack, deliveries / 2, 1, sendCompleted),
        concurrent: await measure(stack, deliveries / 2, concurrency, sendCompleted),
      },
      bad_signature: await measure(
        stack,
        deliveries / 2,
        1,
        () => signedPost(stack, posts, postsSecret, postsEvent(batch++), 'v1,bm90IGEgc2lnbmF0dXJlIG9mIHRoaXMgYm9keQ=='),
        401,
      ),
    };
    log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await stack.close();
  }
}
