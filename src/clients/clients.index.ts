import { createRouter } from '../lib/create-router';
import * as handlers from './clients.handlers';
import * as routes from './clients.routes';

export const clientsRouter = createRouter()
  .openapi(routes.me, handlers.getMe)
  .openapi(routes.getClient, handlers.get)
  .openapi(routes.updateClient, handlers.update)
  .openapi(routes.createClient, handlers.create)
  .openapi(routes.listClients, handlers.list)
  .openapi(routes.adminUpdateClient, handlers.adminUpdate);
