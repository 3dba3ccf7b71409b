import { env } from 'cloudflare:workers';

async function requestCount(): Promise<number> {
  // The request counter of the database this runtime's Worker talks to (its lane's own).
  const response = await fetch(new URL('/_neon_local/stats', (env as { NEON_FETCH_ENDPOINT: string }).NEON_FETCH_ENDPOINT));
  const stats = (await response.json()) as { requests: number };
  return stats.requests;
}

/**
 * Runs `action` and returns how many SQL-over-HTTP requests reached the database meanwhile.
 * Exact because each lane's files run one at a time against the lane's own server.
 */
export async function countRoundTrips<T>(action: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const before = await requestCount();
  const result = await action();
  const after = await requestCount();
  return { result, roundTrips: after - before };
}
