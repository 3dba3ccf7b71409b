import { z } from '@hono/zod-openapi';
import { pageSchema } from '../lib/pagination';
import { body, Timestamp } from '../lib/schemas';
import { MemberRoleSchema } from '../lib/enums';

export const MemberSchema = z
  .object({
    id: z.string().uuid(),
    user_id: z.string().uuid(),
    email: z.string(),
    display_name: z.string().nullable(),
    role: MemberRoleSchema,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Member');

export const AddMemberSchema = body({
  email: z.string().email().max(320),
  display_name: z.string().trim().min(1).max(255).optional(),
  role: MemberRoleSchema,
}).openapi('AddMember');

export const ChangeRoleSchema = body({ role: MemberRoleSchema }).openapi('ChangeMemberRole');

export const MemberPageSchema = pageSchema(MemberSchema, 'MemberPage');
