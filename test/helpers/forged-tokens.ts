import { env } from 'cloudflare:workers';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { AUDIENCE, ISSUER } from './tokens';

const bindings = env as Record<string, unknown>;
const privateJwk = (): JWK => JSON.parse(String(bindings.TEST_IDP_PRIVATE_JWK)) as JWK;
const publicJwk = (): JWK => (JSON.parse(String(bindings.JWT_JWKS)) as { keys: JWK[] }).keys[0]!;

/** base64url without padding, as JWTs spell their parts. */
export const b64url = (value: string | Uint8Array) => {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

export interface Claims {
  sub: string;
  client_id?: string;
  role: string;
}

function fullClaims(claims: Claims, overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { ...claims, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300, ...overrides };
}

async function hs256(payload: JWTPayload, secret: Uint8Array) {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
}

const realSecret = () => new TextEncoder().encode(String(bindings.JWT_SECRET));

/** A valid ES256 token from the (test) identity provider whose public key the Worker trusts. */
export async function identityProviderToken(claims: Claims, overrides: JWTPayload = {}) {
  const key = await importJWK(privateJwk(), 'ES256');
  return new SignJWT(fullClaims(claims, overrides)).setProtectedHeader({ alg: 'ES256', kid: 'test-idp-1', typ: 'JWT' }).sign(key);
}

/**
 * Every way of forging or bending a token that must be refused with 401, built around claims
 * that would otherwise be accepted.
 */
export async function forgedTokens(claims: Claims): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const valid = await hs256(fullClaims(claims), realSecret());
  const [header, payload] = valid.split('.') as [string, string, string];
  const without = (key: keyof Claims) => {
    const c: Record<string, unknown> = { ...claims };
    delete c[key];
    return c as unknown as Claims;
  };
  const tamperedPayload = b64url(JSON.stringify({ ...fullClaims(claims), role: 'owner', sub: crypto.randomUUID() }));
  return {
    'alg none': `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`,
    'HS256 signed with the identity provider public key (algorithm confusion)': await hs256(
      fullClaims(claims),
      new TextEncoder().encode(JSON.stringify(publicJwk())),
    ),
    'HS256 signed with the public key x coordinate': await hs256(fullClaims(claims), new TextEncoder().encode(String(publicJwk().x))),
    'wrong secret': await hs256(fullClaims(claims), new TextEncoder().encode('another-secret-0123456789abcdef01234567')),
    'tampered payload': `${header}.${tamperedPayload}.${valid.split('.')[2]}`,
    'signature stripped': `${header}.${payload}.`,
    expired: await hs256(fullClaims(claims, { iat: now - 3600, exp: now - 120 }), realSecret()),
    'nbf in the future': await hs256(fullClaims(claims, { nbf: now + 600 }), realSecret()),
    'issued in the future': await hs256(fullClaims(claims, { iat: now + 600, exp: now + 900 }), realSecret()),
    'lifetime beyond the maximum (24 h)': await hs256(fullClaims(claims, { iat: now, exp: now + 86_400 + 60 }), realSecret()),
    'wrong issuer': await hs256(fullClaims(claims, { iss: 'someone-else' }), realSecret()),
    'wrong audience': await hs256(fullClaims(claims, { aud: 'another-api' }), realSecret()),
    'missing client_id': await hs256(fullClaims(without('client_id')), realSecret()),
    'missing sub': await hs256(fullClaims(without('sub')), realSecret()),
    'missing role': await hs256(fullClaims(without('role')), realSecret()),
    'unknown role': await hs256(fullClaims({ ...claims, role: 'superadmin' }), realSecret()),
    'sub not a uuid': await hs256(fullClaims({ ...claims, sub: 'admin' }), realSecret()),
    'ES256 with an unknown kid': await (async () => {
      const key = await importJWK(privateJwk(), 'ES256');
      return new SignJWT(fullClaims(claims)).setProtectedHeader({ alg: 'ES256', kid: 'unknown-kid' }).sign(key);
    })(),
    'ES256 signed by a different key': await (async () => {
      const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
      return new SignJWT(fullClaims(claims)).setProtectedHeader({ alg: 'ES256', kid: 'test-idp-1' }).sign(privateKey);
    })(),
  };
}
