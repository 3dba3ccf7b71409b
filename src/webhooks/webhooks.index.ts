import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../lib/create-router';
import type { AppEnv } from '../lib/types';
import * as chat from '../channels/chat.handlers';
import * as chatRoutes from '../channels/chat.routes';
import * as hooks from './hooks.handlers';
import * as hookRoutes from './hooks.routes';
import * as handlers from './webhooks.handlers';
import * as routes from './webhooks.routes';

/** Signed webhook endpoints (admin), their deliveries, and the receivers under /hooks (Slack and Telegram too). */
const router = createRouter();
router.openAPIRegistry.registerPath(hookRoutes.receiveSignedDelivery);
router.openAPIRegistry.registerPath(chatRoutes.receiveSlackEvent);
router.openAPIRegistry.registerPath(chatRoutes.receiveTelegramUpdate);

export const webhooksRouter = router
  .openapi(routes.createWebhookEndpoint, handlers.create)
  .openapi(routes.listWebhookEndpoints, handlers.list)
  .openapi(routes.getWebhookEndpoint, handlers.get)
  .openapi(routes.disableWebhookEndpoint, handlers.disable)
  .openapi(routes.rotateWebhookEndpointSecret, handlers.rotate)
  .openapi(routes.deleteWebhookEndpoint, handlers.remove)
  .openapi(routes.listWebhookDeliveries, handlers.listDeliveries)
  // Documented from their routes, served without the routes' validation: the raw body is verified
  // first. The chat receivers come before the endpoint id they would otherwise match.
  .post('/hooks/slack', chat.receiveSlack)
  .post('/hooks/telegram', chat.receiveTelegram)
  .post('/hooks/:endpoint_id', hooks.receive);

/**
 * The events senders deliver, as the document's OpenAPI 3.1 `webhooks`. Registered on the whole
 * API's app (mounting a router would prefix their names with its path).
 */
export function registerWebhookEvents(app: OpenAPIHono<AppEnv>) {
  for (const webhook of hookRoutes.eventWebhooks) app.openAPIRegistry.registerWebhook(webhook);
}
