import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, Timestamp } from '../lib/schemas';
import { AdvocateStatusSchema, ChampionTierSchema, DmResponseSchema } from '../lib/enums';

/** Postgres `integer`. */
const Count = z.number().int().min(0).max(2_147_483_647);

export const CommunityChampionSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    author_id: z.string().uuid(),
    tier: ChampionTierSchema,
    engagement_count: z.number().int(),
    dm_sent_at: Timestamp.nullable(),
    dm_response: DmResponseSchema.nullable(),
    sample_sent: z.boolean(),
    converted: z.boolean(),
    advocate_status: AdvocateStatusSchema,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('CommunityChampion');

export const UpsertCommunityChampionSchema = body({
  author_id: z.string().uuid().openapi({ description: 'An author of this client; one champion row per author.' }),
  tier: ChampionTierSchema.optional().openapi({ description: 'Default `bronze` on creation.' }),
  engagement_count: Count.optional().openapi({ description: 'Default 0 on creation.' }),
  advocate_status: AdvocateStatusSchema.optional().openapi({ description: 'Default `prospect` on creation.' }),
}).openapi('UpsertCommunityChampion');

export const DmResponseBodySchema = body({
  dm_response: z.enum(['accepted', 'declined', 'no_response']).openapi({ description: 'What came back from the DM.' }),
}).openapi('CommunityChampionDmResponse');

export const AdvocateStatusBodySchema = body({ advocate_status: AdvocateStatusSchema }).openapi('CommunityChampionAdvocateStatus');

export const CommunityChampionListQuerySchema = PageQuerySchema.extend({
  tier: ChampionTierSchema.optional().openapi({ description: 'Only champions of this tier.' }),
  advocate_status: AdvocateStatusSchema.optional().openapi({ description: 'Only champions with this advocate status.' }),
  author_id: z.string().uuid().optional().openapi({ description: "The champion row of this author, if any." }),
});

export const CommunityChampionPageSchema = pageSchema(CommunityChampionSchema, 'CommunityChampionPage');
