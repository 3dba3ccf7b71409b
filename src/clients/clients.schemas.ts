import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, boundedJson, Timestamp } from '../lib/schemas';
import { BooleanQuery } from '../lib/enums';
import { RetentionSettingsSchema } from '../jobs/retention/policy';

export const ClientSettingsSchema = boundedJson(
  z
    .object({
      timezone: z.string().max(64).optional(),
      default_language: z.string().max(16).optional(),
      features: z
        .object({ publishing: z.boolean().optional(), engagement: z.boolean().optional(), browser_lane: z.boolean().optional() })
        .strict()
        .optional(),
      limits: z
        .object({
          max_platform_accounts: z.number().int().min(0).max(10_000).optional(),
          max_brand_kits: z.number().int().min(0).max(10_000).optional(),
          max_knowledge_bases: z.number().int().min(0).max(10_000).optional(),
        })
        .strict()
        .optional(),
      retention: RetentionSettingsSchema.optional(),
    })
    .strict(),
).openapi('ClientSettings');

/**
 * Settings only the system path writes: a client's own admin must not raise its limits, switch on
 * features or change how long its data is kept (retention is part of the agreement with the client).
 */
export const SYSTEM_SETTINGS = ['limits', 'features', 'retention'] as const;

/** The settings a client's admin may write: everything but the system settings (a 422 naming the field). */
const TenantSettingsSchema = ClientSettingsSchema.superRefine((settings, ctx) => {
  for (const key of SYSTEM_SETTINGS) {
    if (settings[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'set by the platform (system) only' });
  }
}).openapi('TenantClientSettings', { description: 'Client settings; `limits`, `features` and `retention` are set by the system only.' });

export const ClientSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    is_active: z.boolean(),
    settings: ClientSettingsSchema,
    storage_prefix: z.string(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Client');

export const SlugSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens');

export const UpdateClientSchema = body({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(2000).nullable().optional(),
  settings: TenantSettingsSchema.optional().openapi({
    description: 'Merged into the current settings, key by key. `limits`, `features` and `retention` are set by the system only (422).',
  }),
}).openapi('UpdateClient');

export const CreateClientSchema = body({
  name: z.string().trim().min(1).max(255),
  slug: SlugSchema,
  description: z.string().max(2000).optional(),
  settings: ClientSettingsSchema.optional(),
  owner: body({ email: z.string().email().max(320), display_name: z.string().max(255).optional() }),
}).openapi('CreateClient');

export const AdminUpdateClientSchema = body({
  name: z.string().trim().min(1).max(255).optional(),
  is_active: z.boolean().optional(),
  settings: ClientSettingsSchema.optional().openapi({ description: 'Merged into the current settings, key by key (limits, features and retention too).' }),
}).openapi('AdminUpdateClient');

export const CreatedClientSchema = z
  .object({ client: ClientSchema, owner: z.object({ user_id: z.string().uuid(), email: z.string() }) })
  .openapi('CreatedClient');

export const MeSchema = z
  .object({
    subject: z.string().uuid(),
    kind: z.enum(['user', 'api_key']),
    role: z.enum(['owner', 'admin', 'editor', 'viewer', 'service']),
    client: ClientSchema.pick({ id: true, name: true, slug: true }),
  })
  .openapi('Me');

export const ClientListQuerySchema = PageQuerySchema.extend({
  is_active: BooleanQuery.optional().openapi({ description: 'Filter by active flag.' }),
});
export const ClientPageSchema = pageSchema(ClientSchema, 'ClientPage');
