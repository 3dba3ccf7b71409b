import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import type { Database } from '../db/client';
import type { Executor } from '../db/executor';
import { replies } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, inTimeRange, keyset, orderedKeyset, toPage } from '../lib/pagination';
import { ApiError, type FieldError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { mayRead } from '../lib/visibility';
import { invalidTransition, notMember, requireUser, unprocessable } from './common';
import { brandVerdict, bulkApprove as bulkApproveQuery, draftReply, PASSES_BRAND_RULES, type DraftVerdict } from './replies.queries';
import type {
  approveReply,
  bulkApproveReplies,
  deleteReply,
  draftReply as draftReplyRoute,
  getReply,
  listReplies,
  markReplyPosted,
  recordReplyMetrics,
  rejectReply,
  replyQueue,
} from './replies.routes';
import { guardedTransition, type Transition } from './transitions';

const notFound = () => new ApiError(404, 'REPLY_NOT_FOUND', 'No such reply in this client.');
const decisionNotFound = () => new ApiError(404, 'DECISION_NOT_FOUND', 'No such decision in this client.');
const now = sql`date_trunc('milliseconds', now())`;

/**
 * What a refused draft is told. A caller that may read brand kits learns the signature and each
 * claim; another (`service`) learns which kind of rule it broke, never the rule's text.
 */
function brandRuleErrors(v: Pick<DraftVerdict, 'signed' | 'signature' | 'violations'>, quoteRules: boolean): FieldError[] {
  const error = (message: string): FieldError => ({ path: 'body.content', message });
  const errors: FieldError[] = [];
  if (!v.signed) errors.push(error(quoteRules ? `Reply must include signature "${v.signature}"` : "Reply must include the brand kit's reply signature"));
  if (quoteRules) errors.push(...v.violations.map((claim) => error(`Reply contains the prohibited claim "${claim}"`)));
  else if (v.violations.length) errors.push(error('Reply contains a claim the brand kit prohibits'));
  return errors;
}

const brandKitRequired = (kitFound: boolean) =>
  unprocessable(
    'BRAND_KIT_REQUIRED',
    kitFound
      ? "The client's default brand kit has no reply signature: replies cannot be checked, so none can be written."
      : 'The client has no default brand kit: replies cannot be checked, so none can be written.',
    [{ path: 'brand_kit.reply_signature', message: 'a default brand kit with a reply signature is required' }],
  );

export const draft: AppRouteHandler<typeof draftReplyRoute> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id: decisionId } = c.req.valid('param');
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const [verdicts, rows] = await c.var.tenant.run((db) => [
    draftReply(db, clientId, decisionId, id, input),
    db.select().from(replies).where(and(eq(replies.id, id), eq(replies.clientId, clientId))),
  ]);
  const v = verdicts.rows[0];
  if (!v?.decision_found) throw decisionNotFound();
  if (!v.kit_found || v.signature === null) throw brandKitRequired(v.kit_found);
  const errors = brandRuleErrors(v, mayRead(c.var.principal, 'brandKits'));
  if (errors.length) throw unprocessable('BRAND_RULES_VIOLATED', "The reply breaks the client's brand rules.", errors);
  if (!rows[0]) throw new Error('reply insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const queue: AppRouteHandler<typeof replyQueue> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = orderedKeyset(
    [
      { column: replies.createdAt, direction: 'asc' },
      { column: replies.id, direction: 'asc' },
    ],
    query.cursor,
  );
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(replies)
        .where(and(eq(replies.clientId, clientId), eq(replies.approvalStatus, 'pending'), isNull(replies.deletedAt), page.where))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const list: AppRouteHandler<typeof listReplies> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(replies.createdAt, replies.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(replies)
        .where(
          and(
            eq(replies.clientId, clientId),
            query.approval_status ? eq(replies.approvalStatus, query.approval_status) : undefined,
            query.platform ? eq(replies.platform, query.platform) : undefined,
            inTimeRange(replies.postedAt, query.posted_after, query.posted_before),
            query.include_deleted ? undefined : isNull(replies.deletedAt),
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

export const get: AppRouteHandler<typeof getReply> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(replies).where(and(eq(replies.id, id), eq(replies.clientId, clientId)))],
    { readOnly: true },
  );
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

type ReplyChange = Omit<Transition, 'table' | 'stateColumn' | 'clientId' | 'id' | 'softDelete'>;

const selectReply = (db: Database, clientId: string, id: string) =>
  db.select().from(replies).where(and(eq(replies.id, id), eq(replies.clientId, clientId)));

/**
 * Runs one guarded transition and reads the reply back, in one round trip; explains a refusal.
 * With `edit`, the change is made only when the new text passes the brand rules, judged in the
 * same statement.
 */
async function transitionReply(tenant: Executor, clientId: string, id: string, action: string, change: ReplyChange, edit?: SQL) {
  const [guard, rows] = await tenant.run((db) => [
    guardedTransition(db, {
      table: 'replies',
      stateColumn: 'approval_status',
      clientId,
      id,
      softDelete: true,
      ...change,
      ...(edit ? { check: sql`select b.*, ${PASSES_BRAND_RULES} as passes from (${brandVerdict(clientId, edit)}) b` } : {}),
    }),
    selectReply(db, clientId, id),
  ]);
  const result = guard.rows[0];
  if (!result?.state || !rows[0]) throw notFound();
  const verdict = result.checked as (Omit<DraftVerdict, 'decision_found' | 'inserted'> & { passes: boolean }) | null;
  if (verdict && !verdict.passes && result.member && result.state === 'pending' && !result.deleted) {
    if (!verdict.kit_found || verdict.signature === null) throw brandKitRequired(verdict.kit_found);
    throw unprocessable('BRAND_RULES_VIOLATED', "The edited reply breaks the client's brand rules.", brandRuleErrors(verdict, true));
  }
  if (result.changed === 0) {
    if (!result.member) throw notMember();
    throw invalidTransition('reply', result.state, action, result.deleted);
  }
  return rows[0];
}

export const approve: AppRouteHandler<typeof approveReply> = async (c) => {
  const caller = requireUser(c.var.principal, 'approve a reply');
  const { id } = c.req.valid('param');
  const { content } = c.req.valid('json');
  const edit = content === undefined ? undefined : sql`${content}::text`;
  const row = await transitionReply(
    c.var.tenant,
    caller.clientId,
    id,
    'approve',
    {
      from: ['pending'],
      set: sql`approval_status = 'approved', approved_by = ${caller.subject}::uuid, approved_at = ${now}${edit ? sql`, content = ${edit}` : sql``}`,
      memberId: caller.subject,
    },
    edit,
  );
  return c.json(toApi(row), 200);
};

export const bulkApprove: AppRouteHandler<typeof bulkApproveReplies> = async (c) => {
  const caller = requireUser(c.var.principal, 'approve replies');
  const { ids } = c.req.valid('json');
  const [outcomes, rows] = await c.var.tenant.run((db) => [
    bulkApproveQuery(db, caller.clientId, ids, caller.subject, now),
    db.select().from(replies).where(and(eq(replies.clientId, caller.clientId), inArray(replies.id, ids))),
  ]);
  // Another client's reply (or none) is not found, as it is everywhere: the whole call changes nothing.
  const missing = outcomes.rows.flatMap((o, index) => (o.state === null ? [{ path: `body.ids.${index}`, message: 'no such reply in this client' }] : []));
  if (missing.length) throw new ApiError(404, 'REPLY_NOT_FOUND', 'No such reply in this client; nothing was approved.', { errors: missing });
  if (outcomes.rows.some((o) => !o.member)) throw notMember();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const approved = outcomes.rows.filter((o) => o.approved).map((o) => toApi(byId.get(o.id)!));
  const notApproved = outcomes.rows
    .filter((o) => !o.approved)
    .map((o) => ({ id: o.id, reason: o.deleted ? ('deleted' as const) : ('not_pending' as const) }));
  return c.json({ approved, not_approved: notApproved }, 200);
};

export const reject: AppRouteHandler<typeof rejectReply> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const { reason } = c.req.valid('json');
  const row = await transitionReply(c.var.tenant, clientId, id, 'reject', {
    from: ['pending'],
    set: sql`approval_status = 'rejected', rejection_reason = ${reason}`,
  });
  return c.json(toApi(row), 200);
};

export const posted: AppRouteHandler<typeof markReplyPosted> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const at = input.posted_at ? sql`${new Date(input.posted_at).toISOString()}::timestamptz` : now;
  const row = await transitionReply(c.var.tenant, clientId, id, 'mark posted', {
    from: ['approved'],
    set: sql`approval_status = 'posted', platform_post_id = ${input.platform_post_id}, posted_at = ${at}`,
  });
  return c.json(toApi(row), 200);
};

export const metrics: AppRouteHandler<typeof recordReplyMetrics> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const measuredAt = new Date(input.measured_at ?? Date.now()).toISOString();
  const row = await transitionReply(c.var.tenant, clientId, id, 'record metrics', {
    from: ['posted'],
    set: sql`metrics = ${JSON.stringify({ ...input.metrics, measured_at: measuredAt })}::jsonb`,
  });
  return c.json(toApi(row), 200);
};

export const remove: AppRouteHandler<typeof deleteReply> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const reason = c.req.valid('json').reason ?? c.req.valid('query').reason;
  if (!reason) {
    throw unprocessable('VALIDATION_FAILED', 'A deletion needs a reason.', [{ path: 'body.reason', message: 'required (in the body or the query)' }]);
  }
  const row = await transitionReply(c.var.tenant, clientId, id, 'delete', {
    from: 'any',
    set: sql`deleted_at = ${now}, delete_reason = ${reason}`,
  });
  return c.json(toApi(row), 200);
};
