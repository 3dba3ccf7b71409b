import { env } from 'cloudflare:workers';
import { SignJWT, type JWTPayload } from 'jose';
import type { Role } from '../../src/auth/principal';

const secret = () => new TextEncoder().encode(String((env as Record<string, unknown>).JWT_SECRET));
export const ISSUER = 'edge-data-api';
export const AUDIENCE = 'edge-data-api';

export interface TokenSubject {
  clientId?: string | null;
  userId: string;
  role: Role;
  kind?: 'user' | 'api_key';
}

/** A valid token as the Worker expects it (HS256, iss, aud, 5 minutes). */
export async function tokenFor(subject: TokenSubject, overrides: JWTPayload = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    sub: subject.userId,
    role: subject.role,
    ...(subject.clientId ? { client_id: subject.clientId } : {}),
    ...(subject.kind ? { kind: subject.kind } : {}),
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 300,
    ...overrides,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret());
}

export const SYSTEM_USER = '00000000-0000-4000-8000-0000000005e5';
export const systemToken = () => tokenFor({ userId: SYSTEM_USER, role: 'system' });

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
