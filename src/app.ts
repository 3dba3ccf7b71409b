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
import { withBodyLimit, withRequestContext, withRequestId } from './lib/middleware';
import { registerOpenApi } from './lib/openapi';

/** The whole API: middleware order, then one router per area. */
export function createApp() {
  const app = createRouter();
  app.use(withRequestId);
  app.use(withRequestContext);
  app.use(withBodyLimit);

  app.route('/', healthRouter);
  app.route('/', clientsRouter);
  app.route('/', membersRouter);
  app.route('/', apiKeysRouter);
  app.route('/', brandKitsRouter);
  app.route('/', agentWorkRouter);
  app.route('/', knowledgeRouter);
  app.route('/', engagementRouter);
  app.route('/', communityRouter);
  app.route('/', learningRouter);
  app.route('/', auditRouter);

  registerOpenApi(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
