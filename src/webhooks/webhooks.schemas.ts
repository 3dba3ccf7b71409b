import { z } from '@hono/zod-openapi';
import { CreateOutputSchema, OutputSchema } from '../agent-work/outputs.schemas';
import { CompleteRunSchema, FailRunSchema, RunSchema } from '../agent-work/runs.schemas';
import { BulkPostsResultSchema, BulkPostsSchema } from '../engagement/posts.schemas';
import { PageQuerySchema, pageSchema } from '../lib/pagination';
import { body, InputTimestamp, Timestamp } from '../lib/schemas';

export const WEBHOOK_ENDPOINT_KINDS = ['posts', 'runs'] as const;
export type WebhookEndpointKind = (typeof WEBHOOK_ENDPOINT_KINDS)[number];
export const DELIVERY_STATUSES = ['received', 'processed', 'failed'] as const;
/** How long the previous secret of a rotated endpoint stays valid. */
export const ROTATION_GRACE_HOURS = 24;

export const WebhookEndpointSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    kind: z.enum(WEBHOOK_ENDPOINT_KINDS).openapi({ description: '`posts`: receives `posts.detected`; `runs`: `run.*` events.' }),
    description: z.string().nullable(),
    url: z.string().openapi({
      description: 'Where senders POST deliveries: `/hooks/{endpoint_id}`, naming the client, the endpoint and the current secret version.',
    }),
    secret_version: z.number().int(),
    previous_secret_expires_at: Timestamp.nullable().openapi({
      description: 'Until then the previous secret (and its URL) still verifies deliveries; null when there is none.',
    }),
    disabled_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('WebhookEndpoint');

export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description: 'The signing secret (`whsec_…`, Standard Webhooks). Shown in this response only; never stored.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('WebhookEndpointWithSecret');

export const WebhookEndpointPageSchema = pageSchema(WebhookEndpointSchema, 'WebhookEndpointPage');

export const CreateWebhookEndpointSchema = body({
  kind: z.enum(WEBHOOK_ENDPOINT_KINDS),
  description: z.string().trim().min(1).max(500).optional(),
}).openapi('CreateWebhookEndpoint');

export const WebhookDeliverySchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    endpoint_id: z.string().uuid().nullable().openapi({ description: 'The signed endpoint it came to; null for chat platforms.' }),
    source: z.string().openapi({ description: 'The endpoint id, `slack` or `telegram`.' }),
    webhook_id: z.string().openapi({ description: 'The sender’s delivery id (`webhook-id`, Slack `event_id`, Telegram `update_id`).' }),
    event_type: z.string().nullable(),
    status: z.enum(DELIVERY_STATUSES),
    response_status: z.number().int().nullable().openapi({ description: 'The HTTP status answered (again, to a repeated delivery).' }),
    error_code: z.string().nullable(),
    error: z.string().nullable().openapi({ description: 'Why its effect was refused.' }),
    received_at: Timestamp,
  })
  .openapi('WebhookDelivery');

export const WebhookDeliveryPageSchema = pageSchema(WebhookDeliverySchema, 'WebhookDeliveryPage');

export const ListWebhookDeliveriesQuerySchema = PageQuerySchema.extend({
  endpoint_id: z.string().uuid().optional().openapi({ description: 'Deliveries to this endpoint.' }),
  status: z.enum(DELIVERY_STATUSES).optional(),
  received_after: InputTimestamp.optional().openapi({ description: 'Received at or after this instant.' }),
  received_before: InputTimestamp.optional().openapi({ description: 'Received strictly before this instant.' }),
});

// ---------------------------------------------------------------------------------------------
// Events: the Standard Webhooks envelope {type, timestamp, data}. `data` reuses the REST bodies.

const runId = z.string().uuid().openapi({ description: 'The run, of the endpoint’s client.' });
const envelope = <T extends string, D extends z.ZodTypeAny>(type: T, data: D, name: string) =>
  z
    .object({
      type: z.literal(type),
      timestamp: z.string().datetime({ offset: true }).openapi({ description: 'When the event happened (ISO 8601).' }),
      data,
    })
    .strict()
    .openapi(name);

export const PostsDetectedEvent = envelope('posts.detected', BulkPostsSchema, 'PostsDetectedEvent');
export const RunStartedEvent = envelope('run.started', body({ run_id: runId }), 'RunStartedEvent');
export const RunCompletedEvent = envelope(
  'run.completed',
  CompleteRunSchema.extend({
    run_id: runId,
    cost_usd: z.number().min(0).max(1_000_000).optional().openapi({ description: 'Cost of the run in US dollars; kept in `metadata.cost_usd`.' }),
  }),
  'RunCompletedEvent',
);
export const RunFailedEvent = envelope('run.failed', FailRunSchema.extend({ run_id: runId }), 'RunFailedEvent');
export const RunOutputEvent = envelope('run.output', CreateOutputSchema.safeExtend({ run_id: runId }), 'RunOutputEvent');

export const WebhookEventSchema = z.discriminatedUnion('type', [
  PostsDetectedEvent,
  RunStartedEvent,
  RunCompletedEvent,
  RunFailedEvent,
  RunOutputEvent,
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** The kind of endpoint that receives each event. */
export const EVENT_KINDS: Record<WebhookEvent['type'], WebhookEndpointKind> = {
  'posts.detected': 'posts',
  'run.started': 'runs',
  'run.completed': 'runs',
  'run.failed': 'runs',
  'run.output': 'runs',
};

export const DeliveryResultSchema = z
  .object({
    id: z.string().uuid().openapi({ description: 'The delivery’s record (GET /v1/webhook-deliveries).' }),
    webhook_id: z.string(),
    type: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    duplicate: z.boolean().openapi({ description: 'True when this webhook-id was received before: nothing changed, this is its first outcome.' }),
    result: z
      .union([BulkPostsResultSchema.omit({ posts: true }), RunSchema, OutputSchema])
      .optional()
      .openapi({ description: 'What the first delivery did: the ingest counts, the run as it is now, or the stored output. Absent for a repeat.' }),
  })
  .openapi('WebhookDeliveryResult');

export const EndpointHookParamSchema = z.object({
  endpoint_id: z
    .string()
    .openapi({ param: { name: 'endpoint_id', in: 'path' }, description: 'The endpoint’s hook id, as in its `url`.', example: 'A1b2…' }),
});

/** Standard Webhooks headers, as documented on the receiver. */
export const SignatureHeadersSchema = z.object({
  'webhook-id': z.string().max(255).openapi({ description: 'Unique delivery id; the same id again is answered from the first outcome.' }),
  'webhook-timestamp': z.string().openapi({ description: 'Unix seconds; within ±5 minutes of the Worker’s clock.' }),
  'webhook-signature': z.string().openapi({
    description: 'Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`; any one valid signature of an active secret.',
  }),
});
