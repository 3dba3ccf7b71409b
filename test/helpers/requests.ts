import { expect } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call } from './api';
import { tokenAs, type FixtureIds } from './fixtures';
import { countRoundTrips } from './round-trips';

export interface SendOptions {
  /** The role of the token (default: the sender's). */
  as?: Role;
  /** The fixture whose owner user calls (default: the sender's). */
  ids?: FixtureIds;
  body?: unknown;
  /** The database round trips the call must cost: 1 for work (the default), 0 for refusals before it. */
  trips?: number;
}

/**
 * A `send(method, path, options)` that calls the API as a fixture's user and asserts how many
 * database round trips it cost. `defaultIds` is read at call time (fixtures made in `beforeAll`).
 */
export function sender(defaultIds: () => FixtureIds, defaultRole: Role) {
  return async function send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
    const token = await tokenAs(options.ids ?? defaultIds(), options.as ?? defaultRole);
    const { result, roundTrips } = await countRoundTrips(() => call(method, path, { token, body: options.body }));
    expect(roundTrips, `${method} ${path} round trips`).toBe(options.trips ?? 1);
    return result;
  };
}
