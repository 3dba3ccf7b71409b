import { createMiddleware } from 'hono/factory';
import { createSystemExecutor, createTenantExecutor } from '../db/executor';
import { ApiError } from '../lib/problem';
import type { AppEnv } from '../lib/types';
import type { TenantRole } from '../db/context';
import type { Role } from './principal';
import { verifyAccessToken } from './tokens';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Verifies the bearer token, refuses at once a token whose role the route does not admit, and
 * attaches the executor the route may use: the system path for `system`; for tenant roles the
 * tenant executor, whose every batch first has the database decide access from the caller's
 * current membership or API key (the token's role may narrow it, never widen it). Route role
 * sets are upward-closed (see `CAN`), so a claimed role the route refuses cannot act as one it admits.
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
      // No role below the claimed one is admitted either, so no database work is needed to refuse.
      throw new ApiError(403, 'FORBIDDEN', `The ${principal.role} role may not do this.`);
    }
    c.set('principal', principal);
    if (principal.clientId === null) {
      c.set('system', createSystemExecutor(c.var.config, principal.subject));
    } else {
      c.set(
        'tenant',
        createTenantExecutor(c.var.config, {
          kind: principal.kind,
          clientId: principal.clientId,
          userId: principal.subject,
          role: principal.role,
          allowed: roles.filter((role): role is TenantRole => role !== 'system'),
        }),
      );
    }
    c.var.logger.debug('authorized', { role: principal.role, client_id: principal.clientId, kind: principal.kind });
    await next();
  });
}
