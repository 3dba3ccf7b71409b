import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyAccessToken } from '../../src/auth/tokens';
import { loadEnv } from '../../src/env';
import { ApiError } from '../../src/lib/problem';
import { tokenFor } from '../helpers/tokens';

const config = () => loadEnv(env as Record<string, unknown>);
const subject = { clientId: crypto.randomUUID(), userId: crypto.randomUUID(), role: 'editor' as const };

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof ApiError ? `${error.status} ${error.code}` : String(error)),
  );
}

describe('verified tokens are remembered for a minute at most, never past their expiry', () => {
  afterEach(() => vi.useRealTimers());

  it('the same token again gives the same principal; once expired it is refused, remembered or not', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const token = await tokenFor(subject, { exp: Math.floor(Date.now() / 1000) + 30 });
    const first = await verifyAccessToken(config(), token);
    expect(first).toMatchObject({ clientId: subject.clientId, subject: subject.userId, role: 'editor' });
    expect(await verifyAccessToken(config(), token)).toEqual(first);
    // Past its expiry (and jose's 60 s leeway): refused, although it was verified 2 minutes ago.
    vi.setSystemTime(Date.now() + 121_000);
    expect(await refusal(verifyAccessToken(config(), token))).toBe('401 INVALID_TOKEN');
  });

  it('a refusal is not remembered: a token issued in the future is taken once its time has come', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    // Issued 90 s ahead, beyond the 60 s leeway.
    const future = await tokenFor(subject, { iat: Math.floor(Date.now() / 1000) + 90, exp: Math.floor(Date.now() / 1000) + 290 });
    expect(await refusal(verifyAccessToken(config(), future))).toBe('401 INVALID_TOKEN');
    vi.setSystemTime(Date.now() + 40_000);
    expect(await verifyAccessToken(config(), future)).toMatchObject({ subject: subject.userId });
  });
});
