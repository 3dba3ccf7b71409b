import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../helpers/api';
import { asSystem, testDb } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { systemToken } from '../helpers/tokens';
import { seedOutput, seedRun } from './security/routes/agent-work';

interface Skill {
  id: string;
  name: string;
  description: string;
  type: string;
  storage_key: string;
  has_rules: boolean;
  has_subdirectories: boolean;
  trigger_keywords: string[];
  related_skills: string[];
  created_at: string;
  updated_at: string;
}
interface Summary {
  skill: string;
  days: number;
  since: string;
  count: number;
  averages: Record<'overall' | 'accuracy' | 'quality' | 'usefulness' | 'rule_compliance', number | null>;
  overall_distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

const created: string[] = [];
const { run: RUN, create: fixture } = useTenantFixtures('aw-sk', {
  async afterDeleteAll() {
    if (created.length) await asSystem(...created.map((name) => sql`delete from skills where name = ${name}`));
  },
});
const TAG = `aws${RUN}`;
/** Skills of the catalog-reading tests: a tag of their own, so searches see only them. */
const READ = `awr${RUN}`;

async function createSkill(body: Record<string, unknown>): Promise<Response> {
  const response = await call('POST', '/v1/skills', { token: await systemToken(), body });
  if (response.status === 201) created.push(body.name as string);
  return response;
}

describe('skills: the catalog is written by the system path only', () => {
  it('system creates a skill (defaults, keywords normalized) in one round trip; a duplicate name is 409', async () => {
    const name = `${TAG}-create`;
    const { result, roundTrips } = await countRoundTrips(() =>
      createSkill({ name, description: 'Create things', type: 'with_rules', trigger_keywords: ['  Write Copy ', 'write copy', 'CTA'] }),
    );
    expect(result.status, await result.clone().text()).toBe(201);
    expect(roundTrips).toBe(1);
    expect(await json<Skill>(result)).toEqual({
      id: expect.any(String),
      name,
      description: 'Create things',
      type: 'with_rules',
      storage_key: `skills/${name}/`,
      has_rules: false,
      has_subdirectories: false,
      trigger_keywords: ['write copy', 'cta'],
      related_skills: [],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const again = await createSkill({ name, description: 'Again', type: 'simple', trigger_keywords: [] });
    await expectProblem(again, 409, 'SKILL_EXISTS');
  });

  it('tenant roles may not create or update skills (403); invalid bodies are 422', async () => {
    const ids = await fixture('guard');
    const body = { name: `${TAG}-nope`, description: 'x', type: 'simple', trigger_keywords: [] };
    for (const role of ['owner', 'admin', 'editor', 'viewer', 'service'] as const) {
      await expectProblem(await call('POST', '/v1/skills', { token: await tokenAs(ids, role), body }), 403, 'FORBIDDEN');
      await expectProblem(await call('PATCH', '/v1/skills/fixture-skill', { token: await tokenAs(ids, role), body: { description: 'x' } }), 403);
    }
    for (const bad of [
      { ...body, name: 'Has Spaces' },
      { ...body, name: '-leading' },
      { ...body, type: 'epic' },
      { ...body, trigger_keywords: Array.from({ length: 101 }, (_, i) => `k${i}`) },
      { ...body, storage_key: '/absolute/' },
      { ...body, id: crypto.randomUUID() },
    ]) {
      await expectProblem(await createSkill(bad), 422, 'VALIDATION_FAILED');
    }
  });

  it('system updates a skill by name; empty update 422, unknown name 404, the name is not editable', async () => {
    const name = `${TAG}-update`;
    expect((await createSkill({ name, description: 'Before', type: 'simple', trigger_keywords: ['old'] })).status).toBe(201);
    const token = await systemToken();
    const { result, roundTrips } = await countRoundTrips(() =>
      call('PATCH', `/v1/skills/${name}`, {
        token,
        body: { description: 'After', has_rules: true, trigger_keywords: ['New Keyword'], related_skills: ['fixture-skill'] },
      }),
    );
    expect(roundTrips).toBe(1);
    expect(await json<Skill>(result)).toMatchObject({
      name,
      description: 'After',
      has_rules: true,
      trigger_keywords: ['new keyword'],
      related_skills: ['fixture-skill'],
      type: 'simple',
    });
    await expectProblem(await call('PATCH', `/v1/skills/${name}`, { token, body: {} }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', `/v1/skills/${name}`, { token, body: { name: 'renamed' } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', `/v1/skills/${TAG}-missing`, { token, body: { description: 'x' } }), 404, 'SKILL_NOT_FOUND');
  });
});

describe('skills: reading the catalog', () => {
  let token: string;
  beforeAll(async () => {
    const ids = await fixture('read');
    token = await tokenAs(ids, 'service');
    for (const body of [
      {
        name: `${READ}-copy`,
        description: 'Write marketing copy for landing pages',
        type: 'with_rules',
        trigger_keywords: ['write copy', 'Headline', 'landing page copy'],
      },
      {
        name: `${READ}-email`,
        description: 'Create email sequences',
        type: 'complex',
        trigger_keywords: ['email sequence', 'drip campaign'],
      },
      { name: `${READ}-plain`, description: 'Something unrelated', type: 'simple', trigger_keywords: [] },
    ]) {
      expect((await createSkill(body)).status).toBe(201);
    }
  });

  const search = async (query: string) => {
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/skills${query}`, { token }));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const page = await json<Page<Skill>>(result);
    return page.data.map((s) => s.name).filter((n) => n.startsWith(READ)).sort();
  };

  it('gets a skill by name in one round trip; 404 SKILL_NOT_FOUND; 400 for a malformed name', async () => {
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/skills/${READ}-copy`, { token }));
    expect(roundTrips).toBe(1);
    expect(await json<Skill>(result)).toMatchObject({ name: `${READ}-copy`, type: 'with_rules', trigger_keywords: ['write copy', 'headline', 'landing page copy'] });
    await expectProblem(await call('GET', `/v1/skills/${READ}-none`, { token }), 404, 'SKILL_NOT_FOUND');
    await expectProblem(await call('GET', '/v1/skills/Not_A_Name', { token }), 400, 'INVALID_REQUEST');
  });

  it('q matches trigger keywords both ways, name and description, case-insensitively', async () => {
    // The query contains a keyword (a user message naming the task).
    expect(await search(`?q=${encodeURIComponent('Please WRITE COPY for our homepage')}`)).toEqual([`${READ}-copy`]);
    // A keyword contains the query.
    expect(await search('?q=DRIP')).toEqual([`${READ}-email`]);
    expect(await search('?q=headline')).toEqual([`${READ}-copy`]);
    // Name and description.
    expect(await search(`?q=${READ}`)).toEqual([`${READ}-copy`, `${READ}-email`, `${READ}-plain`]);
    expect(await search('?q=Something%20Unrelated')).toEqual([`${READ}-plain`]);
    expect(await search(`?q=${READ}-zzz`)).toEqual([]);
    // Wildcards are literal.
    expect(await search(`?q=${READ}%25`)).toEqual([]);
  });

  it('filters by type and paginates', async () => {
    expect(await search(`?type=complex&q=${READ}`)).toEqual([`${READ}-email`]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Skill> = await json<Page<Skill>>(
        await call('GET', `/v1/skills?q=${READ}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token }),
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((s) => s.name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual([`${READ}-copy`, `${READ}-email`, `${READ}-plain`]);
    for (const query of ['?type=epic', '?limit=0', '?limit=101', `?q=${'x'.repeat(501)}`, '?cursor=garbage']) {
      await expectProblem(await call('GET', `/v1/skills${query}`, { token }), 400);
    }
  });
});

describe('skills: feedback summary', () => {
  let ids: FixtureIds;
  let skillName: string;

  /** A run of the skill with one output reviewed with `scores` (overall first). */
  async function reviewed(target: FixtureIds, skillId: string, scores: { overall: number; accuracy?: number; quality?: number; rule?: number }) {
    const run = await seedRun(target, 'completed', skillId);
    const output = await seedOutput(target, run);
    const id = crypto.randomUUID();
    await asSystem(
      sql`insert into feedback (id, client_id, output_id, overall_score, accuracy_score, quality_score, rule_compliance_score, source)
          values (${id}, ${target.clients}, ${output}, ${scores.overall}, ${scores.accuracy ?? null}, ${scores.quality ?? null}, ${scores.rule ?? null}, 'web')`,
    );
    return id;
  }

  beforeAll(async () => {
    ids = await fixture('summary');
    const other = await fixture('summary-other');
    skillName = `${TAG}-summary`;
    const response = await createSkill({ name: skillName, description: 'Summarized', type: 'simple', trigger_keywords: [] });
    const skillId = (await json<Skill>(response)).id;
    await reviewed(ids, skillId, { overall: 5, accuracy: 5, rule: 4 });
    await reviewed(ids, skillId, { overall: 4, accuracy: 3, rule: 4 });
    await reviewed(ids, skillId, { overall: 3, quality: 2, rule: 5 });
    await reviewed(ids, skillId, { overall: 4 });
    // Outside the window: 40 days old. Timestamps belong to the database, so the owner (as on Neon,
    // not a superuser) switches the table's timestamp trigger off around the backdating, in one transaction.
    const old = await reviewed(ids, skillId, { overall: 1, accuracy: 1 });
    const db = testDb();
    await db.batch([
      db.execute(sql`alter table feedback disable trigger set_updated_at`),
      db.execute(sql`update feedback set created_at = now() - interval '40 days' where id = ${old}`),
      db.execute(sql`alter table feedback enable trigger set_updated_at`),
    ]);
    // Another client's feedback on the same skill, and this client's feedback on another skill: not counted.
    await reviewed(other, skillId, { overall: 1 });
    await reviewed(ids, ids.skills, { overall: 2 });
  });

  it('averages each score over the window for this client only, in one round trip', async () => {
    const token = await tokenAs(ids, 'viewer');
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/skills/${skillName}/feedback-summary`, { token }));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const summary = await json<Summary>(result);
    expect(summary).toEqual({
      skill: skillName,
      days: 30,
      since: expect.any(String),
      count: 4,
      averages: { overall: 4, accuracy: 4, quality: 2, usefulness: null, rule_compliance: 4.33 },
      overall_distribution: { '1': 0, '2': 0, '3': 1, '4': 2, '5': 1 },
    });
    expect(Date.now() - Date.parse(summary.since)).toBeGreaterThanOrEqual(30 * 86_400_000 - 60_000);

    const wide = await json<Summary>(await call('GET', `/v1/skills/${skillName}/feedback-summary?days=365`, { token }));
    expect(wide).toMatchObject({ count: 5, averages: { overall: 3.4, accuracy: 3 }, overall_distribution: { '1': 1, '3': 1, '4': 2, '5': 1 } });
  });

  it('a skill without feedback has zero count and null averages; unknown skill 404; days 1–365', async () => {
    const token = await tokenAs(ids, 'service');
    const stranger = await fixture('summary-empty');
    const empty = await json<Summary>(
      await call('GET', `/v1/skills/${skillName}/feedback-summary?days=7`, { token: await tokenAs(stranger, 'viewer') }),
    );
    expect(empty).toMatchObject({
      count: 0,
      days: 7,
      averages: { overall: null, accuracy: null, quality: null, usefulness: null, rule_compliance: null },
      overall_distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    });
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/skills/${TAG}-nope/feedback-summary`, { token }));
    await expectProblem(result, 404, 'SKILL_NOT_FOUND');
    expect(roundTrips).toBe(1);
    for (const days of ['0', '366', '1.5', 'x']) {
      await expectProblem(await call('GET', `/v1/skills/${skillName}/feedback-summary?days=${days}`, { token }), 400, 'INVALID_REQUEST');
    }
    expect((await call('GET', `/v1/skills/${skillName}/feedback-summary?days=1`, { token })).status).toBe(200);
  });
});
