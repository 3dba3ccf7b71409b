import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { endpointSecret, hookId, sign } from '../../../../src/webhooks/signing';
import { asSystem } from '../../../helpers/db';
import type { FixtureIds } from '../../../helpers/tenant-fixture';
import type { RouteSpec } from './types';

/** A new webhook endpoint of `a` (for the requests that change or delete one). */
export async function newWebhookEndpoint(a: FixtureIds, kind: 'posts' | 'runs' = 'posts'): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(sql`insert into webhook_endpoints (id, client_id, kind) values (${id}, ${a.clients}, ${kind})`);
  return id;
}

/** A delivery to `a`'s fixture endpoint (a `posts` endpoint, version 1), signed now with its derived secret. */
async function signedDelivery(a: FixtureIds) {
  const address = { clientId: a.clients, endpointId: a.webhook_endpoints, version: 1 };
  const secret = await endpointSecret(String((env as Record<string, unknown>).WEBHOOK_SIGNING_KEY), address);
  const body = {
    type: 'posts.detected',
    timestamp: new Date().toISOString(),
    data: {
      platform: 'twitter',
      posts: [{ platform_post_id: `hook-${crypto.randomUUID()}`, author: { platform_id: `hook-${a.authors}`, handle: 'hooked' }, content: 'Via a webhook', keyword_matches: ['sleep'] }],
    },
  };
  const id = `msg_${crypto.randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = await sign(secret, id, timestamp, JSON.stringify(body));
  return {
    path: `/hooks/${hookId(address)}`,
    body,
    headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
  };
}

/** Signed webhook endpoints, their deliveries, and the signed receiver. */
export const WEBHOOK_ROUTES: Record<string, RouteSpec> = {
  'POST /v1/webhook-endpoints': { valid: async () => ({ path: '/v1/webhook-endpoints', body: { kind: 'runs', description: 'Suite sender' } }) },
  'GET /v1/webhook-endpoints': { valid: async () => ({ path: '/v1/webhook-endpoints' }) },
  'GET /v1/webhook-endpoints/{id}': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${a.webhook_endpoints}` }) },
  'POST /v1/webhook-endpoints/{id}/disable': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${await newWebhookEndpoint(a)}/disable` }) },
  'POST /v1/webhook-endpoints/{id}/rotate': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${await newWebhookEndpoint(a)}/rotate` }) },
  'DELETE /v1/webhook-endpoints/{id}': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${await newWebhookEndpoint(a)}` }) },
  'GET /v1/webhook-deliveries': { valid: async () => ({ path: '/v1/webhook-deliveries?status=processed' }) },
  'POST /hooks/{endpoint_id}': { public: true, valid: signedDelivery },
};
