import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startStack, type Stack } from './stack';
import { summarize } from './stats';

/**
 * MCP against REST (figures, not pass/fail): the same operation as a tool call over `/mcp` and as
 * its REST request, against the Worker in workerd (built as deployed) with `latencyMs` of simulated
 * edge→region latency on every database request. Three ways, alternating per iteration so the
 * machine's drift hits all alike: the REST request; the tool call as the JSON-RPC POST any MCP
 * client sends (the server's cost); the tool call through the official SDK client (what an agent
 * waits for, the client's own output-schema validation included). Round trips per call are
 * counted on the database server. Records bench/results/mcp.json.
 */
export interface McpBenchOptions {
  latencyMs: number;
  requests: number;
  warmup: number;
  log: (line: string) => void;
}

const GOAL_RATIO = 1.1;

interface Operation {
  name: string;
  tool: string;
  args(i: number): Record<string, unknown>;
  rest(i: number): { method: string; path: string; body?: unknown };
}

const ingest = (key: string) => ({
  platform: 'twitter',
  posts: Array.from({ length: 10 }, (_, j) => ({
    platform_post_id: `${key}-${j}`,
    author: { platform_id: `${key}-a${j}`, handle: `mcp_bench_${j}` },
    content: `Anything that actually helps with insomnia? (${j})`,
    keyword_matches: ['insomnia'],
  })),
});

const OPERATIONS: Operation[] = [
  { name: 'default brand kit', tool: 'get_default_brand_kit', args: () => ({}), rest: () => ({ method: 'GET', path: '/v1/brand-kits/default' }) },
  { name: 'reply queue', tool: 'reply_queue', args: () => ({ limit: 20 }), rest: () => ({ method: 'GET', path: '/v1/replies/queue?limit=20' }) },
  {
    name: 'knowledge text search',
    tool: 'search_knowledge',
    args: () => ({ mode: 'text', query: 'sleep routine', k: 5 }),
    rest: () => ({ method: 'POST', path: '/v1/knowledge/search', body: { mode: 'text', query: 'sleep routine', k: 5 } }),
  },
  {
    name: 'ingest 10 posts',
    tool: 'ingest_posts',
    args: (i) => ingest(`mcp${i}`),
    rest: (i) => ({ method: 'POST', path: '/v1/posts/bulk', body: ingest(`rest${i}`) }),
  },
];

async function ok(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { error?: unknown; result?: { isError?: boolean } };
  if (body.error || body.result?.isError) throw new Error(`${what} failed: ${text.slice(0, 300)}`);
  return body;
}

export async function runMcpBench(options: McpBenchOptions) {
  const stack: Stack = await startStack(options.latencyMs);
  const mcpHeaders = {
    ...stack.headers,
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-06-18',
  };
  const client = new Client({ name: 'mcp-bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${stack.api}/mcp`), { requestInit: { headers: { authorization: stack.headers.authorization! } } }),
  );
  let sequence = 0;
  const results = [];
  try {
    for (const operation of OPERATIONS) {
      const samples = { rest: [] as number[], mcp: [] as number[], sdk: [] as number[] };
      const trips = { rest: 0, mcp: 0, sdk: 0 };
      const timed = async (kind: keyof typeof samples, action: () => Promise<unknown>, record: boolean) => {
        const before = await stack.db.requests();
        const started = performance.now();
        await action();
        const elapsed = performance.now() - started;
        if (!record) return;
        samples[kind].push(elapsed);
        trips[kind] += (await stack.db.requests()) - before;
      };
      for (let i = 0; i < options.warmup + options.requests; i++) {
        const record = i >= options.warmup;
        const rest = operation.rest(++sequence);
        await timed('rest', async () => ok(await fetch(`${stack.api}${rest.path}`, {
          method: rest.method,
          headers: stack.headers,
          ...(rest.body === undefined ? {} : { body: JSON.stringify(rest.body) }),
        }), operation.name), record);
        const args = operation.args(++sequence);
        await timed('mcp', async () => ok(await fetch(`${stack.api}/mcp`, {
          method: 'POST',
          headers: mcpHeaders,
          body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: operation.tool, arguments: args } }),
        }), operation.tool), record);
        const sdkArgs = operation.args(++sequence);
        await timed('sdk', async () => {
          const result = await client.callTool({ name: operation.tool, arguments: sdkArgs });
          if (result.isError) throw new Error(`${operation.tool} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
        }, record);
      }
      const rest = summarize(samples.rest);
      const mcp = summarize(samples.mcp);
      const sdk = summarize(samples.sdk);
      const row = {
        operation: operation.name,
        tool: operation.tool,
        rest_p50_ms: rest.p50_ms,
        mcp_p50_ms: mcp.p50_ms,
        sdk_client_p50_ms: sdk.p50_ms,
        mcp_over_rest_p50: Math.round((mcp.p50_ms / rest.p50_ms) * 1000) / 1000,
        sdk_client_over_rest_p50: Math.round((sdk.p50_ms / rest.p50_ms) * 1000) / 1000,
        round_trips_per_call: { rest: trips.rest / options.requests, mcp: trips.mcp / options.requests, sdk_client: trips.sdk / options.requests },
        rest,
        mcp,
        sdk_client: sdk,
      };
      options.log(
        `${operation.name}: REST p50 ${rest.p50_ms} ms, MCP ${mcp.p50_ms} ms (${row.mcp_over_rest_p50}×), ` +
          `SDK client ${sdk.p50_ms} ms (${row.sdk_client_over_rest_p50}×); round trips ${JSON.stringify(row.round_trips_per_call)}`,
      );
      results.push(row);
    }
  } finally {
    await client.close();
    await stack.close();
  }
  return {
    measured_at: new Date().toISOString(),
    latency_ms: options.latencyMs,
    requests_per_operation: options.requests,
    goal: `tool call p50 ≤ ${GOAL_RATIO}× the REST request`,
    met: results.every((r) => r.mcp_over_rest_p50 <= GOAL_RATIO),
    operations: results,
  };
}
