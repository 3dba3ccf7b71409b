import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, Timestamp } from '../lib/schemas';
import { CompetitorCategorySchema, PricePointSchema } from '../lib/enums';

export const CompetitorSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    name: z.string(),
    category: CompetitorCategorySchema,
    primary_mechanism: z.string().nullable(),
    price_point: PricePointSchema.nullable(),
    brand_keywords: z.array(z.string()),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Competitor');

const editable = {
  name: z.string().trim().min(1).max(255).openapi({ description: 'Unique per client.', example: 'SleepWell' }),
  category: CompetitorCategorySchema,
  primary_mechanism: z.string().trim().min(1).max(255).nullable().optional().openapi({ example: 'melatonin gummies' }),
  price_point: PricePointSchema.nullable().optional(),
  brand_keywords: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .optional()
    .openapi({ description: 'Keywords that identify the competitor in posts (at most 50, 100 characters each).', example: ['sleepwell', '#sleepwell'] }),
};

export const CreateCompetitorSchema = body(editable).openapi('CreateCompetitor');

export const UpdateCompetitorSchema = body({
  ...editable,
  name: editable.name.optional(),
  category: editable.category.optional(),
}).openapi('UpdateCompetitor');

export const CompetitorListQuerySchema = PageQuerySchema.extend({
  category: CompetitorCategorySchema.optional().openapi({ description: 'Only competitors of this category.' }),
  price_point: PricePointSchema.optional().openapi({ description: 'Only competitors at this price point.' }),
});

export const CompetitorPageSchema = pageSchema(CompetitorSchema, 'CompetitorPage');
