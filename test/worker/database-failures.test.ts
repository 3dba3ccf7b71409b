import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/app';
import { expectProblem } from '../helpers/problem';

// The real app inside workerd, with the database endpoint pointed somewhere broken.
const app = createApp();

function healthWith(overrides: Record<string, string>) {
  return app.fetch(new Request('http://api.test/health'), { ...env, ...overrides });
}

describe('database failures answer 503 problem+json with Retry-After', () => {
  it('when nothing listens at the database endpoint', async () => {
    const response = await healthWith({ NEON_FETCH_ENDPOINT: inject('unreachableSqlEndpoint') });
    await expectProblem(response, 503, 'DATABASE_UNAVAILABLE');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('when the database does not answer before the deadline', async () => {
    const started = Date.now();
    const response = await healthWith({ NEON_FETCH_ENDPOINT: inject('stalledSqlEndpoint'), DB_TIMEOUT_MS: '300' });
    await expectProblem(response, 503, 'DATABASE_UNAVAILABLE');
    expect(response.headers.get('retry-after')).not.toBeNull();
    // Functional check that the deadline fired rather than the test timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('misconfiguration is a 500 problem without details, not a crash', async () => {
    const response = await app.fetch(new Request('http://api.test/health'), { ...env, DATABASE_URL: 'not a url' });
    const body = await expectProblem(response, 500, 'CONFIGURATION_ERROR');
    expect(JSON.stringify(body)).not.toContain('DATABASE_URL');
  });
});
