import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jwtVerify } from 'jose';
import { z } from 'zod';
import type { TenantPrincipal } from '../auth/principal';
import { keySet, signAccessToken, verifyAccessToken } from '../auth/tokens';
import type { Env } from '../env';
import { constantTimeEqual, hmac } from '../lib/crypto';
import { ApiError } from '../lib/problem';
import type { AppEnv } from '../lib/types';

/**
 * The desk's session: an access token of the API (HS256, our key), minted for a person in one
 * client at sign-in and kept in a `__Host-` cookie (HttpOnly, Secure, SameSite=Strict, path /).
 * Being a token of the API, it is verified like any bearer token, the database decides access from
 * the person's current membership on every request (a removed member is refused at once), and the
 * desk's actions are sent to the REST routes with it.
 */
export const SESSION_COOKIE = 'desk_session';
/** An hour: short, and under Cloudflare Access a new one is minted from the Access assertion when it ends. */
export const SESSION_TTL_SECONDS = 3600;

export interface DeskSession {
  token: string;
  principal: TenantPrincipal;
}

/** The request's session, or null when the cookie is missing, forged, expired or not a person's. */
export async function readSession<E extends AppEnv>(c: Context<E>): Promise<DeskSession | null> {
  const token = getCookie(c, SESSION_COOKIE, 'host');
  if (!token) return null;
  try {
    const principal = await verifyAccessToken(c.var.config, token);
    if (principal.kind !== 'user' || principal.clientId === null) return null;
    return { token, principal: principal as TenantPrincipal };
  } catch (error) {
    if (error instanceof ApiError) return null;
    throw error;
  }
}

export type Membership = {
  user_id: string;
  client_id: string;
  role: 'owner' | 'admin' | 'editor' | 'viewer';
};

/** Mints the session of `membership` and sets its cookie. */
export async function startSession<E extends AppEnv>(c: Context<E>, membership: Membership): Promise<void> {
  const { token } = await signAccessToken(
    c.var.config,
    { kind: 'user', subject: membership.user_id, clientId: membership.client_id, role: membership.role },
    SESSION_TTL_SECONDS,
  );
  setCookie(c, SESSION_COOKIE, token, {
    prefix: 'host',
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  });
}

export function endSession<E extends AppEnv>(c: Context<E>): void {
  deleteCookie(c, SESSION_COOKIE, { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
}

const encoder = new TextEncoder();
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * The form token of a session: an HMAC of the session token, so a form posted with another
 * session's token (or none) is refused. It accompanies SameSite=Strict and the `Origin` check.
 */
export async function formToken(config: Env, session: DeskSession): Promise<string> {
  return base64url(await hmac(`desk-csrf|${config.JWT_SECRET}`, session.token));
}

export async function formTokenMatches(config: Env, session: DeskSession, sent: unknown): Promise<boolean> {
  if (typeof sent !== 'string' || sent.length > 100) return false;
  return constantTimeEqual(encoder.encode(await formToken(config, session)), encoder.encode(sent));
}

/** Where sign-in comes from: Cloudflare Access in production, the seeded members in development. */
export type SignIn = 'access' | 'development' | 'none';

export function signInMode(config: Env): SignIn {
  if (config.ACCESS_TEAM_DOMAIN && config.ACCESS_AUD) return 'access';
  return config.ENVIRONMENT === 'development' ? 'development' : 'none';
}

const accessKeys = new WeakMap<Env, NonNullable<ReturnType<typeof keySet>>>();

/** The Access team's signing keys: given inline (`ACCESS_JWKS`), else from the team's certs URL. */
function accessKeySet(config: Env) {
  let keys = accessKeys.get(config);
  if (!keys) {
    keys = keySet(config.ACCESS_JWKS, new URL('/cdn-cgi/access/certs', config.ACCESS_TEAM_DOMAIN).href)!;
    accessKeys.set(config, keys);
  }
  return keys;
}

const accessClaims = z.object({ email: z.string().email().max(320) });

/**
 * The email of the person Cloudflare Access let through, from the `Cf-Access-Jwt-Assertion` header
 * it adds to every request (or, failing that, the `CF_Authorization` cookie it sets, which holds the
 * same token): RS256, signed by the team's keys, issued by the team domain for this application's
 * audience, unexpired. Null when there is neither; a refusal when it does not verify.
 */
export async function accessEmail<E extends AppEnv>(c: Context<E>): Promise<string | null> {
  const config = c.var.config;
  const assertion = c.req.header('cf-access-jwt-assertion') ?? getCookie(c, 'CF_Authorization');
  if (!assertion || signInMode(config) !== 'access') return null;
  try {
    const { payload } = await jwtVerify(assertion, accessKeySet(config), {
      algorithms: ['RS256'],
      issuer: new URL(config.ACCESS_TEAM_DOMAIN!).origin,
      audience: config.ACCESS_AUD!,
      requiredClaims: ['exp', 'iat', 'email'],
    });
    return accessClaims.parse(payload).email;
  } catch (error) {
    throw new ApiError(401, 'ACCESS_ASSERTION_INVALID', 'The Cloudflare Access assertion did not verify.', { cause: error });
  }
}
