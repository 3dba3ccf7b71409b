import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { tenantPrincipal } from '../auth/principal';
import { onConstraint } from '../db/errors';
import { experiments } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import type { AppEnv } from '../lib/types';
import type {
  concludeExperiment,
  createExperiment,
  deleteExperiment,
  getExperiment,
  listExperiments,
  startExperiment,
  stopExperiment,
  updateExperiment,
} from './experiments.routes';
import type { UpdateExperimentSchema } from './experiments.schemas';

type ExperimentStatus = (typeof experiments.$inferSelect)['status'];

const notFound = () => new ApiError(404, 'EXPERIMENT_NOT_FOUND', 'No such experiment in this client.');
const constraints = {
  experiments_client_id_name_key: () => new ApiError(409, 'EXPERIMENT_NAME_TAKEN', 'This client already has an experiment with that name.'),
  decisions_experiment_id_fkey: () => new ApiError(409, 'EXPERIMENT_IN_USE', 'Decisions refer to this experiment; it cannot be deleted.'),
};
const invalidTransition = (action: string, status: ExperimentStatus, allowed: readonly ExperimentStatus[]) =>
  new ApiError(409, 'INVALID_TRANSITION', `Cannot ${action} an experiment that is ${status} (only from ${allowed.join(' or ')}).`);

function columns(input: z.infer<typeof UpdateExperimentSchema>) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.variant_a !== undefined ? { variantA: input.variant_a } : {}),
    ...(input.variant_b !== undefined ? { variantB: input.variant_b } : {}),
    ...(input.metric !== undefined ? { metric: input.metric } : {}),
    ...(input.traffic_split !== undefined ? { trafficSplit: input.traffic_split } : {}),
  };
}

const byId = (clientId: string, id: string) => and(eq(experiments.id, id), eq(experiments.clientId, clientId));

export const list: AppRouteHandler<typeof listExperiments> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(experiments.createdAt, experiments.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(experiments)
        .where(and(eq(experiments.clientId, clientId), query.status ? eq(experiments.status, query.status) : undefined, page.where))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const create: AppRouteHandler<typeof createExperiment> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [rows] = await onConstraint(
    c.var.tenant.run((db) => [
      db
        .insert(experiments)
        .values({ clientId, ...columns(input), name: input.name, variantA: input.variant_a, variantB: input.variant_b, metric: input.metric })
        .returning(),
    ]),
    constraints,
  );
  if (!rows[0]) throw new Error('experiment insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const get: AppRouteHandler<typeof getExperiment> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [db.select().from(experiments).where(byId(clientId, id))], { readOnly: true });
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

/**
 * A state change in one round trip, enforced in SQL: `UPDATE … WHERE status IN (allowed)
 * RETURNING`, then the row as it now is from the same transaction. No row: 404. A row the update
 * skipped: the transition was not allowed from its status (409), and nothing was written.
 */
async function guardedUpdate(
  c: Context<AppEnv>,
  id: string,
  changes: PgUpdateSetSource<typeof experiments>,
  allowed: readonly ExperimentStatus[],
  refusal: (status: ExperimentStatus) => ApiError,
) {
  const { clientId } = tenantPrincipal(c.var.principal);
  const [changed, rows] = await onConstraint(
    c.var.tenant.run((db) => [
      db
        .update(experiments)
        .set(changes)
        .where(and(byId(clientId, id), inArray(experiments.status, [...allowed])))
        .returning({ id: experiments.id }),
      db.select().from(experiments).where(byId(clientId, id)),
    ]),
    constraints,
  );
  const row = rows[0];
  if (!row) throw notFound();
  if (changed.length === 0) throw refusal(row.status);
  return row;
}

export const update: AppRouteHandler<typeof updateExperiment> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await guardedUpdate(c, id, columns(c.req.valid('json')), ['draft'], (status) =>
    new ApiError(409, 'EXPERIMENT_NOT_DRAFT', `Only a draft experiment can be edited; this one is ${status}.`),
  );
  return c.json(toApi(row), 200);
};

const transition = (action: string, allowed: readonly ExperimentStatus[]) => ({
  allowed,
  refusal: (status: ExperimentStatus) => invalidTransition(action, status, allowed),
});
const START = transition('start', ['draft']);
const STOP = transition('stop', ['running']);
const CONCLUDE = transition('conclude', ['running', 'stopped']);

export const start: AppRouteHandler<typeof startExperiment> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await guardedUpdate(c, id, { status: 'running', startDate: sql`now()` }, START.allowed, START.refusal);
  return c.json(toApi(row), 200);
};

export const stop: AppRouteHandler<typeof stopExperiment> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await guardedUpdate(c, id, { status: 'stopped', endDate: sql`now()` }, STOP.allowed, STOP.refusal);
  return c.json(toApi(row), 200);
};

export const conclude: AppRouteHandler<typeof concludeExperiment> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const endDate: SQL = sql`coalesce(${experiments.endDate}, now())`;
  const row = await guardedUpdate(
    c,
    id,
    { status: 'concluded', winner: input.winner, endDate, ...(input.results !== undefined ? { results: input.results } : {}) },
    CONCLUDE.allowed,
    CONCLUDE.refusal,
  );
  return c.json(toApi(row), 200);
};

export const remove: AppRouteHandler<typeof deleteExperiment> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [deleted, rows] = await onConstraint(
    c.var.tenant.run((db) => [
      db
        .delete(experiments)
        .where(and(byId(clientId, id), ne(experiments.status, 'running')))
        .returning({ id: experiments.id }),
      db.select({ status: experiments.status }).from(experiments).where(byId(clientId, id)),
    ]),
    constraints,
  );
  if (deleted.length > 0) return c.body(null, 204);
  if (!rows[0]) throw notFound();
  throw new ApiError(409, 'INVALID_TRANSITION', 'A running experiment cannot be deleted; stop it first.');
};
