import { sql } from 'drizzle-orm';
import { check, char, pgTable, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, indexOn, newestFirstIndex, nowMs, timestamptz, updatedAt } from './columns';
import { apiKeyRole, channel, memberRole } from './enums';
import { tenantTable } from './tenant-table';

/**
 * Global identity. A user reaches a client's data only through a membership. `display_name` is
 * the user's own (set by the system path, never by a tenant).
 */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: varchar('email', { length: 320 }).notNull(),
    displayName: varchar('display_name', { length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

/** Chat channels a user is linked on (seed 002). Global, like users. */
export const userChannels = pgTable(
  'user_channels',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: channel('channel').notNull(),
    channelUserId: varchar('channel_user_id', { length: 255 }).notNull(),
    channelUsername: varchar('channel_username', { length: 255 }),
    linkedAt: timestamptz('linked_at').notNull().default(nowMs),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('user_channels_channel_channel_user_id_key').on(t.channel, t.channelUserId),
    indexOn('user_channels', 'user_id').on(t.userId),
  ],
);

/**
 * A user's role in one client. `display_name` is this client's name for the member: users are
 * global, so what one client writes about a person is kept here and never shown to another.
 */
export const memberships = tenantTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    displayName: varchar('display_name', { length: 255 }),
  },
  (t) => [
    newestFirstIndex('memberships', t),
    uniqueIndex('memberships_client_id_user_id_key').on(t.clientId, t.userId),
    indexOn('memberships', 'user_id').on(t.userId),
  ],
);

/**
 * Machine credentials of a client. Only the SHA-256 of the key is stored (hex); the key itself
 * is shown once at creation. `prefix` is a short, non-secret part for display.
 */
export const apiKeys = tenantTable(
  'api_keys',
  {
    name: varchar('name', { length: 100 }).notNull(),
    prefix: varchar('prefix', { length: 16 }).notNull(),
    keyHash: char('key_hash', { length: 64 }).notNull(),
    role: apiKeyRole('role').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamptz('last_used_at'),
    expiresAt: timestamptz('expires_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    newestFirstIndex('api_keys', t),
    uniqueIndex('api_keys_key_hash_key').on(t.keyHash),
    indexOn('api_keys', 'created_by').on(t.createdBy),
    check('api_keys_key_hash_format', sql`${t.keyHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserChannel = typeof userChannels.$inferSelect;
export type NewUserChannel = typeof userChannels.$inferInsert;
export type Membership = typeof memberships.$inferSelect;
export type NewMembership = typeof memberships.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
