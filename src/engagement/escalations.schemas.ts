import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../lib/pagination';
import { body, Timestamp } from '../lib/schemas';
import { note } from './common';
import { EscalationPrioritySchema, EscalationReasonSchema, EscalationStatusSchema } from '../lib/enums';

export const EscalationSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    post_id: z.string().uuid(),
    decision_id: z.string().uuid().nullable(),
    reply_id: z.string().uuid().nullable(),
    reason: EscalationReasonSchema,
    priority: EscalationPrioritySchema,
    status: EscalationStatusSchema,
    assigned_to: z.string().uuid().nullable(),
    resolved_by: z.string().uuid().nullable(),
    resolution_notes: z.string().nullable(),
    resolved_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Escalation');

export const CreateEscalationSchema = body({
  post_id: z.string().uuid(),
  decision_id: z.string().uuid().optional().openapi({ description: 'A decision on that post.' }),
  reply_id: z.string().uuid().optional().openapi({ description: "A reply to that post (and to the decision, if given); sets decision_id when omitted." }),
  reason: EscalationReasonSchema,
  priority: EscalationPrioritySchema.optional().openapi({ description: 'Default medium.' }),
}).openapi('CreateEscalation');

export const AssignEscalationSchema = body({
  user_id: z.string().uuid().openapi({ description: 'A member of this client.' }),
}).openapi('AssignEscalation');

export const ResolveEscalationSchema = body({ notes: note(5000) }).openapi('ResolveEscalation');
export const DismissEscalationSchema = body({ notes: note(5000).optional() }).openapi('DismissEscalation');

export const EscalationQuerySchema = PageQuerySchema.extend({
  status: EscalationStatusSchema.optional(),
  priority: EscalationPrioritySchema.optional(),
});

export const EscalationPageSchema = pageSchema(EscalationSchema, 'EscalationPage');
