import { StreamableHTTPTransport } from '@hono/mcp';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { authorize } from '../auth/middleware';
import { CAN } from '../auth/principal';
import { createRouter } from '../lib/create-router';
import { ApiError } from '../lib/problem';
import type { AppEnv } from '../lib/types';
import { createMcpServer } from './server';

const METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * Who issues the tokens `/mcp` accepts (RFC 9728 `authorization_servers`): the identity
 * provider when the configured issuer is its URL, otherwise this API, which mints tokens from
 * API keys at `POST /v1/auth/token`.
 */
function authorizationServer(issuer: string, origin: string): string {
  return URL.canParse(issuer) && /^https?:/.test(issuer) ? issuer : origin;
}

/** RFC 9728: a 401 of `/mcp` names the document describing the resource and its authorization server. */
const withResourceMetadata = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status !== 401) return;
  const url = `${new URL(c.req.url).origin}${METADATA_PATH}/mcp`;
  const challenge = c.res.headers.get('www-authenticate') ?? 'Bearer';
  c.res.headers.set('www-authenticate', `${challenge}${challenge === 'Bearer' ? ' ' : ', '}resource_metadata="${url}"`);
});

/**
 * The MCP server (Streamable HTTP, stateless: every POST is served on its own, so any isolate
 * serves any request), with the same bearer tokens as the REST API; tenant roles only.
 */
export const mcpRouter = createRouter();

for (const path of [METADATA_PATH, `${METADATA_PATH}/mcp`]) {
  mcpRouter.get(path, (c) => {
    const origin = new URL(c.req.url).origin;
    c.header('cache-control', 'public, max-age=3600');
    return c.json({
      resource: `${origin}/mcp`,
      authorization_servers: [authorizationServer(c.var.config.JWT_ISSUER, origin)],
      bearer_methods_supported: ['header'],
      resource_name: 'Edge Data API (MCP)',
      resource_documentation: `${origin}/docs`,
    });
  });
}

mcpRouter.use('/mcp', withResourceMetadata);

mcpRouter.post('/mcp', authorize(CAN.identify), async (c) => {
  const { server, unauthorized } = createMcpServer(c);
  const transport = new StreamableHTTPTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    const response = (await transport.handleRequest(c)) ?? c.body(null, 202);
    return unauthorized() ?? response;
  } catch (error) {
    // The transport answers malformed JSON-RPC with JSON-RPC errors of its own.
    if (error instanceof HTTPException) return error.getResponse();
    throw error;
  } finally {
    await server.close();
  }
});

// Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
mcpRouter.on(['GET', 'DELETE'], '/mcp', () => {
  throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'This MCP server is stateless: send JSON-RPC messages with POST.', {
    headers: { allow: 'POST' },
  });
});
