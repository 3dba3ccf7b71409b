import { inject } from 'vitest';

async function requestCount(): Promise<number> {
  const response = await fetch(`${inject('neonLocalUrl')}/_neon_local/stats`);
  const stats = (await response.json()) as { requests: number };
  return stats.requests;
}

/**
 * Runs `action` and returns how many SQL-over-HTTP requests reached the database meanwhile.
 * Exact because worker test files run one at a time against the shared server.
 */
export async function countRoundTrips<T>(action: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const before = await requestCount();
  const result = await action();
  const after = await requestCount();
  return { result, roundTrips: after - before };
}
