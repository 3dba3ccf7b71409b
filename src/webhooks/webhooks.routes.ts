import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { PageQuerySchema } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  CreateWebhookEndpointSchema,
  ListWebhookDeliveriesQuerySchema,
  ROTATION_GRACE_HOURS,
  WebhookDeliveryPageSchema,
  WebhookEndpointPageSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from './webhooks.schemas';

const tags = ['webhooks'];
const notConfigured = '503 `WEBHOOKS_NOT_CONFIGURED` when the Worker has no `WEBHOOK_SIGNING_KEY`.';

export const createWebhookEndpoint = protectedRoute({
  method: 'post',
  path: '/v1/webhook-endpoints',
  tags,
  summary: 'Create a signed webhook endpoint; its secret is in this response only',
  description:
    'A `posts` endpoint receives `posts.detected`, a `runs` endpoint `run.started`, `run.completed`, `run.failed` and ' +
    `\`run.output\`. The response has the endpoint's \`url\` and its signing \`secret\` (\`whsec_…\`), shown once. ${notConfigured}`,
  roles: CAN.administer,
  request: { body: jsonBody(CreateWebhookEndpointSchema) },
  responses: { 201: jsonResponse(WebhookEndpointWithSecretSchema, 'The endpoint and its secret, shown once.'), ...problemResponses(422, 503) },
});

export const listWebhookEndpoints = protectedRoute({
  method: 'get',
  path: '/v1/webhook-endpoints',
  tags,
  summary: "List the client's webhook endpoints (never their secrets)",
  roles: CAN.administer,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(WebhookEndpointPageSchema, 'A page of endpoints, newest first.'), ...problemResponses(400) },
});

export const getWebhookEndpoint = protectedRoute({
  method: 'get',
  path: '/v1/webhook-endpoints/{id}',
  tags,
  summary: 'Get a webhook endpoint',
  roles: CAN.administer,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(WebhookEndpointSchema, 'The endpoint.'), ...problemResponses(400, 404) },
});

export const disableWebhookEndpoint = protectedRoute({
  method: 'post',
  path: '/v1/webhook-endpoints/{id}/disable',
  tags,
  summary: 'Disable a webhook endpoint (idempotent): its deliveries are refused with 403',
  roles: CAN.administer,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(WebhookEndpointSchema, 'The disabled endpoint.'), ...problemResponses(400, 404) },
});

export const rotateWebhookEndpointSecret = protectedRoute({
  method: 'post',
  path: '/v1/webhook-endpoints/{id}/rotate',
  tags,
  summary: `Rotate an endpoint's secret; the previous one stays valid for ${ROTATION_GRACE_HOURS} hours`,
  description:
    'A new secret and the `url` that goes with it, shown once. Until `previous_secret_expires_at` the previous secret ' +
    'still verifies deliveries, at its own URL and at the new one; a secret older than that is no longer valid. ' +
    notConfigured,
  roles: CAN.administer,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(WebhookEndpointWithSecretSchema, 'The endpoint and its new secret, shown once.'), ...problemResponses(400, 404, 503) },
});

export const deleteWebhookEndpoint = protectedRoute({
  method: 'delete',
  path: '/v1/webhook-endpoints/{id}',
  tags,
  summary: 'Delete a webhook endpoint (its delivery records stay)',
  roles: CAN.administer,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted.' }, ...problemResponses(400, 404) },
});

export const listWebhookDeliveries = protectedRoute({
  method: 'get',
  path: '/v1/webhook-deliveries',
  tags,
  summary: 'List received webhook deliveries with their outcomes',
  description:
    'Newest first. Filters: `endpoint_id`, `status` (`processed`, `failed`), `received_after` (inclusive), `received_before` ' +
    '(exclusive). A delivery refused before it was recorded (bad signature, invalid body) is not listed: it changed nothing.',
  roles: CAN.administer,
  request: { query: ListWebhookDeliveriesQuerySchema },
  responses: { 200: jsonResponse(WebhookDeliveryPageSchema, 'A page of deliveries, newest first.'), ...problemResponses(400) },
});
