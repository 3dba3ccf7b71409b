import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi';
import { jsonResponse } from '../lib/schemas';
import { ChatDeliveryResultSchema, SlackChallengeSchema } from './channels.schemas';

const tags = ['channels'];

const outcomes =
  'What it did: `run_queued` (a linked person’s message: a queued run for their client, requested by them, the skill chosen ' +
  'by the skills’ trigger keywords, the text as `user_message` and channel, chat and sender ids in `metadata`), `linked` ' +
  '(`/link CODE` with a valid code), `link_code_invalid` (a bad, expired or used code: nothing linked), `unlinked` (a sender ' +
  'with no link), `not_permitted` (the linked person may no longer queue runs there), `no_skill` (no skill matched), `ignored` ' +
  '(not a person’s text message). Every outcome answers 200, so the platform does not retry; the same platform id again ' +
  'changes nothing (`duplicate: true`). One database round trip records the delivery and applies it.';

/** The Slack Events API receiver, as documented; served by a plain handler that verifies the raw body first. */
export const receiveSlackEvent = createRoute({
  method: 'post',
  path: '/hooks/slack',
  tags,
  summary: 'Receive a Slack Events API delivery',
  description:
    'No bearer token: Slack’s signature is the credential, checked before any database work — `X-Slack-Request-Timestamp` ' +
    'within 5 minutes and `X-Slack-Signature` = `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with ' +
    '`SLACK_SIGNING_SECRET` (constant-time); a bad one answers 401 and costs no database work. `url_verification` is ' +
    'answered with its `challenge`, without the database. An `event_callback` is deduplicated by `event_id` (Slack ' +
    `retries with \`X-Slack-Retry-Num\`). ${outcomes} 503: \`SLACK_SIGNING_SECRET\` is not configured.`,
  request: {
    headers: z.object({
      'x-slack-request-timestamp': z.string().openapi({ description: 'Unix seconds.' }),
      'x-slack-signature': z.string().openapi({ description: '`v0=` and 64 hex digits.' }),
    }),
    body: { required: true, content: { 'application/json': { schema: z.object({ type: z.enum(['url_verification', 'event_callback']) }).passthrough() } } },
  },
  responses: {
    200: {
      description: 'The challenge (url_verification), or what the event did.',
      content: { 'application/json': { schema: z.union([SlackChallengeSchema, ChatDeliveryResultSchema]) } },
    },
    ...problemResponses(400, 401, 413, 422, 503),
  },
});

/** The Telegram Bot API webhook, as documented; served by a plain handler that checks the token first. */
export const receiveTelegramUpdate = createRoute({
  method: 'post',
  path: '/hooks/telegram',
  tags,
  summary: 'Receive a Telegram Bot API update',
  description:
    'No bearer token: `X-Telegram-Bot-Api-Secret-Token` (the `secret_token` given to `setWebhook`) is compared in constant ' +
    'time with `TELEGRAM_WEBHOOK_SECRET` before any database work; a wrong one answers 401 and costs no database work. ' +
    `Updates are deduplicated by \`update_id\`. ${outcomes} 503: \`TELEGRAM_WEBHOOK_SECRET\` is not configured.`,
  request: {
    headers: z.object({ 'x-telegram-bot-api-secret-token': z.string() }),
    body: { required: true, content: { 'application/json': { schema: z.object({ update_id: z.number().int() }).passthrough() } } },
  },
  responses: { 200: jsonResponse(ChatDeliveryResultSchema, 'What the update did.'), ...problemResponses(400, 401, 413, 422, 503) },
});
