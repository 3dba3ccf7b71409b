import { z } from '@hono/zod-openapi';
import { Timestamp } from '../lib/schemas';

/** A one-time link code lives this long (the 10 minutes). */
export const LINK_CODE_MINUTES = 10;
/** Characters of a link code: upper-case letters and digits without I/O/0/1, easy to type from a phone. */
export const LINK_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const LINK_CODE_LENGTH = 10;

export const ChannelLinkCodeSchema = z
  .object({
    code: z.string().openapi({ description: 'The one-time code. Shown once: only its SHA-256 is stored.', example: 'K7Q2MXR9TB' }),
    expires_at: Timestamp.openapi({ description: `${LINK_CODE_MINUTES} minutes from now.` }),
    instructions: z.string().openapi({ example: 'Send "/link K7Q2MXR9TB" to the bot within 10 minutes.' }),
  })
  .openapi('ChannelLinkCode');

export const LinkedChannelSchema = z
  .object({
    id: z.string().uuid(),
    channel: z.enum(['telegram', 'slack', 'web']),
    channel_user_id: z.string(),
    channel_username: z.string().nullable(),
    linked_at: Timestamp,
  })
  .openapi('LinkedChannel');

export const LinkedChannelListSchema = z.object({ data: z.array(LinkedChannelSchema) }).openapi('LinkedChannelList');

/** What a chat receiver answers to an accepted delivery (always 200, so the platform does not retry). */
export const ChatDeliveryResultSchema = z
  .object({
    ok: z.literal(true),
    duplicate: z.boolean().openapi({ description: 'The platform sent this event (or update) before; nothing was done again.' }),
    outcome: z
      .enum(['run_queued', 'linked', 'link_code_invalid', 'unlinked', 'no_skill', 'not_permitted', 'ignored'])
      .nullable()
      .openapi({ description: 'What the delivery did; null for a duplicate.' }),
  })
  .openapi('ChatDeliveryResult');

export const SlackChallengeSchema = z.object({ challenge: z.string() }).openapi('SlackChallenge');

/** The Slack Events API payloads the receiver reads (other fields are ignored). */
export const SlackPayloadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string().max(500) }),
  z.object({
    type: z.literal('event_callback'),
    event_id: z.string().min(1).max(255),
    event: z.object({
      type: z.string(),
      user: z.string().max(255).optional(),
      text: z.string().optional(),
      channel: z.string().max(255).optional(),
      bot_id: z.string().optional(),
      subtype: z.string().optional(),
    }),
  }),
]);

/** The Telegram Bot API update the receiver reads (other fields and kinds of update are ignored). */
export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: z
    .object({
      from: z.object({ id: z.number().int(), username: z.string().max(255).optional() }).optional(),
      chat: z.object({ id: z.number().int() }),
      text: z.string().optional(),
    })
    .optional(),
});
