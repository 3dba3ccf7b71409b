import { and, eq, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { webhookDeliveries, webhookEndpoints, type WebhookDelivery, type WebhookEndpoint } from '../db/schema';
import type { Env } from '../env';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, inTimeRange, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { endpointSecret, formatSecret, hookId } from './signing';
import { ROTATION_GRACE_HOURS } from './webhooks.schemas';
import type {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  disableWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  rotateWebhookEndpointSecret,
} from './webhooks.routes';

const endpointNotFound = () => new ApiError(404, 'WEBHOOK_ENDPOINT_NOT_FOUND', 'No such webhook endpoint in this client.');

export const notConfigured = (what: string) =>
  new ApiError(503, 'WEBHOOKS_NOT_CONFIGURED', `${what} is not configured on this deployment.`, { headers: { 'retry-after': '60' } });

/** The key secrets are derived from; endpoints cannot be made or rotated without it. */
function signingKey(config: Env): string {
  if (!config.WEBHOOK_SIGNING_KEY) throw notConfigured('WEBHOOK_SIGNING_KEY');
  return config.WEBHOOK_SIGNING_KEY;
}

/** An endpoint as the API shows it: its URL for the current secret version, never a secret. */
function toEndpoint(row: WebhookEndpoint, origin: string) {
  const address = { clientId: row.clientId, endpointId: row.id, version: row.secretVersion };
  return {
    id: row.id,
    client_id: row.clientId,
    kind: row.kind,
    description: row.description,
    url: `${origin}/hooks/${hookId(address)}`,
    secret_version: row.secretVersion,
    previous_secret_expires_at: row.previousSecretExpiresAt?.toISOString() ?? null,
    disabled_at: row.disabledAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

async function withSecret(config: Env, row: WebhookEndpoint, origin: string) {
  const secret = await endpointSecret(signingKey(config), { clientId: row.clientId, endpointId: row.id, version: row.secretVersion });
  return { ...toEndpoint(row, origin), secret: formatSecret(secret) };
}

const originOf = (url: string) => new URL(url).origin;

export const create: AppRouteHandler<typeof createWebhookEndpoint> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  signingKey(c.var.config); // refuse before writing anything
  const [rows] = await c.var.tenant.run((db) => [
    db.insert(webhookEndpoints).values({ clientId, kind: input.kind, description: input.description ?? null }).returning(),
  ]);
  if (!rows[0]) throw new Error('webhook endpoint insert returned no row');
  c.header('cache-control', 'no-store');
  return c.json(await withSecret(c.var.config, rows[0], originOf(c.req.url)), 201);
};

export const list: AppRouteHandler<typeof listWebhookEndpoints> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(webhookEndpoints.createdAt, webhookEndpoints.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.clientId, clientId), page.where))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  const origin = originOf(c.req.url);
  return c.json(toPage(rows, query.limit, byCreated, (row) => toEndpoint(row, origin)), 200);
};

const thisEndpoint = (clientId: string, id: string) => and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.clientId, clientId));

export const get: AppRouteHandler<typeof getWebhookEndpoint> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [db.select().from(webhookEndpoints).where(thisEndpoint(clientId, id))], { readOnly: true });
  if (!rows[0]) throw endpointNotFound();
  return c.json(toEndpoint(rows[0], originOf(c.req.url)), 200);
};

export const disable: AppRouteHandler<typeof disableWebhookEndpoint> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .update(webhookEndpoints)
      .set({ disabledAt: sql`coalesce(${webhookEndpoints.disabledAt}, date_trunc('milliseconds', now()))` })
      .where(thisEndpoint(clientId, id))
      .returning(),
  ]);
  if (!rows[0]) throw endpointNotFound();
  return c.json(toEndpoint(rows[0], originOf(c.req.url)), 200);
};

/**
 * One UPDATE: the current version becomes the previous one (valid for the grace period), the next
 * version the current one. Every SET expression reads the row as it was, so the step is atomic; two
 * concurrent rotations serialise on the row and each moves one step.
 */
export const rotate: AppRouteHandler<typeof rotateWebhookEndpointSecret> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  signingKey(c.var.config);
  const [rows] = await c.var.tenant.run((db) => [
    db
      .update(webhookEndpoints)
      .set({
        previousSecretVersion: sql`${webhookEndpoints.secretVersion}`,
        previousSecretExpiresAt: sql`date_trunc('milliseconds', now()) + make_interval(hours => ${ROTATION_GRACE_HOURS})`,
        secretVersion: sql`${webhookEndpoints.secretVersion} + 1`,
      })
      .where(thisEndpoint(clientId, id))
      .returning(),
  ]);
  if (!rows[0]) throw endpointNotFound();
  c.header('cache-control', 'no-store');
  return c.json(await withSecret(c.var.config, rows[0], originOf(c.req.url)), 200);
};

export const remove: AppRouteHandler<typeof deleteWebhookEndpoint> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [
    db.delete(webhookEndpoints).where(thisEndpoint(clientId, id)).returning({ id: webhookEndpoints.id }),
  ]);
  if (!rows[0]) throw endpointNotFound();
  return c.body(null, 204);
};

export const toDelivery = (row: WebhookDelivery) => ({
  id: row.id,
  client_id: row.clientId,
  endpoint_id: row.endpointId,
  source: row.source,
  webhook_id: row.deliveryId,
  event_type: row.eventType,
  status: row.status,
  response_status: row.responseStatus,
  error_code: row.errorCode,
  error: row.error,
  received_at: row.receivedAt.toISOString(),
});

export const listDeliveries: AppRouteHandler<typeof listWebhookDeliveries> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(webhookDeliveries.receivedAt, webhookDeliveries.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.clientId, clientId),
            query.endpoint_id ? eq(webhookDeliveries.endpointId, query.endpoint_id) : undefined,
            query.status ? eq(webhookDeliveries.status, query.status) : undefined,
            inTimeRange(webhookDeliveries.receivedAt, query.received_after, query.received_before),
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, (r) => [r.receivedAt, r.id], toDelivery), 200);
};
