import { and, eq, getTableColumns, gt, isNull, or, sql } from 'drizzle-orm';
import { API_KEY_PATTERN, generateApiKey, hashApiKey } from '../auth/api-keys';
import { tenantPrincipal } from '../auth/principal';
import { signAccessToken } from '../auth/tokens';
import { createSystemExecutor } from '../db/executor';
import { apiKeys, clients } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import type { createApiKey, exchangeToken, listApiKeys, revokeApiKey } from './api-keys.routes';

// Every column but the hash: it never leaves the database.
const { keyHash: _hash, ...publicColumns } = getTableColumns(apiKeys);

export const create: AppRouteHandler<typeof createApiKey> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const { key, prefix, hash } = await generateApiKey();
  const [rows] = await c.var.tenant.run((db) => [
    db
      .insert(apiKeys)
      .values({
        clientId: principal.clientId,
        name: input.name,
        prefix,
        keyHash: hash,
        role: input.role,
        createdBy: principal.kind === 'user' ? principal.subject : null,
        expiresAt: input.expires_at ? new Date(input.expires_at) : null,
      })
      .returning(publicColumns),
  ]);
  if (!rows[0]) throw new Error('api key insert returned no row');
  c.header('cache-control', 'no-store');
  return c.json({ ...toApi(rows[0]), key }, 201);
};

export const list: AppRouteHandler<typeof listApiKeys> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(apiKeys.createdAt, apiKeys.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select(publicColumns)
        .from(apiKeys)
        .where(and(eq(apiKeys.clientId, clientId), page.where))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const revoke: AppRouteHandler<typeof revokeApiKey> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.clientId, clientId)))
      .returning({ id: apiKeys.id }),
  ]);
  if (!rows[0]) throw new ApiError(404, 'API_KEY_NOT_FOUND', 'No such API key in this client.');
  return c.body(null, 204);
};

const invalidKey = () =>
  new ApiError(401, 'INVALID_API_KEY', 'The API key is unknown, revoked or expired.', {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  });

/**
 * API-key exchange: one statement on the system path (the caller has no tenant yet) that finds a
 * usable key of an active client by its hash and records it as used.
 */
export const exchange: AppRouteHandler<typeof exchangeToken> = async (c) => {
  const { api_key } = c.req.valid('json');
  if (!API_KEY_PATTERN.test(api_key)) throw invalidKey();
  const hash = await hashApiKey(api_key);
  const [rows] = await createSystemExecutor(c.var.config).run((db) => [
    db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .from(clients)
      .where(
        and(
          eq(apiKeys.keyHash, hash),
          eq(clients.id, apiKeys.clientId),
          eq(clients.isActive, true),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        ),
      )
      .returning({ id: apiKeys.id, clientId: apiKeys.clientId, role: apiKeys.role }),
  ]);
  const key = rows[0];
  if (!key) throw invalidKey();
  const { token, expiresIn } = await signAccessToken(c.var.config, {
    kind: 'api_key',
    subject: key.id,
    clientId: key.clientId,
    role: key.role,
  });
  // RFC 6749 §5.1: a token response is never cached.
  c.header('cache-control', 'no-store');
  c.header('pragma', 'no-cache');
  return c.json({ access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn }, 200);
};
