/**
 * Shared setup: start an in-memory neon-local and point the real Neon driver at it.
 * Each test file calls this in beforeAll, so files stay independent of any vitest config.
 */
import { neon, neonConfig } from '@neondatabase/serverless';
import { startNeonLocal, type NeonLocalOptions, type NeonLocalServer } from '../../scripts/neon-local/server.js';

export const CONNECTION_STRING = 'postgresql://app:pw@localhost/neondb';

export async function startWithDriver(options: NeonLocalOptions = {}) {
  const server = await startNeonLocal(options);
  // fetchEndpoint is global driver config; vitest runs each test file in its own module scope.
  neonConfig.fetchEndpoint = server.sqlEndpoint;
  return { server, sql: neon(CONNECTION_STRING) };
}

/** POST a raw body to /sql with the headers the driver sends, for protocol-level checks. */
export async function postSql(
  server: NeonLocalServer,
  body: string,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(server.sqlEndpoint, {
    method: 'POST',
    body,
    headers: {
      'Neon-Connection-String': CONNECTION_STRING,
      'Neon-Raw-Text-Output': 'true',
      'Neon-Array-Mode': 'true',
      ...extraHeaders,
    },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

/** Run fn and return what it throws (fails the test if it does not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<Record<string, unknown> & Error> {
  try {
    await fn();
  } catch (error) {
    return error as Record<string, unknown> & Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** A driver for `server` (fetchEndpoint is global: call this again after using another server). */
export function driverFor(server: NeonLocalServer) {
  neonConfig.fetchEndpoint = server.sqlEndpoint;
  return neon(CONNECTION_STRING);
}

/** Waits until `condition` holds (polling), failing after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
