import { sql } from 'drizzle-orm';
import { boolean, check, jsonb, pgTable, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';

/** Per-client settings (seed 000). */
export interface ClientSettings {
  timezone?: string;
  default_language?: string;
  features?: { publishing?: boolean; engagement?: boolean; browser_lane?: boolean };
  limits?: { max_platform_accounts?: number; max_brand_kits?: number; max_knowledge_bases?: number };
  /** Days kept per dataset (src/jobs/retention/policy.ts); system only. */
  retention?: { posts_days?: number; kpi_metrics_days?: number; audit_logs_days?: number };
}

/** The tenant root: every tenant-owned row carries `client_id` referencing it. */
export const clients = pgTable(
  'clients',
  {
    id: id(),
    name: varchar('name', { length: 255 }).notNull(),
    slug: varchar('slug', { length: 100 }).notNull(),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    settings: jsonb('settings').$type<ClientSettings>().notNull().default({}),
    /** Prefix of this client's objects in R2 (run outputs, archives), e.g. `clients/acme/`. */
    storagePrefix: varchar('storage_prefix', { length: 500 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('clients_slug_key').on(t.slug),
    uniqueIndex('clients_storage_prefix_key').on(t.storagePrefix),
    check('clients_slug_format', sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$'`),
    check('clients_storage_prefix_format', sql`${t.storagePrefix} ~ '^[a-z0-9/_-]+/$'`),
  ],
);

export type Client = typeof clients.$inferSelect;
export type NewClient = typeof clients.$inferInsert;
