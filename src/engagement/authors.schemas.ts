import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../lib/pagination';
import { body, Score, Timestamp } from '../lib/schemas';
import { platformId } from './common';
import { BooleanQuery, PlatformSchema, PowerTierSchema } from '../lib/enums';

/** Largest batch of `POST /v1/authors/bulk`. */
export const MAX_AUTHORS_PER_BATCH = 1000;

/** Seed 003's handle rule. */
export const HandleSchema = z.string().min(1).max(50).regex(/^[a-zA-Z0-9_]+$/, 'Invalid handle format');

export const AuthorSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    platform: PlatformSchema,
    platform_id: z.string(),
    handle: z.string(),
    display_name: z.string().nullable(),
    follower_count: z.number().int(),
    is_verified: z.boolean(),
    is_power_user: z.boolean(),
    power_tier: PowerTierSchema.nullable(),
    archetype_tags: z.array(z.string()),
    relationship_score: z.number(),
    interaction_history: z.array(z.unknown()),
    first_seen_at: Timestamp,
    last_seen_at: Timestamp,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Author');

/**
 * An author as a crawler reports it. Omitted optional fields keep what is stored; `handle` is
 * always refreshed (accounts rename).
 */
export const AuthorInputSchema = z
  .object({
    platform_id: platformId('Invalid account ID format').openapi({ description: "The account's id on the platform.", example: '1459876543' }),
    handle: HandleSchema.openapi({ example: 'sleepy_sam' }),
    display_name: z.string().trim().min(1).max(255).optional(),
    follower_count: z.number().int().min(0).max(2_147_483_647).optional(),
    is_verified: z.boolean().optional(),
  })
  .strict()
  .openapi('AuthorInput');

export const BulkAuthorsSchema = body({
  platform: PlatformSchema.openapi({ description: 'The platform of every author of the batch.' }),
  authors: z
    .array(AuthorInputSchema)
    .min(1)
    .max(MAX_AUTHORS_PER_BATCH)
    .openapi({ description: `1–${MAX_AUTHORS_PER_BATCH} authors; a repeated platform_id counts once (its last entry wins).` }),
}).openapi('BulkAuthors');

export const BulkAuthorsResultSchema = z
  .object({
    inserted: z.number().int(),
    updated: z.number().int(),
    authors: z.array(z.object({ id: z.string().uuid(), platform_id: z.string(), status: z.enum(['inserted', 'updated']) })),
  })
  .openapi('BulkAuthorsResult');

export const UpdateAuthorSchema = body({
  relationship_score: Score.optional(),
  archetype_tags: z.array(z.string().trim().min(1).max(50)).max(20).optional().openapi({ description: 'Tags describing the author.' }),
  power_tier: PowerTierSchema.nullable().optional(),
  is_power_user: z.boolean().optional(),
}).openapi('UpdateAuthor');

export const AuthorQuerySchema = PageQuerySchema.extend({
  platform: PlatformSchema.optional(),
  is_power_user: BooleanQuery.optional(),
  power_tier: PowerTierSchema.optional(),
  handle_prefix: z.string().min(1).max(50).regex(/^[a-zA-Z0-9_]+$/, 'Invalid handle format').optional().openapi({
    description: 'Handles starting with this (case-insensitive).',
  }),
});

export const AuthorPageSchema = pageSchema(AuthorSchema, 'AuthorPage');
