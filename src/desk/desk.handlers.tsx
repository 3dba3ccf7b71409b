import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createMiddleware } from 'hono/factory';
import { CAN } from '../auth/principal';
import { createSystemExecutor, createTenantExecutor, type TenantExecutor } from '../db/executor';
import { fetchArea } from '../lib/areas';
import { onError } from '../lib/error-handler';
import { ApiError } from '../lib/problem';
import type { AppEnv, AppVariables } from '../lib/types';
import {
  DESK_PAGE,
  escalationQueue,
  memberClients,
  membershipOf,
  membershipsByEmail,
  queueCounts,
  replyDetail,
  replyHistory,
  replyQueue,
  signInChoices,
} from './desk.queries';
import { EscalationsPage } from './pages/escalations';
import { HistoryPage } from './pages/history';
import { NOTICES, ProblemPage, type Frame, type Notice } from './pages/layout';
import { QueuePage, type RefusedEdit } from './pages/queue';
import { AccessSignInPage, DevSignInPage } from './pages/sign-in';
import {
  accessEmail,
  endSession,
  formToken,
  formTokenMatches,
  readSession,
  signInMode,
  startSession,
  type DeskSession,
  type Membership,
} from './session';

/** Form fields as strings (a repeated field: its values). */
type Form = Record<string, string | string[]>;

export interface DeskEnv extends AppEnv {
  /** `form`: a POST's fields, read once by `requireSession`. */
  Variables: AppVariables & { session: DeskSession; form: Form };
}
type DeskContext = Context<DeskEnv>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pageNotFound = () => new ApiError(404, 'NOT_FOUND', 'There is no such page, or it belongs to another client.');

/**
 * The desk's pages may load only the desk's own script and style sheet, post forms only to
 * themselves, and be framed by no one; nothing a page shows is cached.
 */
export const withPageHeaders = createMiddleware<DeskEnv>(async (c, next) => {
  await next();
  c.res.headers.set(
    'content-security-policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.res.headers.set('cache-control', 'no-store');
  c.res.headers.set('referrer-policy', 'same-origin');
  c.res.headers.set('x-frame-options', 'DENY');
});

/** Starts the session of a person Cloudflare Access vouches for (their first client by name). */
async function signInWithAccess<E extends AppEnv>(c: Context<E>, email: string): Promise<void> {
  const [rows] = await createSystemExecutor(c.var.config).run((db) => [membershipsByEmail(db, email)], { readOnly: true });
  const membership = rows.rows[0];
  if (!membership) throw new ApiError(403, 'NOT_A_MEMBER', `${email} is not a member of any client on this desk.`);
  await startSession(c, membership);
}

async function formOf(c: Context<DeskEnv>): Promise<Form> {
  const form = await c.req.parseBody({ all: true });
  return Object.fromEntries(
    Object.entries(form).map(([key, value]) => [key, Array.isArray(value) ? value.filter((v) => typeof v === 'string') : typeof value === 'string' ? value : '']),
  ) as Form;
}
const field = (form: Form, name: string) => {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Every page but sign-in needs a session. Without one: under Cloudflare Access, a valid Access
 * assertion starts one (and the browser is sent back to the page); otherwise, to sign-in.
 * A form must also carry the session's form token.
 */
export const requireSession = createMiddleware<DeskEnv>(async (c, next) => {
  const session = await readSession(c);
  if (!session) {
    const email = await accessEmail(c);
    // Back to the page as the browser spelled it (the raw, percent-encoded path), not the decoded one.
    const url = new URL(c.req.url);
    if (!email) return c.redirect('/desk/sign-in', 303);
    await signInWithAccess(c, email);
    return c.redirect(c.req.method === 'GET' ? `${url.pathname}${url.search}` : '/desk', 303);
  }
  const form = c.req.method === 'POST' ? await formOf(c) : {};
  if (c.req.method === 'POST' && !(await formTokenMatches(c.var.config, session, field(form, '_csrf')))) {
    throw new ApiError(403, 'FORM_TOKEN_INVALID', 'This form is out of date or did not come from the desk. Reload the page and try again.');
  }
  c.set('session', session);
  c.set('form', form);
  await next();
});

/** The session's tenant executor: reading needs viewer+, and the database checks the membership each time. */
function tenantOf(c: DeskContext): TenantExecutor {
  const { principal } = c.var.session;
  return createTenantExecutor(c.var.config, {
    kind: 'user',
    clientId: principal.clientId,
    userId: principal.subject,
    role: principal.role,
    allowed: [...CAN.read],
  });
}

const noticeOf = (c: DeskContext): Notice | undefined => {
  const notice = c.req.query('notice');
  return notice && Object.hasOwn(NOTICES, notice) ? (notice as Notice) : undefined;
};

async function frameOf(c: DeskContext, tenant: TenantExecutor, view: Frame['view'], clients: Frame['clients'], counts: Frame['counts']): Promise<Frame> {
  const { principal } = c.var.session;
  return {
    clientId: principal.clientId,
    role: tenant.actingRole() ?? principal.role,
    clients,
    counts,
    formToken: await formToken(c.var.config, c.var.session),
    view,
  };
}

const mayWrite = (role: string) => (CAN.write as readonly string[]).includes(role);

async function renderQueue(c: DeskContext, status: 200 | 422, edit?: RefusedEdit) {
  const tenant = tenantOf(c);
  const clientId = c.var.session.principal.clientId;
  const [clients, counts, items] = await tenant.run((db) => [memberClients(db), queueCounts(db, clientId), replyQueue(db, clientId)], {
    readOnly: true,
  });
  const frame = await frameOf(c, tenant, 'replies', clients.rows, counts.rows[0]!);
  return c.html(<QueuePage frame={frame} items={items.rows} canWrite={mayWrite(frame.role)} notice={noticeOf(c)} edit={edit} />, status);
}

export const queuePage = (c: DeskContext) => renderQueue(c, 200);

export async function escalationsPage(c: DeskContext) {
  const tenant = tenantOf(c);
  const clientId = c.var.session.principal.clientId;
  const [clients, counts, items] = await tenant.run((db) => [memberClients(db), queueCounts(db, clientId), escalationQueue(db, clientId)], {
    readOnly: true,
  });
  const frame = await frameOf(c, tenant, 'escalations', clients.rows, counts.rows[0]!);
  return c.html(
    <EscalationsPage frame={frame} items={items.rows} canWrite={mayWrite(frame.role)} userId={c.var.session.principal.subject} notice={noticeOf(c)} />,
  );
}

export async function historyPage(c: DeskContext) {
  const id = c.req.param('id')!;
  if (!UUID.test(id)) throw pageNotFound();
  const tenant = tenantOf(c);
  const clientId = c.var.session.principal.clientId;
  const [clients, counts, reply, entries] = await tenant.run(
    (db) => [memberClients(db), queueCounts(db, clientId), replyDetail(db, clientId, id), replyHistory(db, clientId, id)],
    { readOnly: true },
  );
  if (!reply.rows[0]) throw pageNotFound();
  const frame = await frameOf(c, tenant, 'history', clients.rows, counts.rows[0]!);
  return c.html(<HistoryPage frame={frame} reply={reply.rows[0]} entries={entries.rows} />);
}


interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

/**
 * Sends a desk action to its REST route with the session's token, so it is validated, authorized
 * and written exactly as the API does it (one round trip, the same audit trail).
 */
async function sendToApi(c: DeskContext, path: string, body: unknown): Promise<{ ok: true; data: unknown } | { ok: false; problem: Problem; response: Response }> {
  const request = new Request(new URL(path, c.req.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${c.var.session.token}`, 'content-type': 'application/json', 'x-request-id': c.var.requestId },
    body: JSON.stringify(body),
  });
  const response = (await fetchArea(request, c.env, c.executionCtx))!;
  if (response.ok) return { ok: true, data: await response.json() };
  return { ok: false, problem: (await response.json()) as Problem, response };
}

/** Back to a queue after an action, with a fixed notice and the position the reviewer was at. */
function backTo(c: DeskContext, path: string, notice: Notice, at?: string) {
  const position = Number.parseInt(at ?? '', 10);
  const query = new URLSearchParams({ notice });
  if (Number.isInteger(position) && position >= 0 && position < DESK_PAGE) query.set('at', String(position));
  return c.redirect(`${path}?${query}`, 303);
}

/** A refused action: a conflict goes back to the queue as it now is; anything else is the route's refusal as a page. */
function refused(c: DeskContext, result: { problem: Problem; response: Response }, queue: string) {
  if (result.problem.status === 409) return backTo(c, queue, 'conflict');
  throw new ApiError(result.problem.status as ContentfulStatusCode, result.problem.code, result.problem.detail, {
    headers: Object.fromEntries([...result.response.headers].filter(([name]) => name === 'retry-after')),
  });
}

function pathId(c: DeskContext): string {
  const id = c.req.param('id')!;
  if (!UUID.test(id)) throw pageNotFound();
  return id;
}

export async function approve(c: DeskContext) {
  const id = pathId(c);
  const form = c.var.form;
  const content = field(form, 'content');
  const result = await sendToApi(c, `/v1/replies/${id}/approve`, content === undefined ? {} : { content });
  if (result.ok) return backTo(c, '/desk', 'approved', field(form, 'at'));
  if (content !== undefined && result.problem.status === 422) {
    // The edit is shown again beside its text, with what the brand kit (or the length rule) refused.
    const errors = result.problem.errors?.map((e) => e.message) ?? [result.problem.detail];
    return renderQueue(c, 422, { id, content, errors });
  }
  return refused(c, result, '/desk');
}

export async function reject(c: DeskContext) {
  const id = pathId(c);
  const form = c.var.form;
  const result = await sendToApi(c, `/v1/replies/${id}/reject`, { reason: field(form, 'reason') ?? '' });
  if (result.ok) return backTo(c, '/desk', 'rejected', field(form, 'at'));
  return refused(c, result, '/desk');
}

export async function bulkApprove(c: DeskContext) {
  const form = c.var.form;
  const ids = [form.ids ?? []].flat().filter((id) => UUID.test(id));
  if (!ids.length) return c.redirect('/desk', 303);
  const result = await sendToApi(c, '/v1/replies/approve', { ids: [...new Set(ids)] });
  if (!result.ok) return refused(c, result, '/desk');
  const { not_approved } = result.data as { not_approved: unknown[] };
  return backTo(c, '/desk', not_approved.length ? 'bulk-partial' : 'bulk-approved');
}

const ESCALATION_ACTIONS = {
  assign: { notice: 'assigned', body: (c: DeskContext) => ({ user_id: c.var.session.principal.subject }) },
  resolve: { notice: 'resolved', body: (_: DeskContext, notes: string | undefined) => ({ notes: notes ?? '' }) },
  dismiss: { notice: 'dismissed', body: (_: DeskContext, notes: string | undefined) => (notes?.trim() ? { notes } : {}) },
} as const satisfies Record<string, { notice: Notice; body: (c: DeskContext, notes: string | undefined) => unknown }>;

export function escalationAction(action: keyof typeof ESCALATION_ACTIONS) {
  return async (c: DeskContext) => {
    const id = pathId(c);
    const form = c.var.form;
    const { notice, body } = ESCALATION_ACTIONS[action];
    const result = await sendToApi(c, `/v1/escalations/${id}/${action}`, body(c, field(form, 'notes')));
    if (result.ok) return backTo(c, '/desk/escalations', notice);
    return refused(c, result, '/desk/escalations');
  };
}

/** The header's switcher: a new session in another client the person is a member of (their role there). */
export async function switchClient(c: DeskContext) {
  const form = c.var.form;
  const clientId = field(form, 'client_id');
  const [clients] = await tenantOf(c).run((db) => [memberClients(db)], { readOnly: true });
  const target = clients.rows.find((row) => row.client_id === clientId);
  // Refused without ending the session the person has (NOT_A_MEMBER would sign them out).
  if (!target) throw new ApiError(403, 'CLIENT_NOT_AVAILABLE', 'You are not a member of that client.');
  await startSession(c, { user_id: c.var.session.principal.subject, client_id: target.client_id, role: target.role });
  return c.redirect('/desk?notice=switched', 303);
}

export function signOut(c: DeskContext) {
  endSession(c);
  return c.redirect('/desk/sign-in', 303);
}

/** Development: the seeded members to choose from. Production: Cloudflare Access, or how to reach it. */
export async function signInPage(c: Context<AppEnv>) {
  const mode = signInMode(c.var.config);
  if (mode === 'development') {
    const [choices] = await createSystemExecutor(c.var.config).run((db) => [signInChoices(db)], { readOnly: true });
    return c.html(<DevSignInPage choices={choices.rows} />);
  }
  const email = await accessEmail(c);
  if (email) {
    await signInWithAccess(c, email);
    return c.redirect('/desk', 303);
  }
  return c.html(<AccessSignInPage configured={mode === 'access'} />, mode === 'access' ? 401 : 503);
}

/** Development sign-in as the chosen member (only a real membership of an active client). */
export async function devSignIn(c: Context<AppEnv>) {
  if (signInMode(c.var.config) !== 'development') throw pageNotFound();
  const form = await c.req.parseBody();
  const userId = typeof form.user_id === 'string' && UUID.test(form.user_id) ? form.user_id : null;
  const clientId = typeof form.client_id === 'string' && UUID.test(form.client_id) ? form.client_id : null;
  if (!userId || !clientId) throw new ApiError(422, 'VALIDATION_FAILED', 'Choose a member to sign in as.');
  const [rows] = await createSystemExecutor(c.var.config).run((db) => [membershipOf(db, userId, clientId)], { readOnly: true });
  const membership: Membership | undefined = rows.rows[0];
  if (!membership) throw new ApiError(403, 'NOT_A_MEMBER', 'That person is not a member of that client.');
  await startSession(c, membership);
  return c.redirect('/desk', 303);
}

const SIGNED_OUT = new Set(['INVALID_TOKEN', 'NOT_A_MEMBER', 'CLIENT_INACTIVE', 'ACCESS_ASSERTION_INVALID']);
const TITLES: Record<number, string> = {
  401: 'Please sign in again',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Already handled',
  413: 'Too large',
  422: 'Not saved',
  503: 'The desk is unavailable',
};

/**
 * Every failure of a desk page as a page of its own, with the API's status and wording (the API's
 * error handling decides both, and logs). A session the database no longer honours is ended.
 */
export const onDeskError: ErrorHandler<DeskEnv> = async (error, c) => {
  const response = await onError(error, c as unknown as Context<AppEnv>);
  const problem = (await response.json()) as Problem;
  const signedOut = SIGNED_OUT.has(problem.code) || problem.status === 401;
  if (signedOut) endSession(c);
  const page = c.html(
    <ProblemPage status={problem.status} title={TITLES[problem.status] ?? 'Something went wrong'} detail={problem.detail} signIn={signedOut} />,
    problem.status as ContentfulStatusCode,
  );
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) c.header('retry-after', retryAfter);
  return page;
};

export const notFoundPage = () => {
  throw pageNotFound();
};
