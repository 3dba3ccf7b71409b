import { and, eq, inArray, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import type { Database } from '../db/client';
import type { Executor } from '../db/executor';
import { escalations } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, orderedKeyset, toPage } from '../lib/pagination';
import { ApiError, type FieldError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { invalidTransition, notMember, requireUser, unprocessable } from './common';
import { insertEscalation } from './escalations.queries';
import type {
  assignEscalation,
  createEscalation,
  dismissEscalation,
  escalationQueue,
  getEscalation,
  listEscalations,
  resolveEscalation,
} from './escalations.routes';
import { guardedTransition, type Transition } from './transitions';

const notFound = () => new ApiError(404, 'ESCALATION_NOT_FOUND', 'No such escalation in this client.');
const now = sql`date_trunc('milliseconds', now())`;
const OPEN = ['open', 'assigned'] as const;

const selectEscalation = (db: Database, clientId: string, id: string) =>
  db.select().from(escalations).where(and(eq(escalations.id, id), eq(escalations.clientId, clientId)));

export const create: AppRouteHandler<typeof createEscalation> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const [guard, rows] = await c.var.tenant.run((db) => [insertEscalation(db, clientId, id, input), selectEscalation(db, clientId, id)]);
  const v = guard.rows[0];
  const errors: FieldError[] = [];
  if (!v?.post_ok) errors.push({ path: 'body.post_id', message: 'no such post in this client' });
  if (v && !v.decision_ok) errors.push({ path: 'body.decision_id', message: 'no such decision on this post in this client' });
  if (v && !v.reply_ok) errors.push({ path: 'body.reply_id', message: 'no such reply to this post (and decision) in this client' });
  if (errors.length) throw unprocessable('INVALID_REFERENCE', 'The escalation names something that is not this client’s.', errors);
  if (!rows[0]) throw new Error('escalation insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const queue: AppRouteHandler<typeof escalationQueue> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = orderedKeyset(
    [
      { column: escalations.priority, direction: 'desc' },
      { column: escalations.createdAt, direction: 'asc' },
      { column: escalations.id, direction: 'asc' },
    ],
    query.cursor,
  );
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(escalations)
        .where(and(eq(escalations.clientId, clientId), inArray(escalations.status, [...OPEN]), page.where))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, (r) => [r.priority, r.createdAt, r.id], toApi), 200);
};

export const list: AppRouteHandler<typeof listEscalations> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(escalations.createdAt, escalations.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(escalations)
        .where(
          and(
            eq(escalations.clientId, clientId),
            query.status ? eq(escalations.status, query.status) : undefined,
            query.priority ? eq(escalations.priority, query.priority) : undefined,
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

export const get: AppRouteHandler<typeof getEscalation> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [selectEscalation(db, clientId, id)], { readOnly: true });
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

type EscalationChange = Omit<Transition, 'table' | 'stateColumn' | 'clientId' | 'id' | 'from'>;

/** One guarded transition from open | assigned, and the escalation read back, in one round trip. */
async function transitionEscalation(
  tenant: Executor,
  clientId: string,
  id: string,
  action: string,
  change: EscalationChange,
  memberRefusal: () => ApiError,
) {
  const [guard, rows] = await tenant.run((db) => [
    guardedTransition(db, { table: 'escalations', stateColumn: 'status', clientId, id, from: OPEN, ...change }),
    selectEscalation(db, clientId, id),
  ]);
  const result = guard.rows[0];
  if (!result?.state || !rows[0]) throw notFound();
  if (result.changed === 0) {
    if (!result.member) throw memberRefusal();
    throw invalidTransition('escalation', result.state, action);
  }
  return rows[0];
}

export const assign: AppRouteHandler<typeof assignEscalation> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const { user_id } = c.req.valid('json');
  const row = await transitionEscalation(
    c.var.tenant,
    clientId,
    id,
    'assign',
    { set: sql`status = 'assigned', assigned_to = ${user_id}::uuid`, memberId: user_id },
    () => unprocessable('USER_NOT_MEMBER', 'Escalations are assigned to members of this client.', [
      { path: 'body.user_id', message: 'not a member of this client' },
    ]),
  );
  return c.json(toApi(row), 200);
};

export const resolve: AppRouteHandler<typeof resolveEscalation> = async (c) => {
  const caller = requireUser(c.var.principal, 'resolve an escalation');
  const { id } = c.req.valid('param');
  const { notes } = c.req.valid('json');
  const row = await transitionEscalation(
    c.var.tenant,
    caller.clientId,
    id,
    'resolve',
    {
      set: sql`status = 'resolved', resolved_by = ${caller.subject}::uuid, resolution_notes = ${notes}, resolved_at = ${now}`,
      memberId: caller.subject,
    },
    notMember,
  );
  return c.json(toApi(row), 200);
};

export const dismiss: AppRouteHandler<typeof dismissEscalation> = async (c) => {
  const caller = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const { notes } = c.req.valid('json');
  const by = caller.kind === 'user' ? caller.subject : null;
  const row = await transitionEscalation(
    c.var.tenant,
    caller.clientId,
    id,
    'dismiss',
    {
      set: sql`status = 'dismissed', resolved_by = ${by}::uuid, resolution_notes = coalesce(${notes ?? null}, resolution_notes), resolved_at = ${now}`,
      ...(by ? { memberId: by } : {}),
    },
    notMember,
  );
  return c.json(toApi(row), 200);
};
