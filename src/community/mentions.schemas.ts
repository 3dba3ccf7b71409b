import { z } from '@hono/zod-openapi';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from '../lib/pagination';
import { body, real, Score, Timestamp } from '../lib/schemas';
import { BooleanQuery, SatisfactionSchema, SentimentSchema } from '../lib/enums';


export const CompetitiveMentionSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    post_id: z.string().uuid(),
    competitor_id: z.string().uuid(),
    sentiment: SentimentSchema,
    satisfaction: SatisfactionSchema,
    opportunity_score: z.number(),
    replied: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('CompetitiveMention');

export const CreateCompetitiveMentionSchema = body({
  post_id: z.string().uuid().openapi({ description: 'A post of this client.' }),
  competitor_id: z.string().uuid().openapi({ description: 'A competitor of this client.' }),
  sentiment: SentimentSchema,
  satisfaction: SatisfactionSchema.optional().openapi({ description: "The author's satisfaction with the competitor; default `unknown`." }),
  opportunity_score: Score.openapi({ description: 'How promising a reply is, 0..1.', example: 0.72 }),
  replied: z.boolean().optional().openapi({ description: 'Default false.' }),
}).openapi('CreateCompetitiveMention');

export const MentionOrderSchema = z.enum(['opportunity', 'created']);

export const CompetitiveMentionListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).openapi({ description: `Page size, 1–${MAX_PAGE_SIZE}.` }),
  cursor: z.string().max(200).optional().openapi({ description: '`next_cursor` of the previous page (of the same `order`).' }),
  order: MentionOrderSchema.default('opportunity').openapi({
    description:
      '`opportunity` (default): highest opportunity score first, ties newest id first — the reply queue. ' +
      '`created`: newest first.',
  }),
  competitor_id: z.string().uuid().optional().openapi({ description: 'Only mentions of this competitor.' }),
  post_id: z.string().uuid().optional().openapi({ description: 'Only mentions in this post.' }),
  sentiment: SentimentSchema.optional(),
  replied: BooleanQuery.optional().openapi({ description: 'Only mentions replied to (true) or not (false).' }),
  min_opportunity_score: real(z.coerce.number().min(0).max(1)).optional().openapi({ description: 'Only mentions scoring at least this, 0..1.' }),
});

export const CompetitiveMentionPageSchema = z
  .object({ data: z.array(CompetitiveMentionSchema), next_cursor: z.string().nullable() })
  .openapi('CompetitiveMentionPage');
