import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, SignJWT, type CryptoKey, type FlattenedJWSInput, type JWTHeaderParameters } from 'jose';
import type { Env } from '../env';
import { ApiError } from '../lib/problem';
import { tokenClaimsSchema } from './claims';
import type { Principal } from './principal';

/** The only algorithms accepted, each tied to its kind of key: never `none`, never HMAC with a public key. */
const SECRET_ALGORITHMS = ['HS256'];
const PUBLIC_KEY_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 60;

type KeyResolver = (header: JWTHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey | Uint8Array>;
const resolvers = new WeakMap<Env, KeyResolver>();

function keyResolver(config: Env): KeyResolver {
  const cached = resolvers.get(config);
  if (cached) return cached;
  const secret = new TextEncoder().encode(config.JWT_SECRET);
  const jwks = config.JWT_JWKS
    ? createLocalJWKSet(config.JWT_JWKS as Parameters<typeof createLocalJWKSet>[0])
    : config.JWT_JWKS_URL
      ? createRemoteJWKSet(new URL(config.JWT_JWKS_URL))
      : undefined;
  const resolver: KeyResolver = async (header, token) => {
    if (SECRET_ALGORITHMS.includes(header.alg)) return secret;
    if (jwks && PUBLIC_KEY_ALGORITHMS.includes(header.alg)) return jwks(header, token);
    throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
  };
  resolvers.set(config, resolver);
  return resolver;
}

function invalid(detail: string, cause?: unknown): ApiError {
  return new ApiError(401, 'INVALID_TOKEN', detail, {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    cause,
  });
}

/** Verifies a bearer token (signature, algorithm, time claims, issuer, audience, claim shapes). */
export async function verifyAccessToken(config: Env, token: string): Promise<Principal> {
  let payload: unknown;
  let algorithm: string;
  try {
    let protectedHeader: JWTHeaderParameters;
    ({ payload, protectedHeader } = await jwtVerify(token, keyResolver(config), {
      algorithms: [...SECRET_ALGORITHMS, ...(config.JWT_JWKS || config.JWT_JWKS_URL ? PUBLIC_KEY_ALGORITHMS : [])],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat', 'role'],
    }));
    algorithm = protectedHeader.alg;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw invalid('The token has expired.', error);
    throw invalid('The token is invalid.', error);
  }
  const claims = tokenClaimsSchema.safeParse(payload);
  if (!claims.success) throw invalid('The token is missing required claims or has invalid ones.', claims.error);
  const c = claims.data;
  // jose checks exp and nbf but accepts an iat in the future; such a token was not issued by us.
  if (c.iat > Math.floor(Date.now() / 1000) + CLOCK_TOLERANCE_SECONDS) throw invalid('The token is issued in the future.');
  if (c.exp - c.iat > config.TOKEN_MAX_LIFETIME_SECONDS) {
    throw invalid(`The token lives longer than the ${config.TOKEN_MAX_LIFETIME_SECONDS} seconds this API accepts.`);
  }
  if (c.role === 'system') {
    // The identity provider speaks for people; cross-tenant power comes from our own key unless configured.
    if (PUBLIC_KEY_ALGORITHMS.includes(algorithm) && !config.JWT_JWKS_ALLOW_SYSTEM) {
      throw invalid('The identity provider may not issue system tokens.');
    }
    return { kind: 'system', subject: c.sub, clientId: null, role: 'system', tokenId: c.jti ?? null };
  }
  return { kind: c.kind, subject: c.sub, clientId: c.client_id, role: c.role, tokenId: c.jti ?? null };
}

/**
 * Mints a token signed by the Worker's key (API-key exchange; development tokens from
 * `npm run token`). API keys carry tenant roles only, so the exchange can never mint `system`.
 */
export async function signAccessToken(
  config: Env,
  principal: Pick<Principal, 'kind' | 'subject' | 'clientId' | 'role'>,
  ttlSeconds: number = config.ACCESS_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresIn: number }> {
  const claims =
    principal.clientId === null
      ? { role: principal.role }
      : { client_id: principal.clientId, role: principal.role, kind: principal.kind };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.subject)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(config.JWT_SECRET));
  return { token, expiresIn: ttlSeconds };
}
