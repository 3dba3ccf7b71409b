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

/** What verifying and signing need of a configuration, made once per isolate (one `Env` per isolate). */
interface Keys {
  /** The HS256 key, imported once (jose would import raw key bytes again on every call). */
  secret: () => Promise<CryptoKey>;
  resolver: KeyResolver;
  algorithms: string[];
}
const keysByConfig = new WeakMap<Env, Keys>();

/** A JSON Web Key Set given inline, else fetched (and cached by jose) from its URL; none when neither. */
export function keySet(inline: { keys: Record<string, unknown>[] } | undefined, url: string | undefined) {
  if (inline) return createLocalJWKSet(inline as Parameters<typeof createLocalJWKSet>[0]);
  return url ? createRemoteJWKSet(new URL(url)) : undefined;
}

function keysOf(config: Env): Keys {
  const cached = keysByConfig.get(config);
  if (cached) return cached;
  let secret: Promise<CryptoKey> | undefined;
  const secretKey = () =>
    (secret ??= crypto.subtle.importKey('raw', new TextEncoder().encode(config.JWT_SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]));
  const jwks = keySet(config.JWT_JWKS, config.JWT_JWKS_URL);
  const keys: Keys = {
    secret: secretKey,
    resolver: async (header, token) => {
      if (SECRET_ALGORITHMS.includes(header.alg)) return secretKey();
      if (jwks && PUBLIC_KEY_ALGORITHMS.includes(header.alg)) return jwks(header, token);
      throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
    },
    algorithms: [...SECRET_ALGORITHMS, ...(jwks ? PUBLIC_KEY_ALGORITHMS : [])],
  };
  keysByConfig.set(config, keys);
  return keys;
}

function invalid(detail: string, cause?: unknown): ApiError {
  return new ApiError(401, 'INVALID_TOKEN', detail, {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    cause,
  });
}

/**
 * Tokens this isolate verified lately, by configuration: an agent sends the same token with every
 * call (and an MCP tool call is verified at `/mcp` and again at the route it is sent through), so a
 * signature is checked once a minute rather than on every request. An entry serves until its
 * token expires and at most `VERIFIED_FOR_MS`, so a key withdrawn from the identity provider's
 * set stops being honoured within a minute; refusals are never kept. Revocation does not depend on
 * this: the database checks the member or API key on every request.
 */
const VERIFIED_FOR_MS = 60_000;
const MAX_VERIFIED = 1024;
const verifiedByConfig = new WeakMap<Env, Map<string, { principal: Principal; until: number }>>();

/** Verifies a bearer token (signature, algorithm, time claims, issuer, audience, claim shapes). */
export async function verifyAccessToken(config: Env, token: string): Promise<Principal> {
  let verified = verifiedByConfig.get(config);
  if (!verified) verifiedByConfig.set(config, (verified = new Map()));
  const now = Date.now();
  const known = verified.get(token);
  if (known && known.until > now) return known.principal;
  verified.delete(token);
  const { principal, expiresAt } = await verify(config, token);
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
  verified.set(token, { principal, until: Math.min(expiresAt, now + VERIFIED_FOR_MS) });
  return principal;
}

async function verify(config: Env, token: string): Promise<{ principal: Principal; expiresAt: number }> {
  let payload: unknown;
  let algorithm: string;
  try {
    let protectedHeader: JWTHeaderParameters;
    const keys = keysOf(config);
    ({ payload, protectedHeader } = await jwtVerify(token, keys.resolver, {
      algorithms: keys.algorithms,
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
    return { principal: { kind: 'system', subject: c.sub, clientId: null, role: 'system', tokenId: c.jti ?? null }, expiresAt: c.exp * 1000 };
  }
  return { principal: { kind: c.kind, subject: c.sub, clientId: c.client_id, role: c.role, tokenId: c.jti ?? null }, expiresAt: c.exp * 1000 };
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
    .sign(await keysOf(config).secret());
  return { token, expiresIn: ttlSeconds };
}
