import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { PageQuerySchema } from '../lib/pagination';
import { protectedRoute } from '../lib/routes';
import { IdParamSchema, jsonBody, jsonResponse } from '../lib/schemas';
import {
  ApproveReplySchema,
  BulkApprovalSchema,
  BulkApproveRepliesSchema,
  DeleteReasonQuerySchema,
  DeleteReasonSchema,
  DraftReplySchema,
  MarkPostedSchema,
  RejectReplySchema,
  ReplyMetricsSchema,
  ReplyPageSchema,
  ReplyQuerySchema,
  ReplySchema,
} from './replies.schemas';

const tags = ['engagement: replies'];
const reply = (description: string) => jsonResponse(ReplySchema, description);

export const draftReply = protectedRoute({
  method: 'post',
  path: '/v1/decisions/{id}/replies',
  tags,
  summary: "Draft a reply, checked against the client's default brand kit",
  description:
    'The content must contain the reply signature of the default brand kit and none of its prohibited claims ' +
    '(case-insensitive, whole words or phrases); a violation answers 422 `BRAND_RULES_VIOLATED` with field errors ' +
    '(naming the signature and each claim for roles that may read brand kits; only the kind of rule broken for `service`). ' +
    'A client without a default brand kit, or whose default kit has no reply signature, cannot draft replies ' +
    '(422 `BRAND_KIT_REQUIRED`). The reply starts `pending`.',
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(DraftReplySchema) },
  responses: { 201: reply('The drafted reply.'), ...problemResponses(400, 404, 422) },
});

export const replyQueue = protectedRoute({
  method: 'get',
  path: '/v1/replies/queue',
  tags,
  summary: 'The approval queue: pending replies, oldest first',
  roles: CAN.readAutomated,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(ReplyPageSchema, 'A page of pending replies, oldest first.'), ...problemResponses(400) },
});

export const listReplies = protectedRoute({
  method: 'get',
  path: '/v1/replies',
  tags,
  summary: 'List replies',
  roles: CAN.readAutomated,
  request: { query: ReplyQuerySchema },
  responses: { 200: jsonResponse(ReplyPageSchema, 'A page of replies, newest first.'), ...problemResponses(400) },
});

export const getReply = protectedRoute({
  method: 'get',
  path: '/v1/replies/{id}',
  tags,
  summary: 'Get a reply (soft-deleted ones included)',
  roles: CAN.readAutomated,
  request: { params: IdParamSchema },
  responses: { 200: reply('The reply.'), ...problemResponses(400, 404) },
});

const transition = (summary: string, description: string) => ({
  tags,
  summary,
  description: `${description} Any other state answers 409 \`INVALID_TRANSITION\` and changes nothing; a deleted reply takes no change.`,
});

export const approveReply = protectedRoute({
  method: 'post',
  path: '/v1/replies/{id}/approve',
  ...transition(
    'Approve a reply (optionally edited)',
    'pending → approved; approved_by is the caller, who must be a user (an API key gets 403). With `content`, the reply ' +
      'is edited and approved at once, the new text checked against the brand kit first.',
  ),
  roles: CAN.write,
  request: { params: IdParamSchema, body: { ...jsonBody(ApproveReplySchema), required: false } },
  responses: { 200: reply('The approved reply.'), ...problemResponses(400, 404, 409, 422) },
});

export const bulkApproveReplies = protectedRoute({
  method: 'post',
  path: '/v1/replies/approve',
  tags,
  summary: 'Approve several replies at once',
  description:
    'Approves each listed reply that is pending and not deleted, in one transaction; the others are left as they are ' +
    'and listed in `not_approved` with the reason. An id that is no reply of this client answers 404 `REPLY_NOT_FOUND` ' +
    '(a field error per such id) and approves nothing. The caller must be a user (an API key gets 403).',
  roles: CAN.write,
  request: { body: jsonBody(BulkApproveRepliesSchema) },
  responses: { 200: jsonResponse(BulkApprovalSchema, 'What was approved and what was not.'), ...problemResponses(403, 404, 422) },
});

export const rejectReply = protectedRoute({
  method: 'post',
  path: '/v1/replies/{id}/reject',
  ...transition('Reject a reply', 'pending → rejected, with the reason.'),
  roles: CAN.write,
  request: { params: IdParamSchema, body: jsonBody(RejectReplySchema) },
  responses: { 200: reply('The rejected reply.'), ...problemResponses(400, 404, 409, 422) },
});

export const markReplyPosted = protectedRoute({
  method: 'post',
  path: '/v1/replies/{id}/posted',
  ...transition('Record that a reply was posted', 'approved → posted, with its platform id and time.'),
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(MarkPostedSchema) },
  responses: { 200: reply('The posted reply.'), ...problemResponses(400, 404, 409, 422) },
});

export const recordReplyMetrics = protectedRoute({
  method: 'post',
  path: '/v1/replies/{id}/metrics',
  ...transition('Record the metrics of a posted reply', 'Only for posted replies; replaces the stored metrics.'),
  roles: CAN.automate,
  request: { params: IdParamSchema, body: jsonBody(ReplyMetricsSchema) },
  responses: { 200: reply('The reply.'), ...problemResponses(400, 404, 409, 422) },
});

export const deleteReply = protectedRoute({
  method: 'delete',
  path: '/v1/replies/{id}',
  tags,
  summary: 'Soft-delete a reply',
  description:
    'From any state: sets deleted_at and delete_reason (`reason` in the body or the query). ' +
    'A reply already deleted answers 409 `INVALID_TRANSITION` and changes nothing.',
  roles: CAN.write,
  request: {
    params: IdParamSchema,
    query: DeleteReasonQuerySchema,
    body: { ...jsonBody(DeleteReasonSchema), required: false },
  },
  responses: { 200: reply('The deleted reply.'), ...problemResponses(400, 404, 409, 422) },
});
