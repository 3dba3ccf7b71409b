import { z } from '@hono/zod-openapi';
import { hasMoreSchema, MAX_EMBEDDED_ITEMS, PageQuerySchema, pageSchema } from '../lib/pagination';
import { body, InputTimestamp, Timestamp } from '../lib/schemas';
import { AuthorInputSchema, AuthorSchema } from './authors.schemas';
import { chars, FlatMetricsSchema, note, PlatformIdSchema, TimeRangeQuery } from './common';
import { DecisionSchema } from './decisions.schemas';
import { ReplySchema } from './replies.schemas';
import { BooleanQuery, PlatformSchema } from '../lib/enums';

/** Largest batch of `POST /v1/posts/bulk` (the 1 MiB body limit applies as well). */
export const MAX_POSTS_PER_BATCH = 1000;

export const PostSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    platform: PlatformSchema,
    platform_post_id: z.string(),
    author_id: z.string().uuid(),
    content: z.string(),
    detected_at: Timestamp,
    processed_at: Timestamp.nullable(),
    keyword_matches: z.array(z.string()),
    keyword_categories: z.array(z.string()),
    spam_filtered: z.boolean(),
    raw_metrics: z.record(z.string(), z.unknown()),
    error_count: z.number().int(),
    error_message: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Post');

/** Seed 003's post content rule: 1..5000 characters (and not only whitespace). */
export const PostContentSchema = chars(1, 5000, 'Post content cannot be empty', 'Post content exceeds maximum length').refine(
  (value) => value.trim().length > 0,
  'Post content cannot be empty',
);

export const IngestPostSchema = z
  .object({
    platform_post_id: PlatformIdSchema.openapi({ example: '1790012345678901234' }),
    author: AuthorInputSchema,
    content: PostContentSchema.openapi({ example: 'Anything that actually helps with insomnia? Tried everything.' }),
    detected_at: InputTimestamp.optional().openapi({ description: 'When the crawler saw the post; default now.' }),
    keyword_matches: z
      .array(z.string().trim().min(1).max(100))
      .min(1, 'Must match at least one keyword')
      .max(50, 'Too many keyword matches'),
    keyword_categories: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
    spam_filtered: z.boolean().optional(),
    raw_metrics: FlatMetricsSchema.optional(),
  })
  .strict()
  .openapi('IngestPost');

export const BulkPostsSchema = body({
  platform: PlatformSchema.openapi({ description: 'The platform of every post (and author) of the batch.' }),
  posts: z
    .array(IngestPostSchema)
    .min(1)
    .max(MAX_POSTS_PER_BATCH)
    .openapi({ description: `1–${MAX_POSTS_PER_BATCH} posts, within the 1 MiB body limit.` }),
}).openapi('BulkPosts');

export const BulkPostsResultSchema = z
  .object({
    inserted: z.number().int(),
    duplicates: z.number().int(),
    authors_inserted: z.number().int(),
    authors_updated: z.number().int(),
    posts: z.array(
      z.object({
        id: z.string().uuid(),
        platform_post_id: z.string(),
        status: z.enum(['inserted', 'duplicate']),
      }),
    ),
  })
  .openapi('BulkPostsResult');

export const PostQuerySchema = PageQuerySchema.extend({
  platform: PlatformSchema.optional(),
  ...TimeRangeQuery('detected_after', 'detected_before'),
  processed: BooleanQuery.optional().openapi({ description: '`true`: processed posts only; `false`: unprocessed only.' }),
  keyword_category: z.string().trim().min(1).max(50).optional().openapi({ description: 'Posts tagged with this keyword category.' }),
});

export const PostPageSchema = pageSchema(PostSchema, 'PostPage');

export const CompetitiveMentionSchema = z
  .object({
    id: z.string().uuid(),
    competitor_id: z.string().uuid(),
    competitor_name: z.string().nullable().openapi({ description: 'Null for callers that may not read competitors (`service`).' }),
    sentiment: z.string(),
    satisfaction: z.string(),
    opportunity_score: z.number(),
    replied: z.boolean(),
    created_at: Timestamp,
  })
  .openapi('PostCompetitiveMention');

const newest = (what: string) => ({ description: `The post's newest ${MAX_EMBEDDED_ITEMS} ${what} at most, newest first.` });

export const PostDetailSchema = PostSchema.extend({
  author: AuthorSchema,
  decisions: z.array(DecisionSchema).openapi(newest('decisions')),
  has_more_decisions: hasMoreSchema('decisions'),
  replies: z.array(ReplySchema).openapi(newest('replies')),
  has_more_replies: hasMoreSchema('replies'),
  competitive_mentions: z.array(CompetitiveMentionSchema).openapi(newest('competitive mentions')),
  has_more_competitive_mentions: hasMoreSchema('competitive mentions'),
}).openapi('PostDetail');

export const AuthorDetailSchema = AuthorSchema.extend({ recent_posts: z.array(PostSchema) }).openapi('AuthorDetail');

export const PostErrorSchema = body({
  error_message: note(2000).openapi({ example: 'classifier timeout' }),
}).openapi('PostError');
