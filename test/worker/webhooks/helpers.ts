import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { parseSecret, sign } from '../../../src/webhooks/signing';
import { call, json } from '../../helpers/api';
import { tokenAs, type FixtureIds } from '../../helpers/fixtures';

export interface Endpoint {
  id: string;
  url: string;
  /** `/hooks/{endpoint_id}` of `url`. */
  path: string;
  secret: string;
  secret_version: number;
  kind: 'posts' | 'runs';
}

/** The Worker's own key (vitest.config.ts), to derive what an attacker who had it could sign. */
export const signingKey = () => String((env as Record<string, unknown>).WEBHOOK_SIGNING_KEY);

export const pathOf = (url: string) => new URL(url).pathname;

/** An endpoint of the fixture's client, made through the API by its owner. */
export async function newEndpoint(ids: FixtureIds, kind: 'posts' | 'runs'): Promise<Endpoint> {
  const response = await call('POST', '/v1/webhook-endpoints', { token: await tokenAs(ids, 'owner'), body: { kind, description: `${kind} sender` } });
  expect(response.status, await response.clone().text()).toBe(201);
  const endpoint = await json<Omit<Endpoint, 'path'>>(response);
  return { ...endpoint, path: pathOf(endpoint.url) };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface DeliveryOptions {
  id?: string;
  timestamp?: number;
  /** Signs with these secrets (each one a `v1,` signature of the header); default: the endpoint's. */
  secrets?: string[];
  /** Replaces the whole `webhook-signature` header. */
  signature?: string;
  /** Leaves these headers out. */
  omit?: string[];
}

/** Headers of a Standard Webhooks delivery of `body`. */
export async function signedHeaders(secret: string, body: string, options: DeliveryOptions = {}): Promise<Record<string, string>> {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = options.timestamp ?? nowSeconds();
  const secrets = options.secrets ?? [secret];
  const signatures = await Promise.all(secrets.map((s) => sign(parseSecret(s), id, timestamp, body)));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': options.signature ?? signatures.join(' '),
  };
  for (const name of options.omit ?? []) delete headers[name];
  return headers;
}

/** Posts a signed delivery of `event` (an object, or a raw string) to `path`. */
export async function deliver(path: string, secret: string, event: unknown, options: DeliveryOptions = {}): Promise<Response> {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return call('POST', path, { rawBody: body, headers: await signedHeaders(secret, body, options) });
}

export const envelope = <T>(type: string, data: T) => ({ type, timestamp: new Date().toISOString(), data });

/** A posts.detected event of `count` posts, ids unique to this call. */
export function postsEvent(count: number, tag = crypto.randomUUID().slice(0, 8)) {
  return envelope('posts.detected', {
    platform: 'twitter',
    posts: Array.from({ length: count }, (_, i) => ({
      platform_post_id: `${tag}-${i}`,
      author: { platform_id: `${tag}-author-${i % 50}`, handle: `author_${i % 50}` },
      content: `Detected post ${i} about sleep`,
      keyword_matches: ['sleep'],
    })),
  });
}
