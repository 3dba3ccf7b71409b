import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool as McpTool,
} from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { Context } from 'hono';
import { sql } from 'drizzle-orm';
import { fetchArea } from '../lib/areas';
import { OPENAPI_DOCUMENT } from '../lib/openapi';
import { ApiError, problemResponse, type ProblemBody } from '../lib/problem';
import type { AppEnv } from '../lib/types';
import { inputSchema, outputSchema, toRequest, type Operation } from './operations';
import { TOOLS, TOOLS_BY_NAME, type Tool } from './tools';
import { getDefaultBrandKit } from '../brand/brand-kits.routes';
import { getKnowledgeBase, listKnowledgeBases } from '../knowledge/knowledge.routes';

/** MCP's code for a resource that does not exist (specification, "Resources: error handling"). */
const RESOURCE_NOT_FOUND = -32002;

/** The server asks clients nothing (no elicitation), so it never validates JSON Schema itself. */
const noValidation: jsonSchemaValidator = {
  getValidator: () => () => ({ valid: false, data: undefined, errorMessage: 'This server validates no JSON Schema.' }),
};

/** A tool as `tools/list` shows it; built once per isolate (the schemas do not change). */
const described = new Map<Tool, McpTool>();
function describe(tool: Tool): McpTool {
  let listed = described.get(tool);
  if (!listed) {
    const { operation } = tool;
    const output = outputSchema(operation);
    listed = {
      name: tool.name,
      title: tool.title,
      description: [operation.summary, operation.description].filter(Boolean).join('. '),
      inputSchema: inputSchema(operation) as McpTool['inputSchema'],
      ...(output ? { outputSchema: output as McpTool['outputSchema'] } : {}),
      annotations: { title: tool.title, readOnlyHint: tool.readOnly, openWorldHint: false },
      _meta: { operation: `${operation.method.toUpperCase()} ${operation.path}`, roles: [...operation['x-roles']] },
    };
    described.set(tool, listed);
  }
  return listed;
}

/** What an operation answered: its JSON body and whether it succeeded. */
interface Answer {
  ok: boolean;
  body: unknown;
}

/** The server of one MCP request, and the 401 to answer instead if its credential was refused. */
export interface McpRequestServer {
  server: Server;
  /** Set when the database refused the token (revoked key, deleted client): an HTTP 401, so the client re-authenticates. */
  unauthorized(): Response | undefined;
}

/**
 * Serves one MCP request of a caller: each tool call and resource read is the REST operation it
 * stands for, sent through the operation's own route (`fetchArea`) with the caller's own token,
 * so validation, access, SQL and the one round trip are the route's.
 */
export function createMcpServer(c: Context<AppEnv>): McpRequestServer {
  let unauthorized: Response | undefined;
  const server = new Server(
    { name: 'edge-data-api', title: OPENAPI_DOCUMENT.info.title, version: OPENAPI_DOCUMENT.info.version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Tenant data of one client of the marketing platform: brand kit, knowledge, skills and runs, detected posts, ' +
        'decisions, replies awaiting approval, escalations and KPIs. Tools are REST operations of the same API; ' +
        'a refused call returns its RFC 9457 problem details as the tool error.',
      jsonSchemaValidator: noValidation,
    },
  );

  const origin = new URL(c.req.url).origin;
  async function perform(operation: Operation, args: Record<string, unknown>): Promise<Answer> {
    const headers = new Headers({ authorization: c.req.header('authorization') ?? '', 'x-request-id': c.var.requestId });
    let request: Request;
    try {
      request = toRequest(operation, args, origin, headers);
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, body: error.toProblem(c.var.requestId) };
      throw error;
    }
    const response = (await fetchArea(request, c.env, c.executionCtx))!;
    const text = await response.text();
    if (response.status === 401) unauthorized = new Response(text, response);
    return { ok: response.ok, body: text ? JSON.parse(text) : null };
  }

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    // The role the database lets the caller act with now (membership or key, narrowed by the token).
    try {
      await c.var.tenant.run((db) => [db.execute(sql`select 1`)], { readOnly: true });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      if (error.status === 401) unauthorized = problemResponse(error, c.var.requestId);
      throw refusal(error.toProblem(c.var.requestId));
    }
    const role = c.var.tenant.actingRole();
    return { tools: TOOLS.filter((tool) => role && tool.operation['x-roles'].includes(role)).map(describe) };
  });

  server.setRequestHandler(CallToolRequestSchema, async ({ params }): Promise<CallToolResult> => {
    const tool = TOOLS_BY_NAME.get(params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `No tool named ${params.name}.`);
    const { ok, body } = await perform(tool.operation, params.arguments ?? {});
    const text = JSON.stringify(body);
    if (!ok) return { isError: true, content: [{ type: 'text', text }] };
    const structured = body !== null && typeof body === 'object' && !Array.isArray(body);
    return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: body as Record<string, unknown> } : {}) };
  });

  // The brand kit, then the knowledge bases page by page (MCP's cursor is the API's `next_cursor`).
  server.setRequestHandler(ListResourcesRequestSchema, async ({ params }) => {
    const cursor = params?.cursor;
    const { ok, body } = await perform(listKnowledgeBases, { limit: 100, ...(cursor ? { cursor } : {}) });
    if (!ok) throw refusal(body as ProblemBody);
    const page = body as { data: { id: string; name: string; description: string | null }[]; next_cursor: string | null };
    return {
      resources: [
        ...(cursor ? [] : [{ uri: BRAND_KIT_URI, name: 'default-brand-kit', title: 'The default brand kit', mimeType: JSON_TYPE }]),
        ...page.data.map((base) => ({
          uri: `${KNOWLEDGE_BASE_URI}${base.id}`,
          name: base.name,
          title: `Knowledge base: ${base.name}`,
          ...(base.description ? { description: base.description } : {}),
          mimeType: JSON_TYPE,
        })),
      ],
      ...(page.next_cursor ? { nextCursor: page.next_cursor } : {}),
    };
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      { uriTemplate: `${KNOWLEDGE_BASE_URI}{id}`, name: 'knowledge-base', title: 'A knowledge base', mimeType: JSON_TYPE },
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async ({ params }) => {
    const { uri } = params;
    const answer =
      uri === BRAND_KIT_URI
        ? await perform(getDefaultBrandKit, {})
        : uri.startsWith(KNOWLEDGE_BASE_URI)
          ? await perform(getKnowledgeBase, { id: uri.slice(KNOWLEDGE_BASE_URI.length) })
          : undefined;
    if (!answer) throw new McpError(RESOURCE_NOT_FOUND, `No resource ${uri}.`, { uri });
    if (!answer.ok) throw refusal(answer.body as ProblemBody, uri);
    return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(answer.body) }] };
  });

  return { server, unauthorized: () => unauthorized };
}

const JSON_TYPE = 'application/json';
const BRAND_KIT_URI = 'edge-data-api://brand-kits/default';
const KNOWLEDGE_BASE_URI = 'edge-data-api://knowledge-bases/';

/** A refused resource request as a JSON-RPC error carrying the operation's problem details. */
function refusal(problem: ProblemBody, uri?: string): McpError {
  const code = uri && (problem.status === 404 || problem.status === 400) ? RESOURCE_NOT_FOUND : ErrorCode.InvalidRequest;
  return new McpError(code, problem.detail, { ...(uri ? { uri } : {}), problem });
}
