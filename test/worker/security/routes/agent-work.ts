import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { asSystem } from '../../../helpers/db';
import type { FixtureIds } from '../../../helpers/tenant-fixture';
import type { RouteSpec } from './types';

/** The R2 bucket the Worker stores output content in (the same simulated bucket the Worker sees). */
export const bucket = () => (env as unknown as { OBJECTS: R2Bucket }).OBJECTS;

export type RunState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A run of `a` in `status`, with the timestamps the database checks require. */
export async function seedRun(a: FixtureIds, status: RunState = 'queued', skillId: string = a.skills): Promise<string> {
  const id = crypto.randomUUID();
  const started = status === 'queued' ? sql`null` : sql`now()`;
  const completed = status === 'queued' || status === 'running' ? sql`null` : sql`now()`;
  await asSystem(
    sql`insert into runs (id, client_id, user_id, skill_id, user_message, status, started_at, completed_at)
        values (${id}, ${a.clients}, ${a.users}, ${skillId}, 'seeded run', ${status}, ${started}, ${completed})`,
  );
  return id;
}

/** An output of `runId` (record only; `content` also puts its object in R2). */
export async function seedOutput(a: FixtureIds, runId: string = a.runs, content?: string): Promise<string> {
  const id = crypto.randomUUID();
  const [rows] = await asSystem(
    sql`insert into outputs (id, client_id, run_id, object_key, format, preview, size_bytes)
        select ${id}::uuid, c.id, ${runId}::uuid, c.storage_prefix || 'outputs/' || ${id}::text || '.md', 'markdown',
               left(${content ?? ''}::text, 500), ${new TextEncoder().encode(content ?? '').length}::int
        from clients c where c.id = ${a.clients}
        returning object_key`,
  );
  if (content !== undefined) await bucket().put(rows![0]!.object_key as string, content);
  return id;
}

/** Puts content in R2 for an existing output (e.g. the fixture's, which has a record only). */
export async function storeContent(outputId: string, content: string): Promise<void> {
  const [rows] = await asSystem(sql`select object_key from outputs where id = ${outputId}`);
  await bucket().put(rows![0]!.object_key as string, content);
}

export async function seedSkill(prefix = 'suite'): Promise<string> {
  const name = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  await asSystem(
    sql`insert into skills (name, description, type, storage_key, trigger_keywords)
        values (${name}, 'Suite skill', 'simple', ${`skills/${name}/`}, '{suite}')`,
  );
  return name;
}

/** Skills, runs (and their state machine), outputs, feedback. */
export const AGENT_WORK_ROUTES: Record<string, RouteSpec> = {
  'GET /v1/skills': { valid: async () => ({ path: '/v1/skills?limit=5&q=fixture' }) },
  'POST /v1/skills': {
    valid: async () => ({
      path: '/v1/skills',
      body: { name: `suite-${crypto.randomUUID().slice(0, 8)}`, description: 'Suite skill', type: 'simple', trigger_keywords: ['suite'] },
    }),
  },
  'GET /v1/skills/{name}': { valid: async () => ({ path: '/v1/skills/fixture-skill' }) },
  'PATCH /v1/skills/{name}': { valid: async () => ({ path: `/v1/skills/${await seedSkill()}`, body: { description: 'Edited by the suite' } }) },
  'GET /v1/skills/{name}/feedback-summary': { valid: async () => ({ path: '/v1/skills/fixture-skill/feedback-summary?days=30' }) },
  'POST /v1/runs': { valid: async () => ({ path: '/v1/runs', body: { skill: 'fixture-skill', user_message: 'Write a headline' } }) },
  'GET /v1/runs': { valid: async () => ({ path: '/v1/runs?include=outputs&limit=5' }) },
  'GET /v1/runs/{id}': { valid: async (a) => ({ path: `/v1/runs/${a.runs}` }) },
  'POST /v1/runs/{id}/start': { valid: async (a) => ({ path: `/v1/runs/${await seedRun(a, 'queued')}/start` }) },
  'POST /v1/runs/{id}/complete': {
    valid: async (a) => ({
      path: `/v1/runs/${await seedRun(a, 'running')}/complete`,
      body: { tokens_input: 120, tokens_output: 480, model: 'suite-model' },
    }),
  },
  'POST /v1/runs/{id}/fail': {
    valid: async (a) => ({ path: `/v1/runs/${await seedRun(a, 'running')}/fail`, body: { error_message: 'Suite failure' } }),
  },
  'POST /v1/runs/{id}/cancel': { valid: async (a) => ({ path: `/v1/runs/${await seedRun(a, 'queued')}/cancel` }) },
  'POST /v1/runs/{id}/outputs': {
    valid: async (a) => ({ path: `/v1/runs/${a.runs}/outputs`, body: { format: 'markdown', title: 'Suite output', content: '# Hello' } }),
  },
  'GET /v1/outputs/{id}': { valid: async (a) => ({ path: `/v1/outputs/${a.outputs}` }) },
  'GET /v1/outputs/{id}/content': {
    valid: async (a) => {
      await storeContent(a.outputs, '# Fixture output');
      return { path: `/v1/outputs/${a.outputs}/content` };
    },
  },
  'POST /v1/outputs/{id}/feedback': {
    valid: async (a) => ({
      path: `/v1/outputs/${await seedOutput(a)}/feedback`,
      body: { overall_score: 4, source: 'api', what_worked_well: 'Clear structure' },
    }),
  },
  'GET /v1/outputs/{id}/feedback': { valid: async (a) => ({ path: `/v1/outputs/${a.outputs}/feedback` }) },
};
