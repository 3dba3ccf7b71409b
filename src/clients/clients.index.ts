import * as channels from '../channels/channels.handlers';
import * as channelRoutes from '../channels/channels.routes';
import { createRouter } from '../lib/create-router';
import * as handlers from './clients.handlers';
import * as routes from './clients.routes';

export const clientsRouter = createRouter()
  .openapi(routes.me, handlers.getMe)
  .openapi(routes.getClient, handlers.get)
  .openapi(routes.updateClient, handlers.update)
  .openapi(routes.createClient, handlers.create)
  .openapi(routes.listClients, handlers.list)
  .openapi(routes.adminUpdateClient, handlers.adminUpdate)
  // The caller's chat links live under /v1/me (src/channels).
  .openapi(channelRoutes.createChannelLink, channels.createLink)
  .openapi(channelRoutes.listMyChannels, channels.listMine)
  .openapi(channelRoutes.unlinkMyChannel, channels.unlinkMine);
