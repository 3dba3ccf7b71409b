import { and, eq } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { decisions } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, inTimeRange, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { unprocessable } from './common';
import { insertDecision } from './decisions.queries';
import type { createDecision, getDecision, listDecisions } from './decisions.routes';

const notFound = () => new ApiError(404, 'DECISION_NOT_FOUND', 'No such decision in this client.');
const postNotFound = () => new ApiError(404, 'POST_NOT_FOUND', 'No such post in this client.');

export const create: AppRouteHandler<typeof createDecision> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id: postId } = c.req.valid('param');
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const [guard, rows] = await c.var.tenant.run((db) => [
    insertDecision(db, clientId, postId, id, input),
    db.select().from(decisions).where(and(eq(decisions.id, id), eq(decisions.clientId, clientId))),
  ]);
  const result = guard.rows[0];
  if (!result?.post_found) throw postNotFound();
  if (!result.experiment_found) {
    throw unprocessable('EXPERIMENT_NOT_FOUND', 'The experiment is not one of this client.', [
      { path: 'body.experiment_id', message: 'no such experiment in this client' },
    ]);
  }
  if (!rows[0]) throw new Error('decision insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const list: AppRouteHandler<typeof listDecisions> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(decisions.createdAt, decisions.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(decisions)
        .where(
          and(
            eq(decisions.clientId, clientId),
            query.mode ? eq(decisions.mode, query.mode) : undefined,
            query.archetype ? eq(decisions.archetype, query.archetype) : undefined,
            query.experiment_id ? eq(decisions.experimentId, query.experiment_id) : undefined,
            inTimeRange(decisions.createdAt, query.created_after, query.created_before),
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const get: AppRouteHandler<typeof getDecision> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(decisions).where(and(eq(decisions.id, id), eq(decisions.clientId, clientId)))],
    { readOnly: true },
  );
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};
