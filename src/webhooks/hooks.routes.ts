import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi';
import { jsonBody, jsonResponse } from '../lib/schemas';
import {
  DeliveryResultSchema,
  EndpointHookParamSchema,
  PostsDetectedEvent,
  RunCompletedEvent,
  RunFailedEvent,
  RunOutputEvent,
  RunStartedEvent,
  SignatureHeadersSchema,
  WebhookEventSchema,
} from './webhooks.schemas';

const tags = ['webhooks'];

/**
 * The signed receiver, as the OpenAPI document describes it. It is served by a plain handler
 * (hooks.handlers.ts), not validated by the route: the signature is checked over the raw body
 * before the body is parsed.
 */
export const receiveSignedDelivery = createRoute({
  method: 'post',
  path: '/hooks/{endpoint_id}',
  tags,
  summary: 'Receive a signed delivery (Standard Webhooks)',
  description:
    'No bearer token: the signature is the credential. Checked before any database work: the endpoint id is one this ' +
    'API issued; `webhook-id`, `webhook-timestamp` (±5 minutes) and `webhook-signature` (`v1,` HMAC-SHA256 over ' +
    '`{id}.{timestamp}.{raw body}`, several space-separated, any active secret; constant-time) are present and valid; ' +
    'the body is at most 1 MiB. A bad signature is refused with 401 and costs no database work. A valid delivery costs ' +
    'one database round trip that records it (`GET /v1/webhook-deliveries`) and applies its effect in the same ' +
    'transaction. The same `webhook-id` again, even concurrently, changes nothing and is answered with the first ' +
    'outcome (`duplicate: true`). An effect that is refused (unknown run, invalid transition) is recorded as failed ' +
    'and answered 404/409: do not retry. 503 with `Retry-After`: retry. Events are described under `webhooks`.',
  request: { params: EndpointHookParamSchema, headers: SignatureHeadersSchema, body: jsonBody(WebhookEventSchema) },
  responses: {
    200: jsonResponse(DeliveryResultSchema, 'Processed now, or before (`duplicate: true`).'),
    ...problemResponses(400, 401, 403, 404, 409, 413, 422, 503),
  },
});

const eventDocs = [
  [PostsDetectedEvent, 'posts.detected', 'Posts a crawler detected (to a `posts` endpoint): `data` is exactly the body of `POST /v1/posts/bulk`, up to 1,000 posts, ingested the same way.'],
  [RunStartedEvent, 'run.started', 'A queued run started (to a `runs` endpoint): queued → running.'],
  [RunCompletedEvent, 'run.completed', 'A running run completed, with its token usage, model and cost: running → completed.'],
  [RunFailedEvent, 'run.failed', 'A running run failed, with its error: running → failed.'],
  [RunOutputEvent, 'run.output', 'An output of a run, inline (≤ 512 KiB); its content is stored in object storage as `POST /v1/runs/{id}/outputs` does.'],
] as const;

/** The events, as OpenAPI 3.1 `webhooks`: each one a delivery senders POST to the endpoint's URL. */
export const eventWebhooks = eventDocs.map(([schema, type, description]) => ({
  method: 'post' as const,
  path: type,
  tags,
  summary: type,
  description: `${description} Sent to \`POST /hooks/{endpoint_id}\`, signed as Standard Webhooks says.`,
  request: { headers: SignatureHeadersSchema, body: jsonBody(schema) },
  responses: { 200: jsonResponse(DeliveryResultSchema, 'Processed, or processed before.') },
}));
