import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { hashApiKey as sha256Hex } from '../auth/api-keys';
import { channelLinks } from '../db/schema';
import { requireUser } from '../engagement/common';
import type { AppRouteHandler } from '../lib/create-router';
import { ApiError } from '../lib/problem';
import { LINK_CODE_ALPHABET, LINK_CODE_LENGTH, LINK_CODE_MINUTES } from './channels.schemas';
import type { createChannelLink, listMyChannels, unlinkMyChannel } from './channels.routes';

/** A person has few chat accounts; the list is not paginated, and capped here. */
const MAX_LISTED_CHANNELS = 100;

/** A random code of the alphabet (32 characters, so `byte & 31` picks each one without bias). */
function newLinkCode(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(LINK_CODE_LENGTH)), (byte) => LINK_CODE_ALPHABET[byte & 31]).join('');
}

/** The stored form of a code, as the chat receivers compute it from `/link CODE`. */
export const linkCodeHash = (code: string) => sha256Hex(code.toUpperCase());

export const createLink: AppRouteHandler<typeof createChannelLink> = async (c) => {
  const caller = requireUser(c.var.principal, 'link a chat account');
  const code = newLinkCode();
  const expiresAt = new Date(Date.now() + LINK_CODE_MINUTES * 60_000);
  const codeHash = await linkCodeHash(code);
  await c.var.tenant.run((db) => [
    db.insert(channelLinks).values({ clientId: caller.clientId, userId: caller.subject, codeHash, codeExpiresAt: expiresAt }),
  ]);
  c.header('cache-control', 'no-store');
  return c.json(
    { code, expires_at: expiresAt.toISOString(), instructions: `Send "/link ${code}" to the bot within ${LINK_CODE_MINUTES} minutes.` },
    201,
  );
};

export const listMine: AppRouteHandler<typeof listMyChannels> = async (c) => {
  const caller = requireUser(c.var.principal, 'list linked chat accounts');
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(channelLinks)
        .where(and(eq(channelLinks.clientId, caller.clientId), eq(channelLinks.userId, caller.subject), isNotNull(channelLinks.linkedAt)))
        .orderBy(desc(channelLinks.linkedAt), desc(channelLinks.id))
        .limit(MAX_LISTED_CHANNELS),
    ],
    { readOnly: true },
  );
  const data = rows.map((row) => ({
    id: row.id,
    channel: row.channel!,
    channel_user_id: row.channelUserId!,
    channel_username: row.channelUsername,
    linked_at: row.linkedAt!.toISOString(),
  }));
  return c.json({ data }, 200);
};

export const unlinkMine: AppRouteHandler<typeof unlinkMyChannel> = async (c) => {
  const caller = requireUser(c.var.principal, 'unlink a chat account');
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .delete(channelLinks)
      .where(
        and(eq(channelLinks.id, id), eq(channelLinks.clientId, caller.clientId), eq(channelLinks.userId, caller.subject), isNotNull(channelLinks.linkedAt)),
      )
      .returning({ id: channelLinks.id }),
  ]);
  if (!rows[0]) throw new ApiError(404, 'CHANNEL_NOT_FOUND', 'No such linked chat account of yours in this client.');
  return c.body(null, 204);
};
