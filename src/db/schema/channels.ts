import { sql } from 'drizzle-orm';
import { check, pgEnum, pgTable, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { id, indexOn, newestFirstIndex, nowMs, timestamptz } from './columns';
import { users } from './access';
import { channel } from './enums';
import { tenantTable } from './tenant-table';

/**
 * A person's chat account linked to one client (src/channels): made pending by
 * `POST /v1/me/channel-links` with the SHA-256 of a one-time code, linked when the code arrives from
 * the chat (`/link CODE`). A tenant table, so the person manages their links with their own token
 * under row-level security; `user_channels` stays the global, system-only table of seed 002.
 * An account is linked once (unique channel + account): linking it again moves it.
 */
export const channelLinks = tenantTable(
  'channel_links',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: varchar('code_hash', { length: 64 }).notNull(),
    codeExpiresAt: timestamptz('code_expires_at').notNull(),
    channel: channel('channel'),
    channelUserId: varchar('channel_user_id', { length: 255 }),
    channelUsername: varchar('channel_username', { length: 255 }),
    linkedAt: timestamptz('linked_at'),
  },
  (t) => [
    newestFirstIndex('channel_links', t),
    uniqueIndex('channel_links_code_hash_key').on(t.codeHash),
    uniqueIndex('channel_links_channel_channel_user_id_key').on(t.channel, t.channelUserId),
    indexOn('channel_links', 'user_id').on(t.userId),
    check('channel_links_code_hash_format', sql`${t.codeHash} ~ '^[0-9a-f]{64}$'`),
    check(
      'channel_links_linked_has_account',
      sql`(${t.linkedAt} IS NULL) = (${t.channel} IS NULL) AND (${t.linkedAt} IS NULL) = (${t.channelUserId} IS NULL)`,
    ),
  ],
);

/** What a chat delivery did (the receivers of src/channels). */
export const chatDeliveryOutcome = pgEnum('chat_delivery_outcome', [
  'received',
  'run_queued',
  'linked',
  'link_code_invalid',
  'unlinked',
  'no_skill',
  'not_permitted',
  'ignored',
]);

/**
 * Slack and Telegram deliveries, deduplicated by the platform's id (`event_id`, `update_id`).
 * Global, system path only: an unlinked sender's delivery belongs to no client. `channel_link_id`
 * and `run_id` have no foreign key: the record outlives them.
 */
export const chatDeliveries = pgTable(
  'chat_deliveries',
  {
    id: id(),
    channel: channel('channel').notNull(),
    deliveryId: varchar('delivery_id', { length: 255 }).notNull(),
    receivedAt: timestamptz('received_at').notNull().default(nowMs),
    outcome: chatDeliveryOutcome('outcome').notNull().default('received'),
    channelUserId: varchar('channel_user_id', { length: 255 }),
    chatId: varchar('chat_id', { length: 255 }),
    channelLinkId: uuid('channel_link_id'),
    runId: uuid('run_id'),
  },
  (t) => [
    uniqueIndex('chat_deliveries_channel_delivery_id_key').on(t.channel, t.deliveryId),
    indexOn('chat_deliveries', 'received_at').on(t.receivedAt),
  ],
);

export type ChannelLink = typeof channelLinks.$inferSelect;
export type ChatDelivery = typeof chatDeliveries.$inferSelect;
