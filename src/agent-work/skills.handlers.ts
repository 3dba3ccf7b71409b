import { and, eq, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { skills } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { skillMatches } from './skills.queries';
import type { createSkill, getSkill, listSkills, skillFeedbackSummary, updateSkill } from './skills.routes';

export const skillNotFound = () => new ApiError(404, 'SKILL_NOT_FOUND', 'No skill with that name.');

/** Keywords are matched case-insensitively, so they are stored trimmed, lowercased, once each. */
const normalizeKeywords = (keywords: string[]) => [...new Set(keywords.map((k) => k.trim().toLowerCase()))];

export const list: AppRouteHandler<typeof listSkills> = async (c) => {
  const query = c.req.valid('query');
  const page = keyset(skills.createdAt, skills.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(skills)
        .where(and(page.where, query.type ? eq(skills.type, query.type) : undefined, query.q ? skillMatches(query.q) : undefined))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const get: AppRouteHandler<typeof getSkill> = async (c) => {
  const { name } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [db.select().from(skills).where(eq(skills.name, name))], { readOnly: true });
  if (!rows[0]) throw skillNotFound();
  return c.json(toApi(rows[0]), 200);
};

export const create: AppRouteHandler<typeof createSkill> = async (c) => {
  const input = c.req.valid('json');
  const [rows] = await c.var.system.run((db) => [
    db
      .insert(skills)
      .values({
        name: input.name,
        description: input.description,
        type: input.type,
        storageKey: input.storage_key ?? `skills/${input.name}/`,
        hasRules: input.has_rules ?? false,
        hasSubdirectories: input.has_subdirectories ?? false,
        triggerKeywords: normalizeKeywords(input.trigger_keywords),
        relatedSkills: input.related_skills ?? [],
      })
      .onConflictDoNothing({ target: skills.name })
      .returning(),
  ]);
  if (!rows[0]) throw new ApiError(409, 'SKILL_EXISTS', 'A skill with this name already exists.');
  return c.json(toApi(rows[0]), 201);
};

export const update: AppRouteHandler<typeof updateSkill> = async (c) => {
  const { name } = c.req.valid('param');
  const input = c.req.valid('json');
  const changes = {
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.storage_key !== undefined ? { storageKey: input.storage_key } : {}),
    ...(input.has_rules !== undefined ? { hasRules: input.has_rules } : {}),
    ...(input.has_subdirectories !== undefined ? { hasSubdirectories: input.has_subdirectories } : {}),
    ...(input.trigger_keywords !== undefined ? { triggerKeywords: normalizeKeywords(input.trigger_keywords) } : {}),
    ...(input.related_skills !== undefined ? { relatedSkills: input.related_skills } : {}),
  };
  if (Object.keys(changes).length === 0) {
    throw new ApiError(422, 'VALIDATION_FAILED', 'Send at least one field to change.', { errors: [{ path: 'body', message: 'empty update' }] });
  }
  const [rows] = await c.var.system.run((db) => [db.update(skills).set(changes).where(eq(skills.name, name)).returning()]);
  if (!rows[0]) throw skillNotFound();
  return c.json(toApi(rows[0]), 200);
};

type SummaryRow = {
  count: number;
  overall: number | null;
  accuracy: number | null;
  quality: number | null;
  usefulness: number | null;
  rule_compliance: number | null;
  d1: number;
  d2: number;
  d3: number;
  d4: number;
  d5: number;
};

const DAY_MS = 86_400_000;

/**
 * Seed 002's "feedback for a skill", per client and over a window: one statement, the skill's
 * existence reported by the same row (no skill → no row).
 */
export const feedbackSummary: AppRouteHandler<typeof skillFeedbackSummary> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { name } = c.req.valid('param');
  const { days } = c.req.valid('query');
  const since = new Date(Date.now() - days * DAY_MS);
  const mean = (column: string) => sql.raw(`round(avg(f.${column})::numeric, 2)::float8`);
  const share = (score: number) => sql.raw(`(count(*) filter (where f.overall_score = ${score}))::int`);
  const [result] = await c.var.tenant.run(
    (db) => [
      db.execute<SummaryRow>(sql`
        select agg.*
        from skills s
        cross join lateral (
          select count(*)::int as count,
                 ${mean('overall_score')} as overall, ${mean('accuracy_score')} as accuracy, ${mean('quality_score')} as quality,
                 ${mean('usefulness_score')} as usefulness, ${mean('rule_compliance_score')} as rule_compliance,
                 ${share(1)} as d1, ${share(2)} as d2, ${share(3)} as d3, ${share(4)} as d4, ${share(5)} as d5
          from feedback f
          join outputs o on o.client_id = f.client_id and o.id = f.output_id
          join runs r on r.client_id = o.client_id and r.id = o.run_id
          where f.client_id = ${clientId}::uuid and f.created_at >= ${since.toISOString()}::timestamptz and r.skill_id = s.id
        ) agg
        where s.name = ${name}`),
    ],
    { readOnly: true },
  );
  const row = result.rows[0];
  if (!row) throw skillNotFound();
  return c.json(
    {
      skill: name,
      days,
      since: since.toISOString(),
      count: row.count,
      averages: {
        overall: row.overall,
        accuracy: row.accuracy,
        quality: row.quality,
        usefulness: row.usefulness,
        rule_compliance: row.rule_compliance,
      },
      overall_distribution: { '1': row.d1, '2': row.d2, '3': row.d3, '4': row.d4, '5': row.d5 },
    },
    200,
  );
};
