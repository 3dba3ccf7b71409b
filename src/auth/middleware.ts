import { createMiddleware } from 'hono/factory';
import { createSystemExecutor, createTenantExecutor } from '../db/executor';
import { ApiError } from '../lib/problem';
import type { AppEnv } from '../lib/types';
import type { Role } from './principal';
import { verifyAccessToken } from './tokens';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Verifies the bearer token, checks the caller's role against the route's roles, and attaches
 * the executor the route may use: tenant-scoped for tenant roles, the system path for `system`.
 */
export function authorize(roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      throw new ApiError(401, 'MISSING_TOKEN', 'Send `Authorization: Bearer <token>`.', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      throw new ApiError(401, 'INVALID_TOKEN', 'The Authorization header is not `Bearer <JWT>`.', {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    const principal = await verifyAccessToken(c.var.config, match[1]);
    if (!roles.includes(principal.role)) {
      throw new ApiError(403, 'FORBIDDEN', `The ${principal.role} role may not do this.`);
    }
    c.set('principal', principal);
    if (principal.clientId === null) {
      c.set('system', createSystemExecutor(c.var.config, principal.subject));
    } else {
      c.set(
        'tenant',
        createTenantExecutor(c.var.config, { clientId: principal.clientId, userId: principal.subject, role: principal.role }),
      );
    }
    c.var.logger.debug('authorized', { role: principal.role, client_id: principal.clientId, kind: principal.kind });
    await next();
  });
}
