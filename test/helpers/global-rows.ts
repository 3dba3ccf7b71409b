import { sql } from 'drizzle-orm';
import { beforeAll } from 'vitest';
import { asSystem } from './db';

/** The fixtures' shared catalog skill, which every fixture expects to find (created once, kept). */
const FIXTURE_SKILL = 'fixture-skill';

async function globalIds(): Promise<{ clients: string[]; users: string[]; skills: string[] }> {
  const [clients, users, skills] = await asSystem(
    sql`select id from clients`,
    sql`select id from users`,
    sql`select id from skills where name <> ${FIXTURE_SKILL}`,
  );
  const ids = (rows: Record<string, unknown>[] | undefined) => rows!.map((r) => r.id as string);
  return { clients: ids(clients), users: ids(users), skills: ids(skills) };
}

/**
 * Global rows a test file makes through the API or its own set-up (clients created by `system`,
 * users created by adding members, catalog skills), which deleting its fixtures does not reach.
 * Call at the top level of the file: it notes what exists before the file's tests; pass
 * `deleteNew` to `useTenantFixtures(…, { afterDeleteAll })` so they go after the fixtures.
 */
export function useGlobalRowCleanup(): { deleteNew(): Promise<void> } {
  let before: Awaited<ReturnType<typeof globalIds>> | undefined;
  beforeAll(async () => {
    before = await globalIds();
  });
  return {
    async deleteNew() {
      if (!before) return;
      const kept = before;
      await asSystem(
        sql`delete from clients where not (id = any(${sql.param(kept.clients)}::uuid[]))`,
        sql`delete from users where not (id = any(${sql.param(kept.users)}::uuid[]))`,
        sql`delete from skills where name <> ${FIXTURE_SKILL} and not (id = any(${sql.param(kept.skills)}::uuid[]))`,
      );
    },
  };
}
