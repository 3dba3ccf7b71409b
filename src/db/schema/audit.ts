import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
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
  },
  (t) => [
    uniqueIndex('webhook_deliveries_client_id_source_delivery_id_key').on(t.clientId, t.source, t.deliveryId),
  ],
);

export type AuditLog = typeof auditLogs.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type NewWebhookDelivery = typeof webhookDeliveries.$inferInsert;
