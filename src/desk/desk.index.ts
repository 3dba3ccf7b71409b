import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import {
  approve,
  bulkApprove,
  devSignIn,
  escalationAction,
  escalationsPage,
  historyPage,
  notFoundPage,
  onDeskError,
  queuePage,
  reject,
  requireSession,
  signInPage,
  signOut,
  switchClient,
  withPageHeaders,
  type DeskEnv,
} from './desk.handlers';

/**
 * The review desk (`/desk`): server-rendered pages over the same data core, for the people who
 * approve replies and work escalations. Every form is protected three ways: the session cookie is
 * SameSite=Strict, the `Origin` must be the desk's own (hono/csrf), and the form carries the
 * session's form token. Failures are pages, not problem+json.
 */
export const deskRouter = new Hono<DeskEnv>({ strict: true })
  // `/desk/*` covers `/desk` itself too.
  .use('/desk/*', withPageHeaders)
  .use('/desk/*', csrf())
  .get('/desk/sign-in', signInPage)
  .post('/desk/sign-in', devSignIn)
  .use('/desk/*', requireSession)
  .get('/desk', queuePage)
  .get('/desk/escalations', escalationsPage)
  .get('/desk/replies/:id', historyPage)
  .post('/desk/replies/approve', bulkApprove)
  .post('/desk/replies/:id/approve', approve)
  .post('/desk/replies/:id/reject', reject)
  .post('/desk/escalations/:id/assign', escalationAction('assign'))
  .post('/desk/escalations/:id/resolve', escalationAction('resolve'))
  .post('/desk/escalations/:id/dismiss', escalationAction('dismiss'))
  .post('/desk/client', switchClient)
  .post('/desk/sign-out', signOut)
  .all('/desk/*', notFoundPage);

deskRouter.onError(onDeskError);
