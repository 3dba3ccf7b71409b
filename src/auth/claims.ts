import { z } from 'zod';
import { TENANT_ROLES } from './principal';

const common = {
  sub: z.string().uuid(),
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number().int(),
  iat: z.number().int(),
  nbf: z.number().int().optional(),
  jti: z.string().max(200).optional(),
};

/** Claims of a tenant token: a user (or an API key, `kind: api_key`) acting in one client. */
const tenantClaims = z.object({
  ...common,
  client_id: z.string().uuid(),
  role: z.enum(TENANT_ROLES),
  kind: z.enum(['user', 'api_key']).default('user'),
});

/** Claims of a system token: cross-tenant operations, no client. Never minted from an API key. */
const systemClaims = z.object({
  ...common,
  role: z.literal('system'),
  client_id: z.null().optional(),
});

export const tokenClaimsSchema = z.union([tenantClaims, systemClaims]);
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;
