import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { authorize } from '../auth/middleware';
import type { Role } from '../auth/principal';
import { problemResponses } from './openapi';

type ProtectedRouteConfig = Omit<RouteConfig, 'middleware' | 'security'> & { roles: readonly Role[] };

/**
 * A route that needs a token: the roles allowed are declared with the route, enforced by its
 * middleware, and published in the OpenAPI document (`x-roles`) — the attack suite reads them
 * from there. Adds the 401/403 problem responses every protected route can answer.
 */
export function protectedRoute<const C extends ProtectedRouteConfig>(config: C) {
  const { roles, responses, ...rest } = config;
  return createRoute({
    ...rest,
    security: [{ bearerAuth: [] }],
    middleware: [authorize(roles)] as const,
    'x-roles': [...roles],
    responses: { ...responses, ...problemResponses(401, 403) },
  } as Omit<C, 'roles'> & {
    middleware: [ReturnType<typeof authorize>];
    security: { bearerAuth: never[] }[];
    'x-roles': readonly Role[];
  });
}
