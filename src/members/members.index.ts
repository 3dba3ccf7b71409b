import { createRouter } from '../lib/create-router';
import * as handlers from './members.handlers';
import * as routes from './members.routes';

export const membersRouter = createRouter()
  .openapi(routes.listMembers, handlers.list)
  .openapi(routes.addMember, handlers.add)
  .openapi(routes.changeMemberRole, handlers.changeRole)
  .openapi(routes.removeMember, handlers.remove);
