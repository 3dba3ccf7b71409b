import { sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { CAN } from '../auth/principal';
import { MAX_USER_MESSAGE } from '../agent-work/runs.schemas';
import { skillMatches } from '../agent-work/skills.queries';
import type { Database } from '../db/client';
import { createSystemExecutor } from '../db/executor';
import { chatDeliveries, skills, type ChatDelivery } from '../db/schema';
import { ApiError } from '../lib/problem';
import type { AppEnv } from '../lib/types';
import { parseVerifiedBody } from '../webhooks/hooks.handlers';
import { constantTimeEqual, hmac } from '../lib/crypto';
import { TIMESTAMP_TOLERANCE_SECONDS } from '../webhooks/signing';
import { notConfigured } from '../webhooks/webhooks.handlers';
import { linkCodeHash } from './channels.handlers';
import { SlackPayloadSchema, TelegramUpdateSchema } from './channels.schemas';

type Channel = 'slack' | 'telegram';
type Outcome = ChatDelivery['outcome'];

/** One delivery of a chat platform, as the receivers hand it to `record`. */
interface ChatMessage {
  channel: Channel;
  /** The platform's id of the delivery: Slack's `event_id`, Telegram's `update_id`. */
  deliveryId: string;
  /** null: an event that is not a person's text message (bots, edits, joins…): recorded as ignored. */
  message: { channelUserId: string; chatId: string; text: string; username: string | null } | null;
}

/**
 * `/link CODE` (Telegram may add `@botname` to a command). Slack keeps messages starting with `/`
 * for its own slash commands, so there `link CODE` without the slash, with a code's shape, links too.
 */
const LINK_COMMAND = /^(?:\/link(?:@\w+)?\s+(\S+)|link\s+([A-Za-z0-9]{10}))\s*$/i;

const encoder = new TextEncoder();

/**
 * The delivery's statements, sent as ONE system batch (one round trip, one transaction): the record
 * under the unique key (channel, platform id), then the effect, which acts only if this batch's
 * record was inserted. So a repeat (a Slack retry, a Telegram redelivery, concurrent copies: the
 * unique key makes the second wait for the first) changes nothing. The system path because the
 * client is known only once the sender's link is read; every statement names the linked client.
 */
function statements(db: Database, id: string, delivery: ChatMessage, codeHash: string | null) {
  const { channel, message } = delivery;
  const record = db
    .insert(chatDeliveries)
    .values({
      id,
      channel,
      deliveryId: delivery.deliveryId,
      outcome: message ? 'received' : 'ignored',
      channelUserId: message?.channelUserId ?? null,
      chatId: message?.chatId ?? null,
    })
    .onConflictDoNothing({ target: [chatDeliveries.channel, chatDeliveries.deliveryId] })
    .returning({ id: chatDeliveries.id });
  if (!message) return [record] as const;
  const fresh = sql`exists (select 1 from chat_deliveries d where d.id = ${id}::uuid)`;
  const settle = (effect: SQL, outcome: SQL, linkId: SQL, runId: SQL) =>
    db.execute<{ outcome: Outcome }>(sql`
      with ${effect}
      update chat_deliveries set outcome = (${outcome})::chat_delivery_outcome, channel_link_id = ${linkId}, run_id = ${runId}
      where id = ${id}::uuid
      returning outcome`);
  if (codeHash) {
    const validCode = sql`l.code_hash = ${codeHash} and l.linked_at is null and l.code_expires_at > now()`;
    return [
      record,
      // The account was linked before (maybe in another client, by another person): the valid code moves it.
      db.execute(sql`
        delete from channel_links where channel = ${channel}::channel and channel_user_id = ${message.channelUserId}
          and ${fresh} and exists (select 1 from channel_links l where ${validCode})`),
      settle(
        sql`linked as (
              update channel_links l set channel = ${channel}::channel, channel_user_id = ${message.channelUserId},
                     channel_username = ${message.username}, linked_at = now()
              where ${validCode} and ${fresh}
              returning l.id)`,
        sql`case when exists (select 1 from linked) then 'linked' else 'link_code_invalid' end`,
        sql`(select id from linked)`,
        sql`null`,
      ),
    ] as const;
  }
  const runId = crypto.randomUUID();
  const text = message.text.slice(0, MAX_USER_MESSAGE);
  const input = { channel, chat_id: message.chatId, channel_user_id: message.channelUserId, delivery_id: delivery.deliveryId };
  return [
    record,
    settle(
      // The linked person must still be a member of an active client with a role that may queue
      // runs (POST /v1/runs), decided now, as for a request with a token.
      sql`link as (
            select l.id, l.client_id, l.user_id from channel_links l join clients cl on cl.id = l.client_id and cl.is_active
            where l.channel = ${channel}::channel and l.channel_user_id = ${message.channelUserId} and ${fresh}),
          requester as (
            select link.* from link join memberships m on m.client_id = link.client_id and m.user_id = link.user_id
            where m.role::text = any(${`{${CAN.write.join(',')}}`}::text[])),
          skill as (
            select ${skills.id} as id from ${skills} where ${skillMatches(text)} order by ${skills.createdAt}, ${skills.id} limit 1),
          run as (
            insert into runs (id, client_id, user_id, skill_id, user_message, metadata, external_event_id)
            select ${runId}::uuid, r.client_id, r.user_id, s.id, ${text}::text, ${JSON.stringify(input)}::jsonb,
                   ${`${channel}:${delivery.deliveryId}`.slice(0, 100)}::text
            from requester r cross join skill s
            returning id)`,
      sql`case when exists (select 1 from run) then 'run_queued'
               when not exists (select 1 from link) then 'unlinked'
               when not exists (select 1 from requester) then 'not_permitted'
               else 'no_skill' end`,
      sql`(select id from link)`,
      sql`(select id from run)`,
    ),
  ] as const;
}

/** Records the delivery and applies it in one round trip; answers 200 whatever it did, so the platform does not retry. */
async function record(c: Context<AppEnv>, delivery: ChatMessage): Promise<Response> {
  const command = delivery.message ? LINK_COMMAND.exec(delivery.message.text.trim()) : null;
  const code = command ? (command[1] ?? command[2]) : undefined;
  const codeHash = code === undefined ? null : await linkCodeHash(code);
  const id = crypto.randomUUID();
  const results = await createSystemExecutor(c.var.config).run((db) => [...statements(db, id, delivery, codeHash)] as never);
  const [inserted, ...effect] = results as unknown as [{ id: string }[], ...unknown[]];
  if (inserted.length === 0) return c.json({ ok: true as const, duplicate: true, outcome: null }, 200);
  const settled = effect.at(-1) as { rows: { outcome: Outcome }[] } | undefined;
  return c.json({ ok: true as const, duplicate: false, outcome: settled ? settled.rows[0]!.outcome : 'ignored' }, 200);
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * `POST /hooks/slack` (Slack Events API). Before any database work: the signing secret is
 * configured, `X-Slack-Request-Timestamp` is within 5 minutes and `X-Slack-Signature` is
 * `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` (compared in constant time). Then the
 * `url_verification` challenge is answered without the database; an event costs one round trip.
 */
export async function receiveSlack(c: Context<AppEnv>): Promise<Response> {
  const secret = c.var.config.SLACK_SIGNING_SECRET;
  if (!secret) throw notConfigured('SLACK_SIGNING_SECRET');
  const timestamp = c.req.header('x-slack-request-timestamp');
  const signature = c.req.header('x-slack-signature');
  if (!timestamp || !signature) throw new ApiError(401, 'SLACK_SIGNATURE_MISSING', 'Send X-Slack-Request-Timestamp and X-Slack-Signature.');
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) {
    throw new ApiError(401, 'SLACK_SIGNATURE_INVALID', 'X-Slack-Request-Timestamp or X-Slack-Signature is malformed.');
  }
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) {
    throw new ApiError(401, 'SLACK_TIMESTAMP_OUT_OF_RANGE', 'X-Slack-Request-Timestamp is more than 5 minutes away from the receiver’s clock.');
  }
  const body = new Uint8Array(await c.req.arrayBuffer());
  const base = encoder.encode(`v0:${timestamp}:`);
  const signed = new Uint8Array(base.length + body.length);
  signed.set(base, 0);
  signed.set(body, base.length);
  const expected = encoder.encode(`v0=${hex(await hmac(secret, signed))}`);
  if (!constantTimeEqual(expected, encoder.encode(signature))) {
    throw new ApiError(401, 'SLACK_SIGNATURE_INVALID', 'X-Slack-Signature does not match the signing secret.');
  }

  const payload = parseVerifiedBody(body, SlackPayloadSchema);
  if (payload.type === 'url_verification') return c.json({ challenge: payload.challenge }, 200);
  const { event } = payload;
  const isPersonMessage =
    (event.type === 'message' || event.type === 'app_mention') && !event.bot_id && !event.subtype && event.user && event.text && event.channel;
  return record(c, {
    channel: 'slack',
    deliveryId: payload.event_id,
    message: isPersonMessage
      ? // A mention starts with `<@BOT>`: the message is what follows.
        { channelUserId: event.user!, chatId: event.channel!, text: event.text!.replace(/^\s*<@[^>]+>\s*/, ''), username: null }
      : null,
  });
}

/**
 * `POST /hooks/telegram` (Telegram Bot API webhook). Before any database work: the secret token
 * is configured and `X-Telegram-Bot-Api-Secret-Token` equals it (both hashed, then compared in
 * constant time, so neither the length nor a prefix leaks). An update costs one round trip.
 */
export async function receiveTelegram(c: Context<AppEnv>): Promise<Response> {
  const secret = c.var.config.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) throw notConfigured('TELEGRAM_WEBHOOK_SECRET');
  const given = c.req.header('x-telegram-bot-api-secret-token') ?? '';
  const [a, b] = await Promise.all([given, secret].map(async (value) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)))));
  if (!given || !constantTimeEqual(a!, b!)) {
    throw new ApiError(401, 'TELEGRAM_SECRET_TOKEN_INVALID', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong.');
  }
  const update = parseVerifiedBody(new Uint8Array(await c.req.arrayBuffer()), TelegramUpdateSchema);
  const message = update.message;
  return record(c, {
    channel: 'telegram',
    deliveryId: String(update.update_id),
    message:
      message?.from && message.text
        ? { channelUserId: String(message.from.id), chatId: String(message.chat.id), text: message.text, username: message.from.username ?? null }
        : null,
  });
}
