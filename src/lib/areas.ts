import type { ExecutionContext as RequestContext, Hono, Schema } from 'hono';
import { getPath } from 'hono/utils/url';
import { createRouter } from './create-router';
import { onError, onNotFound } from './error-handler';
import { withBodyLimit, withRequestContext, withRequestId, withSecurityHeaders } from './middleware';
import type { AppEnv, Bindings } from './types';

/** An app of the API: the middleware, in order, and the error handling, before any route. */
export function createAppShell() {
  const app = createRouter();
  app.use(withSecurityHeaders);
  app.use(withRequestId);
  app.use(withRequestContext);
  app.use(withBodyLimit);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

/** An area's router, whatever its routes. */
type AreaRouter = Hono<AppEnv, Schema, string>;

const health = () => import('../health/health.index').then((m) => m.healthRouter);
const clients = () => import('../clients/clients.index').then((m) => m.clientsRouter);
const members = () => import('../members/members.index').then((m) => m.membersRouter);
const apiKeys = () => import('../api-keys/api-keys.index').then((m) => m.apiKeysRouter);
const brand = () => import('../brand/brand-kits.index').then((m) => m.brandKitsRouter);
const agentWork = () => import('../agent-work/agent-work.index').then((m) => m.agentWorkRouter);
const knowledge = () => import('../knowledge/knowledge.index').then((m) => m.knowledgeRouter);
const engagement = () => import('../engagement/engagement.index').then((m) => m.engagementRouter);
const community = () => import('../community/community.index').then((m) => m.communityRouter);
const learning = () => import('../learning/learning.index').then((m) => m.learningRouter);
const audit = () => import('../audit/audit.index').then((m) => m.auditRouter);
const webhooks = () => import('../webhooks/webhooks.index').then((m) => m.webhooksRouter);
const mcp = () => import('../mcp/mcp.index').then((m) => m.mcpRouter);
const desk = () => import('../desk/desk.index').then((m) => m.deskRouter as unknown as AreaRouter);

/**
 * The area serving each path, by the path's first two segments (`/v1/<resource>`, `/health`):
 * the same routers `createApp` (src/app.ts) chains, each loaded by the first request to one of
 * its paths. test/worker/areas.test.ts checks every route is found here under its own area.
 */
export const AREAS: ReadonlyMap<string, () => Promise<AreaRouter>> = new Map(Object.entries({
  '/health': health,
  '/v1/me': clients,
  '/v1/client': clients,
  '/v1/clients': clients,
  '/v1/members': members,
  '/v1/api-keys': apiKeys,
  '/v1/auth': apiKeys,
  '/v1/brand-kits': brand,
  '/v1/skills': agentWork,
  '/v1/runs': agentWork,
  '/v1/outputs': agentWork,
  '/v1/knowledge-bases': knowledge,
  '/v1/knowledge': knowledge,
  '/v1/authors': engagement,
  '/v1/posts': engagement,
  '/v1/decisions': engagement,
  '/v1/replies': engagement,
  '/v1/escalations': engagement,
  '/v1/competitors': community,
  '/v1/competitive-mentions': community,
  '/v1/community-champions': community,
  '/v1/kpi-metrics': learning,
  '/v1/experiments': learning,
  '/v1/weight-adjustments': learning,
  '/v1/learning-events': learning,
  '/v1/randomized-experiments': learning,
  '/v1/segmented-weights': learning,
  '/v1/audit-logs': audit,
  '/v1/webhook-endpoints': webhooks,
  '/v1/webhook-deliveries': webhooks,
  '/hooks': webhooks,
  '/mcp': mcp,
  '/.well-known/oauth-protected-resource': mcp,
  '/desk': desk,
}));

/** Areas whose every path, however deep, is theirs: the webhook receivers and the review desk's pages. */
const WHOLE_PREFIXES = ['/hooks', '/desk'];

/** The key of a path in `AREAS`: its first two segments, or the whole prefix it falls under. */
export const areaKey = (path: string) =>
  WHOLE_PREFIXES.find((prefix) => path === prefix || path.startsWith(`${prefix}/`)) ?? path.split('/', 3).join('/');

interface FetchHandler {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext): Response | Promise<Response>;
}

/** Runs `build` once, on first use; a build that failed (it should not) is tried again next time. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}

const areaApps = new Map(
  [...new Set(AREAS.values())].map((router) => [router, once(async () => createAppShell().route('/', await router()))]),
);

/**
 * Serves a request to an area's path by an app of that area's routes alone (the same middleware,
 * errors and routes as the whole API), built on the area's first request in the isolate; `null`
 * for a path of no area. So an isolate starts without constructing every route's schemas
 * (startup CPU), and a request is routed among its area's routes only.
 */
export async function fetchArea(request: Request, env: Bindings, ctx: RequestContext): Promise<Response | null> {
  const router = AREAS.get(areaKey(getPath(request)));
  if (!router) return null;
  const app = await areaApps.get(router)!();
  return app.fetch(request, env, ctx);
}

/**
 * The Worker's `fetch`: each area's requests by `fetchArea`; any other path (`/openapi.json`,
 * `/docs`, a path of no route) by the whole API, `full`, built on first use.
 */
export function createLazyFetch(full: () => Promise<FetchHandler>): ExportedHandlerFetchHandler<Bindings> {
  const fullApp = once(full);
  return async (request, env, ctx) => (await fetchArea(request, env, ctx)) ?? (await fullApp()).fetch(request, env, ctx);
}
