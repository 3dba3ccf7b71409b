import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { tenantPrincipal } from '../auth/principal';
import type { Database } from '../db/client';
import type { Executor } from '../db/executor';
import { runs, skills } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, inTimeRange, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import type { cancelRun, completeRun, createRun, failRun, getRun, listRuns, startRun } from './runs.routes';
import {
  groupByRun,
  runToApi,
  runWithOutputs,
  selectOutputsOf,
  selectRuns,
  TRANSITIONS,
  transitionRun,
  type Step,
} from './runs.queries';

export const runNotFound = () => new ApiError(404, 'RUN_NOT_FOUND', 'No such run in this client.');

export const create: AppRouteHandler<typeof createRun> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const userId = principal.kind === 'user' ? principal.subject : null;
  const apiKeyId = principal.kind === 'api_key' ? principal.subject : null;
  const skill = input.skill !== undefined ? sql`s.name = ${input.skill}::text` : sql`s.id = ${input.skill_id}::uuid`;
  // Insert … select: an unknown skill inserts nothing, which the read that follows reports.
  const [, rows] = await c.var.tenant.run((db) => [
    db.execute(sql`
      insert into runs (id, client_id, user_id, api_key_id, skill_id, user_message, metadata, external_event_id)
      select ${id}::uuid, ${principal.clientId}::uuid, ${userId}::uuid, ${apiKeyId}::uuid, s.id, ${input.user_message}::text,
             ${JSON.stringify(input.metadata ?? {})}::jsonb, ${input.external_event_id ?? null}::text
      from skills s
      where ${skill}`),
    selectRuns(db, and(eq(runs.id, id), eq(runs.clientId, principal.clientId))),
  ]);
  if (!rows[0]) {
    const path = input.skill !== undefined ? 'body.skill' : 'body.skill_id';
    throw new ApiError(422, 'VALIDATION_FAILED', 'No such skill.', { errors: [{ path, message: 'unknown skill' }] });
  }
  return c.json(runToApi(rows[0]), 201);
};

export const list: AppRouteHandler<typeof listRuns> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  if (query.queued_after && query.queued_before && Date.parse(query.queued_after) >= Date.parse(query.queued_before)) {
    throw new ApiError(400, 'INVALID_REQUEST', 'The request query is invalid.', {
      errors: [{ path: 'query.queued_before', message: 'must be later than queued_after' }],
    });
  }
  const page = keyset(runs.createdAt, runs.id, query.cursor);
  const limit = query.limit + 1;
  const filters = (db: Database) =>
    and(
      eq(runs.clientId, clientId),
      page.where,
      query.status ? eq(runs.status, query.status) : undefined,
      query.skill ? inArray(runs.skillId, db.select({ id: skills.id }).from(skills).where(eq(skills.name, query.skill))) : undefined,
      query.user_id ? eq(runs.userId, query.user_id) : undefined,
      query.api_key_id ? eq(runs.apiKeyId, query.api_key_id) : undefined,
      inTimeRange(runs.queuedAt, query.queued_after, query.queued_before),
    );
  const pageOf = (db: Database) => selectRuns(db, filters(db)).orderBy(...page.orderBy).limit(limit);

  if (query.include !== 'outputs') {
    const [rows] = await c.var.tenant.run((db) => [pageOf(db)], { readOnly: true });
    return c.json(toPage(rows, query.limit, byCreated, runToApi), 200);
  }
  // The outputs statement selects the same page of runs as a subquery: one batch, one round trip.
  const [rows, outputRows] = await c.var.tenant.run(
    (db) => [
      pageOf(db),
      selectOutputsOf(db, clientId, db.select({ id: runs.id }).from(runs).where(filters(db)).orderBy(...page.orderBy).limit(limit)),
    ],
    { readOnly: true },
  );
  const byRun = groupByRun(outputRows);
  return c.json(
    toPage(rows, query.limit, byCreated, (r) => runWithOutputs(r, byRun.get(r.id) ?? [])),
    200,
  );
};

export const get: AppRouteHandler<typeof getRun> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows, outputRows] = await c.var.tenant.run(
    (db) => [selectRuns(db, and(eq(runs.id, id), eq(runs.clientId, clientId))), selectOutputsOf(db, clientId, id)],
    { readOnly: true },
  );
  if (!rows[0]) throw runNotFound();
  return c.json(runWithOutputs(rows[0], outputRows), 200);
};

/**
 * Runs one step of the state machine: the guarded UPDATE, then the run as it is now (same
 * batch, so it sees the update). Nothing updated but a run there means the step was invalid.
 */
async function step(tenant: Executor, clientId: string, id: string, name: Step, changes: PgUpdateSetSource<typeof runs> = {}) {
  const [updated, rows] = await tenant.run((db) => [
    transitionRun(db, clientId, id, name, changes),
    selectRuns(db, and(eq(runs.id, id), eq(runs.clientId, clientId))),
  ]);
  const run = rows[0];
  if (!run) throw runNotFound();
  if (!updated[0]) {
    const from = TRANSITIONS[name].from.join(' or ');
    throw new ApiError(409, 'INVALID_TRANSITION', `Cannot ${name} a run that is ${run.status}; ${name} applies to ${from} runs.`);
  }
  return runToApi(run);
}

export const start: AppRouteHandler<typeof startRun> = async (c) => {
  const { id } = c.req.valid('param');
  return c.json(await step(c.var.tenant, tenantPrincipal(c.var.principal).clientId, id, 'start'), 200);
};

export const complete: AppRouteHandler<typeof completeRun> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const changes = {
    tokensInput: input.tokens_input,
    tokensOutput: input.tokens_output,
    ...(input.model !== undefined ? { metadata: sql`${runs.metadata} || jsonb_build_object('model', ${input.model}::text)` } : {}),
  };
  return c.json(await step(c.var.tenant, tenantPrincipal(c.var.principal).clientId, id, 'complete', changes), 200);
};

export const fail: AppRouteHandler<typeof failRun> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const changes = {
    errorMessage: input.error_message,
    ...(input.tokens_input !== undefined ? { tokensInput: input.tokens_input } : {}),
    ...(input.tokens_output !== undefined ? { tokensOutput: input.tokens_output } : {}),
  };
  return c.json(await step(c.var.tenant, tenantPrincipal(c.var.principal).clientId, id, 'fail', changes), 200);
};

export const cancel: AppRouteHandler<typeof cancelRun> = async (c) => {
  const { id } = c.req.valid('param');
  return c.json(await step(c.var.tenant, tenantPrincipal(c.var.principal).clientId, id, 'cancel'), 200);
};
