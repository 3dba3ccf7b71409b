import { z } from '@hono/zod-openapi';
import { pageSchema } from '../lib/pagination';
import { body, InputTimestamp, Timestamp } from '../lib/schemas';
import { ApiKeyRoleSchema } from '../lib/enums';

export const ApiKeySchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, for recognising it.' }),
    role: ApiKeyRoleSchema,
    created_by: z.string().uuid().nullable(),
    last_used_at: Timestamp.nullable(),
    expires_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The secret key. Shown once: only its hash is stored.' }),
}).openapi('CreatedApiKey');

export const CreateApiKeySchema = body({
  name: z.string().trim().min(1).max(100),
  role: ApiKeyRoleSchema,
  expires_at: InputTimestamp.optional().refine((value) => value === undefined || Date.parse(value) > Date.now(), 'must be in the future'),
}).openapi('CreateApiKey');

export const ApiKeyPageSchema = pageSchema(ApiKeySchema, 'ApiKeyPage');

export const TokenRequestSchema = body({ api_key: z.string().min(1).max(200) }).openapi('TokenRequest');

export const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().openapi({ description: 'Seconds until the token expires (at most 900).' }),
  })
  .openapi('TokenResponse');
