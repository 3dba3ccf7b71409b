import { env, SELF } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { decodeJwt, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import { asSystem } from '../../helpers/db';
import type { FixtureIds } from '../../helpers/fixtures';
import { b64url } from '../../helpers/forged-tokens';

// What the review desk's tests share: requests as a browser sends them, the session cookie, the
// page's form token, Cloudflare Access assertions, and rows made for the desk to show.

/** The desk's own origin: every form posts to it, with this as `Origin`. */
export const ORIGIN = 'https://desk.test';
export const COOKIE = '__Host-desk_session';

const bindings = env as Record<string, unknown>;
export const ACCESS_TEAM_DOMAIN = String(bindings.ACCESS_TEAM_DOMAIN);
export const ACCESS_AUD = String(bindings.ACCESS_AUD);
export const JWT_SECRET = String(bindings.JWT_SECRET);

export interface DeskRequest {
  /** The session token carried in the `__Host-desk_session` cookie. */
  session?: string;
  /** A raw `Cookie` header (takes precedence over `session`). */
  cookie?: string;
  /** The form fields of a POST (`application/x-www-form-urlencoded`); an array is a repeated field. */
  form?: Record<string, string | string[]>;
  /** `Origin` of a POST (default: the desk's own; `null` sends none). */
  origin?: string | null;
  headers?: Record<string, string>;
}

/** A request to the desk as a browser sends it, never following redirects. */
export async function desk(method: 'GET' | 'POST', path: string, options: DeskRequest = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'text/html', ...options.headers };
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  else if (options.session !== undefined) headers.cookie = `${COOKIE}=${options.session}`;
  let body: string | undefined;
  if (method === 'POST') {
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(options.form ?? {})) for (const v of [value].flat()) form.append(key, v);
    body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return SELF.fetch(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' });
}

/** The response's `Set-Cookie` lines. */
export function setCookies(response: Response): string[] {
  const headers = response.headers as Headers & { getSetCookie?: () => string[]; getAll?: (name: string) => string[] };
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  if (typeof headers.getAll === 'function') return headers.getAll('set-cookie');
  const line = response.headers.get('set-cookie');
  return line ? [line] : [];
}

export interface SetCookie {
  value: string;
  /** Attribute names in lower case → their value (`''` for a flag). */
  attributes: Record<string, string>;
}

/** The `__Host-desk_session` cookie the response sets (or clears), if any. */
export function sessionCookieOf(response: Response): SetCookie | undefined {
  const line = setCookies(response).find((l) => l.startsWith(`${COOKIE}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return {
    value: decodeURIComponent(pair!.slice(COOKIE.length + 1)),
    attributes: Object.fromEntries(
      attributes.map((attribute) => {
        const at = attribute.indexOf('=');
        return at < 0 ? [attribute.toLowerCase(), ''] : [attribute.slice(0, at).toLowerCase(), attribute.slice(at + 1)];
      }),
    ),
  };
}

/** The response starts no session: it sets no `__Host-desk_session` cookie, or only clears it. */
export function expectNoSessionStarted(response: Response): void {
  const cookie = sessionCookieOf(response);
  if (!cookie) return;
  expect(cookie.value, `a session cookie was set: ${setCookies(response).join(' | ')}`).toBe('');
  expectCleared(cookie);
}

/** A cookie that removes itself: empty, with Max-Age=0 or an expiry in the past. */
export function expectCleared(cookie: SetCookie | undefined): void {
  expect(cookie, 'the session cookie is cleared').toBeDefined();
  expect(cookie!.value).toBe('');
  const maxAge = cookie!.attributes['max-age'];
  const expires = cookie!.attributes.expires;
  expect(maxAge === '0' || (expires !== undefined && Date.parse(expires) <= Date.now())).toBe(true);
}

/** The attributes a session cookie must have: `__Host-` requirements, HttpOnly, SameSite=Strict, an hour. */
export function expectSessionCookie(cookie: SetCookie | undefined): asserts cookie is SetCookie {
  expect(cookie, 'a session cookie is set').toBeDefined();
  expect(cookie!.value).not.toBe('');
  expect(cookie!.attributes).toHaveProperty('httponly');
  expect(cookie!.attributes).toHaveProperty('secure');
  expect(cookie!.attributes.samesite?.toLowerCase()).toBe('strict');
  expect(cookie!.attributes.path).toBe('/');
  expect(cookie!.attributes).not.toHaveProperty('domain');
  expect(cookie!.attributes['max-age']).toBe('3600');
}

/** The claims of a session token (decoded, not verified: the Worker verifies them). */
export const claimsOf = (token: string): JWTPayload & { client_id?: string; role?: string; kind?: string } => decodeJwt(token);

/** Asserts an HTML page of the desk with `status` and returns its text. */
export async function expectPage(response: Response, status: number): Promise<string> {
  const text = await response.text();
  expect(response.status, text.slice(0, 600)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(text).toMatch(/^<!DOCTYPE html>/);
  expectDeskHeaders(response);
  return text;
}

/** A refusal page: the status, as a page (never problem+json), its status line, no stack. */
export async function expectProblemPage(response: Response, status: number): Promise<string> {
  const text = await expectPage(response, status);
  expect(text).toContain('class="problem"');
  expect(text).toContain(`HTTP ${status}`);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  return text;
}

/** A 303 to `location` (a path, or a pattern of one). */
export function expectSeeOther(response: Response, location: string | RegExp): string {
  expect(response.status, `expected 303 to ${location}`).toBe(303);
  const sent = response.headers.get('location') ?? '';
  if (typeof location === 'string') expect(sent).toBe(location);
  else expect(sent).toMatch(location);
  expectDeskHeaders(response);
  return sent;
}

/** Every desk response: its CSP, never cached, never framed. */
export function expectDeskHeaders(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("default-src 'none'");
  expect(response.headers.get('cache-control')).toBe('no-store');
}

/** The `_csrf` value of a rendered page's forms (one per session: every form carries the same). */
export function formTokenIn(html: string): string {
  const tokens = [...html.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]!);
  expect(tokens.length, 'the page has forms with a form token').toBeGreaterThan(0);
  expect(new Set(tokens).size).toBe(1);
  return tokens[0]!;
}

/** The form token of `session`, read from its reply queue. */
export async function formTokenOf(session: string): Promise<string> {
  return formTokenIn(await expectPage(await desk('GET', '/desk', { session }), 200));
}

// Cloudflare Access assertions.

const accessPrivateJwk = (): JWK => JSON.parse(String(bindings.TEST_ACCESS_PRIVATE_JWK)) as JWK;
const accessPublicJwk = (): JWK => (JSON.parse(String(bindings.ACCESS_JWKS)) as { keys: JWK[] }).keys[0]!;


/** The claims Access puts in its assertion for `email`, now, for five minutes. */
export function accessClaims(email: string, overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ACCESS_TEAM_DOMAIN, aud: [ACCESS_AUD], email, sub: crypto.randomUUID(), type: 'app', iat: now, nbf: now, exp: now + 300, ...overrides };
}

/** A valid `Cf-Access-Jwt-Assertion` for `email` (RS256, the team's key), with claim overrides. */
export async function accessAssertion(email: string, overrides: JWTPayload = {}): Promise<string> {
  const key = await importJWK(accessPrivateJwk(), 'RS256');
  return new SignJWT(accessClaims(email, overrides)).setProtectedHeader({ alg: 'RS256', kid: 'test-access-1', typ: 'JWT' }).sign(key);
}

/** Assertions for `email` that must each be refused, every one otherwise as Access would make it. */
export async function forgedAssertions(email: string): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims = accessClaims(email);
  const hs256 = (secret: string) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'test-access-1', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
  const valid = await accessAssertion(email);
  const [header, payload] = valid.split('.') as [string, string];
  const other = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  return {
    'signed by another RSA key (same kid)': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-access-1', typ: 'JWT' })
      .sign(other.privateKey),
    'wrong audience': await accessAssertion(email, { aud: ['another-access-application'] }),
    'wrong issuer': await accessAssertion(email, { iss: 'https://someone-else.cloudflareaccess.com' }),
    expired: await accessAssertion(email, { iat: now - 3600, nbf: now - 3600, exp: now - 120 }),
    'HS256 signed with JWT_SECRET (algorithm confusion)': await hs256(JWT_SECRET),
    'HS256 signed with the Access public key (algorithm confusion)': await hs256(JSON.stringify(accessPublicJwk())),
    'alg none': `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`,
    'signature stripped': `${header}.${payload}.`,
    'tampered email': `${header}.${b64url(JSON.stringify({ ...claims, email: 'someone-else@example.test' }))}.${valid.split('.')[2]}`,
    'no email': await accessAssertion(email, { email: undefined }),
    'not a JWT': 'not-a-jwt',
  };
}

// Rows for the desk to show.

/** The email of a person. */
export async function emailOf(userId: string): Promise<string> {
  const [rows] = await asSystem(sql`select email from users where id = ${userId}`);
  return rows![0]!.email as string;
}

/** Makes `userId` a member of `ids`' client with `role` (system path). */
export async function addMembership(ids: FixtureIds, userId: string, role: string, displayName?: string): Promise<void> {
  await asSystem(
    sql`insert into memberships (id, client_id, user_id, role, display_name)
        values (${crypto.randomUUID()}, ${ids.clients}, ${userId}, ${role}::member_role, ${displayName ?? null})`,
  );
}

/** The default brand kit's reply signature of a fixture. */
export async function signatureOf(ids: FixtureIds): Promise<string> {
  const [rows] = await asSystem(sql`select reply_signature from brand_kits where client_id = ${ids.clients} and is_default`);
  return rows![0]!.reply_signature as string;
}

/** A fresh reply of `ids` on its fixture decision, pending unless told (system path), signed with the kit's signature. */
export async function newReply(ids: FixtureIds, state: 'pending' | 'approved' = 'pending'): Promise<string> {
  const id = crypto.randomUUID();
  const approved = state === 'approved';
  const content = `A steady bedtime helps most people. ${await signatureOf(ids)}`;
  await asSystem(sql`
    insert into replies (id, client_id, decision_id, content, archetype, platform, utm_code, approval_status, approved_by, approved_at)
    values (${id}, ${ids.clients}, ${ids.decisions}, ${content}, 'coach', 'twitter', 'desk',
            ${state}::approval_status, ${approved ? ids.users : null}::uuid, ${approved ? sql`now()` : null})`);
  return id;
}

/** A fresh open escalation of `ids` on its fixture post. */
export async function newEscalation(ids: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(sql`insert into escalations (id, client_id, post_id, reason) values (${id}, ${ids.clients}, ${ids.posts}, 'other')`);
  return id;
}

/** One row of `table` (system path), as columns. */
export async function row(table: 'replies' | 'escalations' | 'memberships', id: string): Promise<Record<string, unknown>> {
  const [rows] = await asSystem(sql`select * from ${sql.identifier(table)} where id = ${id}`);
  return rows![0]!;
}
