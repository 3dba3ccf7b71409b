import { z } from '@hono/zod-openapi';
import { hasMoreSchema, MAX_EMBEDDED_ITEMS, PageQuerySchema, pageSchema } from '../lib/pagination';
import { body, InputTimestamp, JSON_OBJECT_LIMITS, JsonObject, Timestamp } from '../lib/schemas';
import { OutputSchema } from './outputs.schemas';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const MAX_USER_MESSAGE = 20_000;
export const MAX_ERROR_MESSAGE = 10_000;
const MAX_TOKENS = 2_147_483_647;

export const RunSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    skill_id: z.string().uuid(),
    skill: z.string().openapi({ description: 'Name of the skill.' }),
    user_id: z.string().uuid().nullable().openapi({ description: 'Requester when a user asked.' }),
    api_key_id: z.string().uuid().nullable().openapi({ description: 'Requester when a machine client (API key) asked.' }),
    status: z.enum(RUN_STATUSES),
    user_message: z.string(),
    external_event_id: z.string().nullable(),
    tokens_input: z.number().int().nullable(),
    tokens_output: z.number().int().nullable(),
    error_message: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    queued_at: Timestamp,
    started_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Run');

const outputs = z.array(OutputSchema).openapi({ description: `The run’s oldest ${MAX_EMBEDDED_ITEMS} outputs at most, oldest first.` });
const hasMoreOutputs = hasMoreSchema('outputs (the oldest are listed)');

export const RunWithOutputsSchema = RunSchema.extend({ outputs, has_more_outputs: hasMoreOutputs }).openapi('RunWithOutputs');

export const RunListItemSchema = RunSchema.extend({
  outputs: outputs.optional().openapi({
    description: `Present with \`include=outputs\`: the run’s oldest ${MAX_EMBEDDED_ITEMS} outputs at most, oldest first.`,
  }),
  has_more_outputs: hasMoreOutputs.optional().openapi({ description: `Present with \`include=outputs\`: whether the run has more than ${MAX_EMBEDDED_ITEMS} outputs.` }),
}).openapi('RunListItem');

export const RunPageSchema = pageSchema(RunListItemSchema, 'RunPage');

const skillName = z.string().min(1).max(100);

export const CreateRunSchema = body({
  skill: skillName.optional().openapi({ description: 'Skill name; give this or `skill_id`.', example: 'copywriting' }),
  skill_id: z.string().uuid().optional().openapi({ description: 'Skill id; give this or `skill`.' }),
  user_message: z.string().trim().min(1).max(MAX_USER_MESSAGE).openapi({ description: `1–${MAX_USER_MESSAGE} characters.` }),
  metadata: JsonObject.optional().openapi({ description: `Free-form context, ${JSON_OBJECT_LIMITS}.` }),
  external_event_id: z.string().trim().min(1).max(100).optional().openapi({ description: 'Id of the event that queued the run elsewhere.' }),
})
  .refine((value) => (value.skill === undefined) !== (value.skill_id === undefined), {
    message: 'give exactly one of skill or skill_id',
    path: ['skill'],
  })
  .openapi('CreateRun');

const tokens = z.number().int().min(0).max(MAX_TOKENS);

export const CompleteRunSchema = body({
  tokens_input: tokens,
  tokens_output: tokens,
  model: z.string().trim().min(1).max(100).optional().openapi({ description: 'Model that served the run; kept in `metadata.model`.' }),
}).openapi('CompleteRun');

export const FailRunSchema = body({
  error_message: z.string().trim().min(1).max(MAX_ERROR_MESSAGE).openapi({ description: `1–${MAX_ERROR_MESSAGE} characters.` }),
  tokens_input: tokens.optional(),
  tokens_output: tokens.optional(),
}).openapi('FailRun');

export const ListRunsQuerySchema = PageQuerySchema.extend({
  status: z.enum(RUN_STATUSES).optional(),
  skill: skillName.optional().openapi({ description: 'Skill name.' }),
  user_id: z.string().uuid().optional().openapi({ description: 'Runs a user asked for.' }),
  api_key_id: z.string().uuid().optional().openapi({ description: 'Runs a machine client asked for.' }),
  queued_after: InputTimestamp.optional().openapi({ description: 'Queued at or after this instant.' }),
  queued_before: InputTimestamp.optional().openapi({ description: 'Queued strictly before this instant.' }),
  include: z.enum(['outputs']).optional().openapi({ description: '`outputs`: each run with its outputs (same round trip).' }),
});
