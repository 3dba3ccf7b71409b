import { hc } from 'hono/client';
import type { AppType } from './app';

/**
 * Typed client for TypeScript consumers: `createApiClient('https://api.example', { headers: { authorization: 'Bearer …' } })`.
 * Paths, parameters, bodies and responses are checked against the route definitions.
 */
export function createApiClient(baseUrl: string, options?: Parameters<typeof hc>[1]) {
  return hc<AppType>(baseUrl, options);
}

export type { AppType };
