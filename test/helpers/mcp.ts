import { expect } from 'vitest';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exports } from 'cloudflare:workers';

/** The Worker's URL as the tests call it (requests never leave workerd). */
export const MCP_URL = new URL('http://api.test/mcp');

/** `fetch` to the Worker's own handler, as a client sees it over HTTP. */
const toWorker = (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init));

/**
 * The official MCP client over Streamable HTTP, connected (initialized) with `token` as its
 * bearer token. JSON Schema validation of tool output uses the SDK's Workers validator (workerd
 * allows no code generation, which the default validator needs).
 */
export async function mcpClient(token: string): Promise<Client> {
  const client = new Client(
    { name: 'edge-data-api-tests', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  const transport = new StreamableHTTPClientTransport(MCP_URL, {
    fetch: toWorker,
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** A tool's answer: its JSON (the operation's body, or its problem details when `isError`). */
export interface ToolAnswer<T = Record<string, unknown>> {
  isError: boolean;
  body: T;
  structured: unknown;
}

export async function callTool<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer<T>> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  expect(content).toHaveLength(1);
  expect(content[0]!.type).toBe('text');
  return { isError: result.isError === true, body: JSON.parse(content[0]!.text) as T, structured: result.structuredContent };
}
