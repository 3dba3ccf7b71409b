import { sql } from 'drizzle-orm';
import { check, integer, pgEnum, varchar } from 'drizzle-orm/pg-core';
import { newestFirstIndex, timestamptz } from './columns';
import { tenantTable } from './tenant-table';

export const webhookEndpointKind = pgEnum('webhook_endpoint_kind', ['posts', 'runs']);

/**
 * A client's signed webhook endpoint (Standard Webhooks). No secret is stored: the Worker derives
 * each version's secret from its own key (src/webhooks/signing.ts); the row says which versions
 * are valid — the current one, and the previous one until `previous_secret_expires_at`.
 */
export const webhookEndpoints = tenantTable(
  'webhook_endpoints',
  {
    kind: webhookEndpointKind('kind').notNull(),
    description: varchar('description', { length: 500 }),
    secretVersion: integer('secret_version').notNull().default(1),
    previousSecretVersion: integer('previous_secret_version'),
    previousSecretExpiresAt: timestamptz('previous_secret_expires_at'),
    disabledAt: timestamptz('disabled_at'),
  },
  (t) => [
    newestFirstIndex('webhook_endpoints', t),
    check('webhook_endpoints_secret_version_positive', sql`${t.secretVersion} >= 1`),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type NewWebhookEndpoint = typeof webhookEndpoints.$inferInsert;
