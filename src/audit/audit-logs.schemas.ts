import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { InputTimestamp, Timestamp } from '../lib/schemas';
import { AuditActionSchema } from '../lib/enums';

export const AuditLogSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    entity_type: z.string().openapi({ description: 'The table changed, e.g. `brand_kits`.', example: 'experiments' }),
    entity_id: z.string().uuid(),
    action: AuditActionSchema,
    actor_id: z.string().uuid().nullable().openapi({ description: 'The user of the request; null for system work.' }),
    changed_columns: z.array(z.string()),
    details: z.record(z.string(), z.unknown()).openapi({
      description: 'Inserted/deleted values, or `{column: {old, new}}` for updates (large or secret columns are named, not copied).',
    }),
    created_at: Timestamp,
  })
  .openapi('AuditLog');

export const AuditLogListQuerySchema = PageQuerySchema.extend({
  entity_type: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'a table name')
    .optional()
    .openapi({ description: 'Only changes to this table.', example: 'brand_kits' }),
  entity_id: z.string().uuid().optional().openapi({ description: 'Only changes to this row.' }),
  actor_id: z.string().uuid().optional().openapi({ description: 'Only changes made by this user.' }),
  action: AuditActionSchema.optional(),
  from: InputTimestamp.optional().openapi({ description: 'Changes at or after this instant (ISO 8601 with offset).' }),
  to: InputTimestamp.optional().openapi({ description: 'Changes before this instant (exclusive).' }),
}).superRefine((value, ctx) => {
  if (value.from && value.to && Date.parse(value.from) > Date.parse(value.to)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must not be before `from`' });
  }
});

export const AuditLogPageSchema = pageSchema(AuditLogSchema, 'AuditLogPage');
