import { NeonDbError } from '@neondatabase/serverless';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { BatchItem } from 'drizzle-orm/batch';
import type { z } from 'zod';
import { tenantPrelude } from '../db/context';
import { createSystemExecutor } from '../db/executor';
import { outputs, webhookDeliveries } from '../db/schema';
import { validationError } from '../lib/create-router';
import { errorFields } from '../lib/logger';
import { ApiError, PROBLEM_CONTENT_TYPE } from '../lib/problem';
import type { AppEnv } from '../lib/types';
import { effectOf, type Outcome } from './effects';
import { checkHeaders, endpointSecret, matchingSecret, parseHookId, type HookAddress, type SignatureFailure } from './signing';
import { notConfigured } from './webhooks.handlers';
import { EVENT_KINDS, WebhookEventSchema, type WebhookEvent } from './webhooks.schemas';

const SIGNATURE_PROBLEMS: Record<SignatureFailure, () => ApiError> = {
  missing: () =>
    new ApiError(401, 'WEBHOOK_SIGNATURE_MISSING', 'Send the webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks).'),
  malformed: () => new ApiError(401, 'WEBHOOK_SIGNATURE_INVALID', 'The webhook-id, webhook-timestamp or webhook-signature header is malformed.'),
  timestamp: () =>
    new ApiError(401, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE', 'The webhook-timestamp is more than 5 minutes away from the receiver’s clock.'),
  mismatch: () => new ApiError(401, 'WEBHOOK_SIGNATURE_INVALID', 'No signature matches a secret of this endpoint.'),
};

const endpointNotFound = () => new ApiError(404, 'WEBHOOK_ENDPOINT_NOT_FOUND', 'No such webhook endpoint.');

/** The refusals accept_webhook_delivery raises (drizzle/0015_webhook_receivers.sql); WH409 is a repeat. */
const ACCEPT_REFUSALS: Record<string, () => ApiError> = {
  WH404: endpointNotFound,
  WH403: () => new ApiError(403, 'WEBHOOK_ENDPOINT_DISABLED', 'This webhook endpoint is disabled; do not retry.'),
  WH401: () => new ApiError(401, 'WEBHOOK_SECRET_EXPIRED', 'The delivery is signed with a secret that was rotated out; sign with the current secret.'),
  WH422: () => new ApiError(422, 'WEBHOOK_EVENT_NOT_ACCEPTED', 'This kind of endpoint does not receive this event type; do not retry.'),
};

interface FirstOutcome {
  id: string;
  status: 'received' | 'processed' | 'failed';
  response_status: number | null;
  error_code: string | null;
  error: string | null;
  event_type: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses a verified body: JSON (UTF-8), then `schema`. Nothing has been written yet. */
export function parseVerifiedBody<T extends z.ZodType>(body: Uint8Array, schema: T): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch {
    throw new ApiError(400, 'INVALID_JSON', 'The body is not JSON (UTF-8); do not retry.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError('body', parsed.error as z.ZodError);
  return parsed.data;
}

const parseEvent = (body: Uint8Array): WebhookEvent => parseVerifiedBody(body, WebhookEventSchema);

/** Rotations after which a URL still takes the newest secret (each costs one more HMAC of a forged delivery's body). */
const ROTATIONS_AHEAD = 3;
const MAX_SECRET_VERSION = 2_147_483_647;

/** A failed outcome as the sender sees it: a 4xx problem saying not to retry. */
function refused(status: number, code: string, detail: string): ApiError {
  return new ApiError(status as 404, code, `${detail} The delivery is recorded as failed; do not retry.`);
}

/**
 * `POST /hooks/{endpoint_id}`: a Standard Webhooks delivery. In order, each step before any
 * database work: the hook id names a client, endpoint and secret version; the headers are present
 * and the timestamp within 5 minutes; the raw body (at most 1 MiB, the API's body limit) carries a
 * `v1` signature of that version's secret, of the one before it, or of one of the next three. Only then is the body
 * parsed and ONE batch sent: the tenant context of the endpoint's client, the delivery accepted and
 * recorded (accept_webhook_delivery: endpoint active, version valid, webhook-id new), and the
 * event's effect, in one transaction.
 */
export async function receive(c: Context<AppEnv>): Promise<Response> {
  const address = parseHookId(c.req.param('endpoint_id') ?? '');
  if (!address) throw endpointNotFound();
  const key = c.var.config.WEBHOOK_SIGNING_KEY;
  if (!key) throw notConfigured('WEBHOOK_SIGNING_KEY');

  const headers = { id: c.req.header('webhook-id'), timestamp: c.req.header('webhook-timestamp'), signature: c.req.header('webhook-signature') };
  const failure = checkHeaders(headers, Math.floor(Date.now() / 1000));
  if (failure) throw SIGNATURE_PROBLEMS[failure]();
  const body = new Uint8Array(await c.req.arrayBuffer());
  // The URL's version; the one before it (during a rotation's grace period a sender may sign with
  // the previous secret at the new URL); and the next few (a sender that took a rotated secret but
  // kept its URL). The database says which of them are still valid.
  const candidates: HookAddress[] = [
    address.version,
    address.version - 1,
    ...Array.from({ length: ROTATIONS_AHEAD }, (_, i) => address.version + 1 + i),
  ]
    .filter((version) => version >= 1 && version <= MAX_SECRET_VERSION)
    .map((version) => ({ ...address, version }));
  const secrets = candidates.map((candidate) => () => endpointSecret(key, candidate));
  const matched = await matchingSecret(headers as { id: string; timestamp: string; signature: string }, body, secrets);
  if (matched < 0) throw SIGNATURE_PROBLEMS.mismatch();

  const event = parseEvent(body);
  const webhookId = headers.id!;
  const deliveryId = crypto.randomUUID();
  const { clientId, endpointId } = address;
  const config = c.var.config;
  let effect: ReturnType<typeof effectOf> | undefined;
  let results: unknown[];
  try {
    results = await createSystemExecutor(config).run((db) => {
      effect = effectOf(db, clientId, deliveryId, event);
      return [
        // Narrowed at once to the endpoint's client: row-level security applies from here on.
        ...tenantPrelude({ clientId, userId: null, role: 'service' }).map((statement) => db.execute(statement)),
        db.execute(sql`select app_private.accept_webhook_delivery(${endpointId}::uuid, ${candidates[matched]!.version}::int,
                         ${EVENT_KINDS[event.type]}::text, ${deliveryId}::uuid, ${webhookId}::text, ${event.type}::text)`),
        ...effect.statements,
      ] as unknown as [BatchItem<'pg'>];
    });
  } catch (error) {
    if (error instanceof NeonDbError && error.code === 'WH409') return repeat(c, webhookId, error.detail);
    const refusal = error instanceof NeonDbError && error.code ? ACCEPT_REFUSALS[error.code] : undefined;
    if (refusal) throw refusal();
    throw error;
  }
  const outcome: Outcome = effect!.outcome(results.slice(3));
  if (outcome.status === 'failed') throw refused(outcome.responseStatus, outcome.errorCode, outcome.error);
  if (outcome.store) await storeContent(c, clientId, deliveryId, outcome.store);
  return c.json({ id: deliveryId, webhook_id: webhookId, type: event.type, status: 'processed', duplicate: false, result: outcome.result }, 200);
}

/** A webhook-id received before: its first outcome, and nothing changed. */
function repeat(c: Context<AppEnv>, webhookId: string, detail: string | undefined): Response {
  const first = JSON.parse(detail ?? '{}') as FirstOutcome;
  c.header('x-webhook-duplicate', 'true');
  if (first.status === 'failed') {
    const problem = refused(first.response_status ?? 409, first.error_code ?? 'REFUSED', first.error ?? '').toProblem(c.get('requestId'));
    return c.body(JSON.stringify(problem), problem.status as 409, { 'content-type': PROBLEM_CONTENT_TYPE });
  }
  return c.json({ id: first.id, webhook_id: webhookId, type: first.event_type ?? '', status: first.status, duplicate: true }, 200);
}

/**
 * A `run.output`'s content, stored in R2 after its record committed (as POST /v1/runs/{id}/outputs
 * does: a refused delivery never touches the bucket). If the upload fails, the output and the
 * delivery's record are removed again, so the sender's retry (503) is received afresh.
 */
async function storeContent(c: Context<AppEnv>, clientId: string, deliveryId: string, store: NonNullable<Extract<Outcome, { status: 'processed' }>['store']>) {
  try {
    await c.env.OBJECTS.put(store.key, new TextEncoder().encode(store.content), { httpMetadata: { contentType: store.contentType } });
  } catch (error) {
    c.var.logger.error('webhook output not stored; removing its records', { output_id: store.outputId, ...errorFields(error) });
    await createSystemExecutor(c.var.config)
      .run((db) => [
        db.delete(outputs).where(and(eq(outputs.id, store.outputId), eq(outputs.clientId, clientId))),
        db.delete(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.clientId, clientId))),
      ])
      .catch((cleanup: unknown) => c.var.logger.error('webhook output records not removed', { output_id: store.outputId, ...errorFields(cleanup) }));
    throw new ApiError(503, 'STORAGE_UNAVAILABLE', 'The output could not be stored; retry shortly.', { headers: { 'retry-after': '2' }, cause: error });
  }
}
