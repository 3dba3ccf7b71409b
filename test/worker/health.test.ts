import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import journal from '../../drizzle/meta/_journal.json';
import { countRoundTrips } from '../helpers/round-trips';

describe('GET /health', () => {
  it('reports the database latency and the last applied migration', async () => {
    const response = await exports.default.fetch('http://api.test/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      database: { status: string; latency_ms: number; server_time: string };
      migrations: { applied: string | null; expected: string | null; pending: number };
    };
    const newest = journal.entries.at(-1)!.tag;
    expect(body.status).toBe('ok');
    expect(body.database.status).toBe('ok');
    expect(body.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(Math.abs(Date.parse(body.database.server_time) - Date.now())).toBeLessThan(60_000);
    expect(body.migrations).toEqual({ applied: newest, expected: newest, pending: 0 });
  });

  it('costs exactly one database round trip', async () => {
    const { result, roundTrips } = await countRoundTrips(() => exports.default.fetch('http://api.test/health'));
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
  });

  it('echoes a caller-supplied request id', async () => {
    const response = await exports.default.fetch('http://api.test/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
  });
});
