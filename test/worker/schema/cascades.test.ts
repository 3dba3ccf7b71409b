import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { fromDatabaseError } from '../../../src/db/errors';
import { asSystem } from '../../helpers/db';
import { createTenantFixture, deleteTenantFixture, TENANT_TABLES, type FixtureIds, type TenantTableName } from '../../helpers/tenant-fixture';
import { tag, uuid, violation } from './support';

// ON DELETE behaviour of the schema's foreign keys, on the system path. Every test builds its own
// fixture(s): the deletes are destructive.

/**
 * A refused ON DELETE RESTRICT. PostgreSQL ≤ 17 reports it as foreign_key_violation (23503);
 * PostgreSQL 18 (the local PGlite server) reports restrict_violation (23001) for RESTRICT keys.
 * The constraint name is asserted exactly either way.
 */
const RESTRICT_REFUSAL = expect.stringMatching(/^(23503|23001)$/);

const fixtures: FixtureIds[] = [];
const extraUsers: string[] = [];
const extraSkills: string[] = [];

async function fixture(label: string): Promise<FixtureIds> {
  const ids = await createTenantFixture(`casc-${label}-${tag()}`);
  fixtures.push(ids);
  return ids;
}

afterAll(async () => {
  for (const ids of fixtures) await deleteTenantFixture(ids);
  if (extraUsers.length > 0) await asSystem(...extraUsers.map((id) => sql`delete from users where id = ${id}`));
  if (extraSkills.length > 0) await asSystem(...extraSkills.map((id) => sql`delete from skills where id = ${id}`));
});

/** How many of the fixture's rows remain in each of `tables` (one transaction). */
async function remaining(ids: FixtureIds, tables: readonly TenantTableName[]): Promise<Record<string, number>> {
  const counts = await asSystem(...tables.map((t) => sql`select count(*)::int as n from ${sql.identifier(t)} where id = ${ids[t]}`));
  return Object.fromEntries(tables.map((t, i) => [t, counts[i]![0]!.n as number]));
}

const each = (tables: readonly TenantTableName[], n: number) => Object.fromEntries(tables.map((t) => [t, n]));

describe('deleting a client', () => {
  it('removes its row in every tenant table (and its audit trail), and nothing of another client', async () => {
    const doomed = await fixture('client-doomed');
    const other = await fixture('client-kept');
    const [auditBefore] = await asSystem(sql`select count(*)::int as n from audit_logs where client_id = ${doomed.clients}`);
    expect(auditBefore![0]!.n).toBeGreaterThan(0);

    const [deleted] = await asSystem(sql`delete from clients where id = ${doomed.clients} returning id`);
    expect(deleted).toHaveLength(1);

    expect(await remaining(doomed, TENANT_TABLES)).toEqual(each(TENANT_TABLES, 0));
    const [auditAfter, tenantRowsLeft] = await asSystem(
      sql`select count(*)::int as n from audit_logs where client_id = ${doomed.clients}`,
      sql`select
            (select count(*) from memberships where client_id = ${doomed.clients})
          + (select count(*) from runs where client_id = ${doomed.clients})
          + (select count(*) from posts where client_id = ${doomed.clients})
          + (select count(*) from decisions where client_id = ${doomed.clients}) as n`,
    );
    expect(auditAfter![0]!.n).toBe(0);
    expect(Number(tenantRowsLeft![0]!.n)).toBe(0);

    expect(await remaining(other, TENANT_TABLES)).toEqual(each(TENANT_TABLES, 1));
    // Global rows stay: the user and the skill outlive the client.
    const [user] = await asSystem(sql`select count(*)::int as n from users where id = ${doomed.users}`);
    expect(user![0]!.n).toBe(1);
  });
});

describe('deleting inside a client', () => {
  it('a post cascades to its decisions, replies, escalations, competitive mentions and randomized experiments', async () => {
    const ids = await fixture('post');
    const cascaded = ['posts', 'decisions', 'replies', 'escalations', 'competitive_mentions', 'randomized_experiments'] as const;
    const kept = ['authors', 'competitors', 'experiments', 'community_champions', 'knowledge_chunks', 'runs'] as const;
    expect(await remaining(ids, cascaded)).toEqual(each(cascaded, 1));

    await asSystem(sql`delete from posts where id = ${ids.posts}`);

    expect(await remaining(ids, cascaded)).toEqual(each(cascaded, 0));
    expect(await remaining(ids, kept)).toEqual(each(kept, 1));
  });

  it('a knowledge base cascades to its chunks', async () => {
    const ids = await fixture('kb');
    await asSystem(sql`delete from knowledge_bases where id = ${ids.knowledge_bases}`);
    expect(await remaining(ids, ['knowledge_bases', 'knowledge_chunks'])).toEqual({ knowledge_bases: 0, knowledge_chunks: 0 });
  });

  it('a run cascades to its outputs and their feedback', async () => {
    const ids = await fixture('run');
    await asSystem(sql`delete from runs where id = ${ids.runs}`);
    expect(await remaining(ids, ['runs', 'outputs', 'feedback'])).toEqual({ runs: 0, outputs: 0, feedback: 0 });
  });

  it('an experiment referenced by a decision is kept (refused: restrict)', async () => {
    const ids = await fixture('experiment');
    const refused = await violation(asSystem(sql`delete from experiments where id = ${ids.experiments}`));
    expect(refused).toEqual({ code: RESTRICT_REFUSAL, constraint: 'decisions_experiment_id_fkey' });
    expect(await remaining(ids, ['experiments', 'decisions'])).toEqual({ experiments: 1, decisions: 1 });

    // Once no decision points at it, it can go.
    await asSystem(
      sql`update decisions set experiment_id = null, experiment_variant = null where id = ${ids.decisions}`,
      sql`delete from experiments where id = ${ids.experiments}`,
    );
    expect(await remaining(ids, ['experiments', 'decisions'])).toEqual({ experiments: 0, decisions: 1 });
  });
});

describe('global rows referenced by tenant rows', () => {
  it('a skill used by a run cannot be deleted (refused: restrict)', async () => {
    const ids = await fixture('skill');
    const skillId = uuid();
    const runId = uuid();
    const name = `casc-skill-${tag()}`;
    extraSkills.push(skillId);
    await asSystem(
      sql`insert into skills (id, name, description, type, storage_key, trigger_keywords)
          values (${skillId}, ${name}, 'Cascade test skill', 'simple', ${`skills/${name}/`}, '{}')`,
      sql`insert into runs (id, client_id, user_id, skill_id, user_message) values (${runId}, ${ids.clients}, ${ids.users}, ${skillId}, 'go')`,
    );
    const refused = await violation(asSystem(sql`delete from skills where id = ${skillId}`));
    expect(refused).toEqual({ code: RESTRICT_REFUSAL, constraint: 'runs_skill_id_skills_id_fk' });
    const [left] = await asSystem(sql`select count(*)::int as n from runs where id = ${runId}`, sql`select 1`);
    expect(left![0]!.n).toBe(1);
  });

  it('a user referenced by runs cannot be deleted (refused: restrict)', async () => {
    const ids = await fixture('user-runs');
    const refused = await violation(asSystem(sql`delete from users where id = ${ids.users}`));
    expect(refused).toEqual({ code: RESTRICT_REFUSAL, constraint: 'runs_user_id_users_id_fk' });
    const [user] = await asSystem(sql`select count(*)::int as n from users where id = ${ids.users}`);
    expect(user![0]!.n).toBe(1);
    expect(await remaining(ids, ['memberships', 'runs'])).toEqual({ memberships: 1, runs: 1 });
  });

  it('a user referenced only by replies.approved_by can be deleted; the reply stays with approved_by NULL', async () => {
    const ids = await fixture('user-approver');
    const approver = uuid();
    extraUsers.push(approver);
    await asSystem(
      sql`insert into users (id, email) values (${approver}, ${`approver-${approver}@example.test`})`,
      sql`update replies set approved_by = ${approver}, approved_at = now(), approval_status = 'approved' where id = ${ids.replies}`,
    );
    await asSystem(sql`delete from users where id = ${approver}`);
    const [reply] = await asSystem(sql`select approved_by, approval_status::text as status from replies where id = ${ids.replies}`);
    expect(reply).toEqual([{ approved_by: null, status: 'approved' }]);
  });

  it('every other optional user reference is set NULL too (api key creator, feedback reviewer, escalation assignee and resolver)', async () => {
    const ids = await fixture('user-set-null');
    const person = uuid();
    extraUsers.push(person);
    await asSystem(
      sql`insert into users (id, email) values (${person}, ${`person-${person}@example.test`})`,
      sql`update api_keys set created_by = ${person} where id = ${ids.api_keys}`,
      sql`update feedback set reviewer_id = ${person} where id = ${ids.feedback}`,
      sql`update escalations set assigned_to = ${person}, resolved_by = ${person}, status = 'resolved', resolved_at = now() where id = ${ids.escalations}`,
    );
    await asSystem(sql`delete from users where id = ${person}`);
    const [keys, feedback, escalations] = await asSystem(
      sql`select created_by from api_keys where id = ${ids.api_keys}`,
      sql`select reviewer_id from feedback where id = ${ids.feedback}`,
      sql`select assigned_to, resolved_by from escalations where id = ${ids.escalations}`,
    );
    expect({ keys, feedback, escalations }).toEqual({
      keys: [{ created_by: null }],
      feedback: [{ reviewer_id: null }],
      escalations: [{ assigned_to: null, resolved_by: null }],
    });
  });

  it('a user’s memberships and channel links go with the user', async () => {
    const ids = await fixture('user-cascade');
    const member = uuid();
    extraUsers.push(member);
    await asSystem(
      sql`insert into users (id, email) values (${member}, ${`member-${member}@example.test`})`,
      sql`insert into memberships (client_id, user_id, role) values (${ids.clients}, ${member}, 'viewer')`,
      sql`insert into user_channels (user_id, channel, channel_user_id) values (${member}, 'web', ${`web-${member}`})`,
    );
    await asSystem(sql`delete from users where id = ${member}`);
    const [memberships, channels] = await asSystem(
      sql`select count(*)::int as n from memberships where user_id = ${member}`,
      sql`select count(*)::int as n from user_channels where user_id = ${member}`,
    );
    expect({ memberships: memberships![0]!.n, channels: channels![0]!.n }).toEqual({ memberships: 0, channels: 0 });
  });
});

describe('what the API makes of a refused restrict delete', () => {
  // PostgreSQL 18 reports an ON DELETE RESTRICT refusal as 23001 (17 and older: 23503);
  // both must reach the API as 409 REFERENCE_CONFLICT.
  it('control: a database error from the same path is mapped (23505 → 409 CONFLICT)', async () => {
    const ids = await fixture('experiment-api-control');
    let caught: unknown;
    try {
      await asSystem(sql`insert into experiments (client_id, name, variant_a, variant_b, metric) values (${ids.clients}, 'Tone test', '{}', '{}', 'ctr')`);
    } catch (error) {
      caught = error;
    }
    const mapped = fromDatabaseError(caught);
    expect({ status: mapped?.status, code: mapped?.code }).toEqual({ status: 409, code: 'CONFLICT' });
  });

  it('deleting an experiment still used by a decision maps to 409 REFERENCE_CONFLICT', async () => {
    const ids = await fixture('experiment-api');
    let caught: unknown;
    try {
      await asSystem(sql`delete from experiments where id = ${ids.experiments}`);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: RESTRICT_REFUSAL, constraint: 'decisions_experiment_id_fkey' });
    const mapped = fromDatabaseError(caught);
    expect({ status: mapped?.status, code: mapped?.code }).toEqual({ status: 409, code: 'REFERENCE_CONFLICT' });
  });
});
