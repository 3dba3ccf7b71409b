import { sql } from 'drizzle-orm';
import { jsonb, pgTable, smallint, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { clients } from './clients';
import { createdAt, id, indexOn, nowMs, timestamptz } from './columns';
import { auditAction, webhookDeliveryStatus } from './enums';
import { tenantTable } from './tenant-table';

/**
 * Append-only trail of every change to tenant data, written by triggers in the same
 * transaction as the change (`app_private.audit_capture`). Tenants may read, never write.
 */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: id(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    entityType: varchar('entity_type', { length: 64 }).notNull(),
    entityId: uuid('entity_id').notNull(),
    action: auditAction('action').notNull(),
    /** `app.user_id` of the transaction; null for system work. Not a foreign key: the trail outlives users. */
    actorId: uuid('actor_id'),
    changedColumns: text('changed_columns').array().notNull().default(sql`'{}'::text[]`),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    indexOn('audit_logs', 'client_id', 'entity_type', 'entity_id').on(t.clientId, t.entityType, t.entityId),
    indexOn('audit_logs', 'client_id', 'created_at').on(t.clientId, t.createdAt),
    indexOn('audit_logs', 'client_id', 'actor_id').on(t.clientId, t.actorId),
  ],
);

/** Webhook deliveries by id, so receivers process each delivery once. */
export const webhookDeliveries = tenantTable(
  'webhook_deliveries',
  {
    source: varchar('source', { length: 50 }).notNull(),
    deliveryId: varchar('delivery_id', { length: 255 }).notNull(),
    receivedAt: timestamptz('received_at').notNull().default(nowMs),
    status: webhookDeliveryStatus('status').notNull().default('received'),
    error: text('error'),
    /** The signed endpoint it came to (src/webhooks); no foreign key: the record outlives a deleted endpoint. */
    endpointId: uuid('endpoint_id'),
    eventType: varchar('event_type', { length: 100 }),
    /** The outcome answered to the sender, answered again to a repeated delivery. */
    responseStatus: smallint('response_status'),
    errorCode: varchar('error_code', { length: 100 }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_client_id_source_delivery_id_key').on(t.clientId, t.source, t.deliveryId),
    indexOn('webhook_deliveries', 'client_id', 'received_at', 'id').on(t.clientId, t.receivedAt, t.id),
    indexOn('webhook_deliveries', 'client_id', 'endpoint_id', 'received_at', 'id').on(t.clientId, t.endpointId, t.receivedAt, t.id),
  ],
);

export type AuditLog = typeof auditLogs.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type NewWebhookDelivery = typeof webhookDeliveries.$inferInsert;
