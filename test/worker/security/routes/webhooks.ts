import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { hmac } from '../../../../src/lib/crypto';
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

const workerSecret = (name: string) => String((env as Record<string, unknown>)[name]);

/** Headers Slack sends with `body`: the timestamp (default now) and its `v0` signature with the Worker's secret. */
export async function slackHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)): Promise<Record<string, string>> {
  const mac = await hmac(workerSecret('SLACK_SIGNING_SECRET'), `v0:${timestamp}:${body}`);
  const signature = `v0=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  return { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** Headers Telegram sends: the webhook's secret token. */
export const telegramHeaders = (token = workerSecret('TELEGRAM_WEBHOOK_SECRET')) => ({
  'content-type': 'application/json',
  'x-telegram-bot-api-secret-token': token,
});

/** A new linked chat account of `user` (default `a`'s owner) in `a` (for the request that unlinks one). */
export async function newChannelLink(a: FixtureIds, user: string = a.users): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(
    sql`insert into channel_links (id, client_id, user_id, code_hash, code_expires_at, channel, channel_user_id, linked_at)
        values (${id}, ${a.clients}, ${user}, ${id.replaceAll('-', '').padEnd(64, '0')}, now(), 'telegram', ${`suite-${id}`}, now())`,
  );
  return id;
}

/** Signed webhook endpoints, their deliveries, the signed receiver, and the caller's chat links. */
export const WEBHOOK_ROUTES: Record<string, RouteSpec> = {
  'POST /v1/webhook-endpoints': { valid: async () => ({ path: '/v1/webhook-endpoints', body: { kind: 'runs', description: 'Suite sender' } }) },
  'GET /v1/webhook-endpoints': { valid: async () => ({ path: '/v1/webhook-endpoints' }) },
  'GET /v1/webhook-endpoints/{id}': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${a.webhook_endpoints}` }) },
  'POST /v1/webhook-endpoints/{id}/disable': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${await newWebhookEndpoint(a)}/disable` }) },
  'POST /v1/webhook-endpoints/{id}/rotate': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${await newWebhookEndpoint(a)}/rotate` }) },
  'DELETE /v1/webhook-endpoints/{id}': { valid: async (a) => ({ path: `/v1/webhook-endpoints/${await newWebhookEndpoint(a)}` }) },
  'GET /v1/webhook-deliveries': { valid: async () => ({ path: '/v1/webhook-deliveries?status=processed' }) },
  'POST /hooks/{endpoint_id}': { public: true, valid: signedDelivery },
  'POST /hooks/slack': {
    public: true,
    valid: async () => {
      const body = { type: 'url_verification', challenge: `suite-${crypto.randomUUID()}` };
      return { path: '/hooks/slack', body, headers: await slackHeaders(JSON.stringify(body)) };
    },
  },
  'POST /hooks/telegram': {
    public: true,
    // An update of no message: recorded as ignored, under a new update_id each time.
    valid: async () => ({ path: '/hooks/telegram', body: { update_id: Math.floor(Math.random() * 2 ** 40) }, headers: telegramHeaders() }),
  },
  'POST /v1/me/channel-links': { valid: async () => ({ path: '/v1/me/channel-links' }) },
  'GET /v1/me/channels': { valid: async () => ({ path: '/v1/me/channels' }) },
  'DELETE /v1/me/channels/{id}': { valid: async (a, caller) => ({ path: `/v1/me/channels/${await newChannelLink(a, caller)}` }) },
};
