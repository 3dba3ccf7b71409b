import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonResponse } from '../lib/schemas';
import { ChannelLinkCodeSchema, LINK_CODE_MINUTES, LinkedChannelListSchema } from './channels.schemas';

const tags = ['channels'];

export const createChannelLink = protectedRoute({
  method: 'post',
  path: '/v1/me/channel-links',
  tags,
  summary: 'Get a one-time code to link a chat account (Telegram, Slack)',
  description:
    `A person (a user token, not an API key) gets a code valid for ${LINK_CODE_MINUTES} minutes and sends \`/link CODE\` ` +
    'to the bot; the chat account is then linked to them in this client, and their messages queue runs here. ' +
    'Only the SHA-256 of the code is stored; the code is in this response only.',
  roles: CAN.read,
  responses: { 201: jsonResponse(ChannelLinkCodeSchema, 'The code.'), ...problemResponses() },
});

export const listMyChannels = protectedRoute({
  method: 'get',
  path: '/v1/me/channels',
  tags,
  summary: "The caller's chat accounts linked in this client",
  roles: CAN.read,
  responses: { 200: jsonResponse(LinkedChannelListSchema, 'The linked accounts, newest first.'), ...problemResponses() },
});

export const unlinkMyChannel = protectedRoute({
  method: 'delete',
  path: '/v1/me/channels/{id}',
  tags,
  summary: 'Unlink one of the caller’s chat accounts',
  description: 'Only one’s own links in this client; any other id answers 404 `CHANNEL_NOT_FOUND`.',
  roles: CAN.read,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Unlinked.' }, ...problemResponses(400, 404) },
});
