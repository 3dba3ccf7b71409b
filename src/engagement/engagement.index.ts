import { createRouter } from '../lib/create-router';
import * as authors from './authors.handlers';
import * as authorRoutes from './authors.routes';
import * as decisions from './decisions.handlers';
import * as decisionRoutes from './decisions.routes';
import * as escalations from './escalations.handlers';
import * as escalationRoutes from './escalations.routes';
import * as posts from './posts.handlers';
import * as postRoutes from './posts.routes';
import * as replies from './replies.handlers';
import * as replyRoutes from './replies.routes';

// Static paths (`/queue`, `/bulk`) are registered before their `/{id}` siblings.
export const engagementRouter = createRouter()
  .openapi(authorRoutes.bulkUpsertAuthors, authors.bulkUpsert)
  .openapi(authorRoutes.listAuthors, authors.list)
  .openapi(authorRoutes.getAuthor, authors.get)
  .openapi(authorRoutes.updateAuthor, authors.update)
  .openapi(postRoutes.bulkIngestPosts, posts.bulkIngest)
  .openapi(postRoutes.listPosts, posts.list)
  .openapi(postRoutes.getPost, posts.get)
  .openapi(postRoutes.markPostProcessed, posts.markProcessed)
  .openapi(postRoutes.recordPostError, posts.recordError)
  .openapi(decisionRoutes.createDecision, decisions.create)
  .openapi(decisionRoutes.listDecisions, decisions.list)
  .openapi(decisionRoutes.getDecision, decisions.get)
  .openapi(replyRoutes.draftReply, replies.draft)
  .openapi(replyRoutes.replyQueue, replies.queue)
  .openapi(replyRoutes.bulkApproveReplies, replies.bulkApprove)
  .openapi(replyRoutes.listReplies, replies.list)
  .openapi(replyRoutes.getReply, replies.get)
  .openapi(replyRoutes.approveReply, replies.approve)
  .openapi(replyRoutes.rejectReply, replies.reject)
  .openapi(replyRoutes.markReplyPosted, replies.posted)
  .openapi(replyRoutes.recordReplyMetrics, replies.metrics)
  .openapi(replyRoutes.deleteReply, replies.remove)
  .openapi(escalationRoutes.escalationQueue, escalations.queue)
  .openapi(escalationRoutes.createEscalation, escalations.create)
  .openapi(escalationRoutes.listEscalations, escalations.list)
  .openapi(escalationRoutes.getEscalation, escalations.get)
  .openapi(escalationRoutes.assignEscalation, escalations.assign)
  .openapi(escalationRoutes.resolveEscalation, escalations.resolve)
  .openapi(escalationRoutes.dismissEscalation, escalations.dismiss);
