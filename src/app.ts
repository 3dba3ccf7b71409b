import { agentWorkRouter } from './agent-work/agent-work.index';
import { apiKeysRouter } from './api-keys/api-keys.index';
import { auditRouter } from './audit/audit.index';
import { brandKitsRouter } from './brand/brand-kits.index';
import { clientsRouter } from './clients/clients.index';
import { communityRouter } from './community/community.index';
import { engagementRouter } from './engagement/engagement.index';
import { healthRouter } from './health/health.index';
import { knowledgeRouter } from './knowledge/knowledge.index';
import { learningRouter } from './learning/learning.index';
import { membersRouter } from './members/members.index';
import { mcpRouter } from './mcp/mcp.index';
import { createAppShell } from './lib/areas';
import { registerOpenApi } from './lib/openapi';
import { registerWebhookEvents, webhooksRouter } from './webhooks/webhooks.index';

/**
 * The whole API: the middleware and error handling (`createAppShell`), then one router per area.
 * The Worker serves each area from an app of its own router, built on first use (src/lib/areas.ts);
 * this app serves the rest (the OpenAPI document, the reference page, paths of no route), and is
 * the API's type and definitions for the typed client and the tests.
 */
export function createApp() {
  const app = createAppShell();

  // Chained, so the app's type carries every route (for the typed `hc` client).
  const routes = app
    .route('/', healthRouter)
    .route('/', clientsRouter)
    .route('/', membersRouter)
    .route('/', apiKeysRouter)
    .route('/', brandKitsRouter)
    .route('/', agentWorkRouter)
    .route('/', knowledgeRouter)
    .route('/', engagementRouter)
    .route('/', communityRouter)
    .route('/', learningRouter)
    .route('/', auditRouter)
    .route('/', webhooksRouter)
    .route('/', mcpRouter);

  registerOpenApi(app);
  registerWebhookEvents(app);
  return routes;
}

/** The API's type for `hc<AppType>(baseUrl)` from `hono/client`: typed paths, params, bodies, responses. */
export type AppType = ReturnType<typeof createApp>;
