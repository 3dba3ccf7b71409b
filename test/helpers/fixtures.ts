import { afterAll } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from './tenant-fixture';
import { tokenFor } from './tokens';

export type { FixtureIds };

export interface TenantFixtures {
  /** A short id of this file's run: in every fixture label, and free for the file's own names and emails. */
  readonly run: string;
  /** Creates a fixture labelled `${prefix}-${label}-${run}`; it is deleted after the file. */
  create(label: string): Promise<FixtureIds>;
}

export interface FixtureCleanup {
  /** Runs for each fixture just before it is deleted (its rows still there). */
  beforeDelete?(ids: FixtureIds): Promise<void>;
  /** Runs once after every fixture is deleted. */
  afterDeleteAll?(): Promise<void>;
}

/**
 * Tenant fixtures for one test file: created on demand with unique labels, all deleted (one after
 * the other) in an `afterAll` this registers itself. Call it at the top level of the file.
 */
export function useTenantFixtures(prefix: string, cleanup: FixtureCleanup = {}): TenantFixtures {
  const run = crypto.randomUUID().slice(0, 8);
  const fixtures: FixtureIds[] = [];
  afterAll(async () => {
    for (const ids of fixtures) {
      await cleanup.beforeDelete?.(ids);
      await deleteTenantFixture(ids);
    }
    await cleanup.afterDeleteAll?.();
  });
  return {
    run,
    async create(label: string): Promise<FixtureIds> {
      const ids = await createTenantFixture(`${prefix}-${label}-${run}`);
      fixtures.push(ids);
      return ids;
    },
  };
}

/** A token of a fixture's client as its owner user (or `userId`) in `role`. */
export const tokenAs = (ids: FixtureIds, role: Role, userId: string = ids.users) => tokenFor({ clientId: ids.clients, userId, role });

/** A machine client: the token the fixture's API key gets from the exchange, in `role`. */
export const apiKeyTokenAs = (ids: FixtureIds, role: Role) => tokenFor({ clientId: ids.clients, userId: ids.api_keys, role, kind: 'api_key' });

/** One page of a list endpoint. */
export interface Page<T = Record<string, unknown>> {
  data: T[];
  next_cursor: string | null;
}
