import { sql } from 'drizzle-orm';
import { afterAll } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from './tenant-fixture';
import { asSystem } from './db';
import { tokenFor } from './tokens';

export type { FixtureIds };

export interface TenantFixtures {
  /** A short id of this file's run: in every fixture label, and free for the file's own names and emails. */
  readonly run: string;
  /** Creates a fixture labelled `${prefix}-${label}-${run}`; it is deleted after the file. */
  create(label: string): Promise<FixtureIds>;
  /**
   * A new member of a fixture's client with `role` (a new user, system path; `displayName` on the
   * membership). The user, a global row, is deleted after the fixtures.
   */
  member(ids: FixtureIds, role: string, displayName?: string): Promise<{ userId: string; membershipId: string }>;
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
  const users: string[] = [];
  afterAll(async () => {
    for (const ids of fixtures) {
      await cleanup.beforeDelete?.(ids);
      await deleteTenantFixture(ids);
    }
    if (users.length > 0) await asSystem(sql`delete from users where id = any(${sql.param(users)}::uuid[])`);
    await cleanup.afterDeleteAll?.();
  });
  return {
    run,
    async create(label: string): Promise<FixtureIds> {
      const ids = await createTenantFixture(`${prefix}-${label}-${run}`);
      fixtures.push(ids);
      return ids;
    },
    async member(ids: FixtureIds, role: string, displayName?: string) {
      const created = await newMember(ids, role);
      users.push(created.userId);
      if (displayName !== undefined) {
        await asSystem(sql`update memberships set display_name = ${displayName} where id = ${created.membershipId}`);
      }
      return created;
    },
  };
}

/** A token of a fixture's client as its owner user (or `userId`) in `role`. */
export const tokenAs = (ids: FixtureIds, role: Role, userId: string = ids.users) => tokenFor({ clientId: ids.clients, userId, role });

/**
 * A machine client: the token an API key of the fixture's client gets from the exchange. The
 * database checks the key row on every request, so the key has `role`: the fixture's own key for
 * `service`, a new key otherwise.
 */
export async function apiKeyTokenAs(ids: FixtureIds, role: Role): Promise<string> {
  const keyId = role === 'service' ? ids.api_keys : await newApiKey(ids, role);
  return tokenFor({ clientId: ids.clients, userId: keyId, role, kind: 'api_key' });
}

/** A new API key row of the fixture's client with `role` (system path; `revoked` makes it revoked already); returns its id. */
export async function newApiKey(ids: FixtureIds, role: string, options: { revoked?: boolean } = {}): Promise<string> {
  const keyId = crypto.randomUUID();
  const hash = (crypto.randomUUID() + crypto.randomUUID()).replaceAll('-', '').slice(0, 64);
  await asSystem(
    sql`insert into api_keys (id, client_id, name, prefix, key_hash, role, revoked_at)
        values (${keyId}, ${ids.clients}, ${`${role} key`}, 'eda_fx', ${hash}, ${role}::api_key_role, ${options.revoked ? sql`now()` : null})`,
  );
  return keyId;
}

/** A new member of the fixture's client with `role` (a new user, system path). */
export async function newMember(ids: FixtureIds, role: string): Promise<{ userId: string; membershipId: string }> {
  const membershipId = crypto.randomUUID();
  const [rows] = await asSystem(
    sql`insert into memberships (id, client_id, user_id, role)
        values (${membershipId}, ${ids.clients}, app_private.ensure_user(${`m-${membershipId}@example.test`}), ${role}::member_role)
        returning user_id`,
  );
  return { userId: rows![0]!.user_id as string, membershipId };
}

/** One page of a list endpoint. */
export interface Page<T = Record<string, unknown>> {
  data: T[];
  next_cursor: string | null;
}
