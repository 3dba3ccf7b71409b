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
import { createRouter } from './lib/create-router';
import { onError, onNotFound } from './lib/error-handler';
import { withBodyLimit, withRequestContext, withRequestId, withSecurityHeaders } from './lib/middleware';
import { registerOpenApi } from './lib/openapi';

/** The whole API: middleware order, then one router per area. */
export function createApp() {
  const app = createRouter();
  app.use(withSecurityHeaders);
  app.use(withRequestId);
  app.use(withRequestContext);
  app.use(withBodyLimit);

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
    .route('/', auditRouter);

  registerOpenApi(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return routes;
}

/** The API's type for `hc<AppType>(baseUrl)` from `hono/client`: typed paths, params, bodies, responses. */
export type AppType = ReturnType<typeof createApp>;
