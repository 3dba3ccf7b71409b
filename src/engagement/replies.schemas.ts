import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../lib/pagination';
import { body, InputTimestamp, Timestamp } from '../lib/schemas';
import { chars, FlatMetricsSchema, note, PlatformIdSchema, TimeRangeQuery } from './common';
import { ApprovalStatusSchema, ArchetypeSchema, BooleanQuery, PlatformSchema, ReplyTypeSchema } from '../lib/enums';

export const ReplySchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    decision_id: z.string().uuid(),
    content: z.string(),
    archetype: ArchetypeSchema,
    platform: PlatformSchema,
    platform_post_id: z.string().nullable(),
    utm_code: z.string().nullable(),
    help_count: z.number().int(),
    reply_type: ReplyTypeSchema,
    approval_status: ApprovalStatusSchema,
    approved_by: z.string().uuid().nullable(),
    approved_at: Timestamp.nullable(),
    rejection_reason: z.string().nullable(),
    posted_at: Timestamp.nullable(),
    metrics: z.record(z.string(), z.unknown()).nullable(),
    deleted_at: Timestamp.nullable(),
    delete_reason: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Reply');

/** Seed 003's reply rules checked before the database: length and UTM code format. */
export const ReplyContentSchema = chars(10, 1000, 'Reply too short', 'Reply exceeds maximum length');
export const UtmCodeSchema = z.string().min(1).max(100).regex(/^[a-z0-9_-]+$/, 'Invalid UTM code');

export const DraftReplySchema = body({
  content: ReplyContentSchema.openapi({
    description:
      "10–1000 characters. Must contain the reply signature of the client's default brand kit and none of its " +
      'prohibited claims in any form of their words (README "Brand rules").',
    example: 'A steady bedtime and magnesium glycinate helped a lot of people. —Antone (Vita)',
  }),
  utm_code: UtmCodeSchema.openapi({
    description: 'Campaign attribution of the reply (seed 003: required, `^[a-z0-9_-]+$`, at most 100 characters).',
    example: 'twitter_sleep_01',
  }),
  archetype: ArchetypeSchema.optional().openapi({ description: "Default: the decision's archetype." }),
  reply_type: ReplyTypeSchema.optional(),
}).openapi('DraftReply');

export const ApproveReplySchema = body({
  content: ReplyContentSchema.optional().openapi({
    description:
      'Edit, then approve: the new text, checked against the brand kit like a draft (422 `BRAND_RULES_VIOLATED` ' +
      'with field errors, nothing changed). Omitted: the drafted text is approved as it is.',
  }),
}).openapi('ApproveReply');

/** At most this many replies in one bulk approval (the desk's "approve selected"). */
export const MAX_BULK_APPROVAL = 100;

export const BulkApproveRepliesSchema = body({
  ids: z
    // Lower case, so one id spelled in two cases is a repeat (Postgres reads both as the same uuid).
    .array(z.string().uuid().transform((id) => id.toLowerCase()))
    .min(1)
    .max(MAX_BULK_APPROVAL)
    .refine((ids) => new Set(ids).size === ids.length, 'ids must not repeat')
    .openapi({ description: `1–${MAX_BULK_APPROVAL} reply ids of this client.` }),
}).openapi('BulkApproveReplies');

export const BulkApprovalSchema = z
  .object({
    approved: z.array(ReplySchema).openapi({ description: 'The replies this call approved, in the order of `ids`.' }),
    not_approved: z
      .array(
        z.object({
          id: z.string().uuid(),
          reason: z.enum(['not_pending', 'deleted']),
        }),
      )
      .openapi({ description: 'The ids left as they were, and why: no longer pending (someone handled it first), or deleted.' }),
  })
  .openapi('BulkApproval');

export const RejectReplySchema = body({ reason: note(1000).openapi({ example: 'Too close to a health claim.' }) }).openapi('RejectReply');

export const MarkPostedSchema = body({
  platform_post_id: PlatformIdSchema.openapi({ description: "The reply's id on the platform." }),
  posted_at: InputTimestamp.refine((value) => Date.parse(value) <= Date.now() + 5 * 60_000, 'posted_at is in the future')
    .optional()
    .openapi({ description: 'Default: now. Not in the future.' }),
}).openapi('MarkReplyPosted');

export const ReplyMetricsSchema = body({
  metrics: FlatMetricsSchema,
  measured_at: InputTimestamp.optional().openapi({ description: 'When the metrics were read; default now. Stored in `metrics.measured_at`.' }),
}).openapi('ReplyMetrics');

export const DeleteReasonSchema = body({ reason: note(1000).optional() }).openapi('DeleteReply');
export const DeleteReasonQuerySchema = z.object({
  reason: note(1000).optional().openapi({ description: 'Why the reply is deleted (or `reason` in the body).' }),
});

export const ReplyQuerySchema = PageQuerySchema.extend({
  approval_status: ApprovalStatusSchema.optional(),
  platform: PlatformSchema.optional(),
  ...TimeRangeQuery('posted_after', 'posted_before'),
  include_deleted: BooleanQuery.optional().openapi({ description: 'Include soft-deleted replies (default false).' }),
});

export const ReplyPageSchema = pageSchema(ReplySchema, 'ReplyPage');
