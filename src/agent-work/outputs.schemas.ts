import { z } from '@hono/zod-openapi';
import { body, boundedJson, Timestamp, utf8Bytes } from '../lib/schemas';

export const OUTPUT_FORMATS = ['markdown', 'json', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Largest output content, in bytes of UTF-8 (the request body as a whole is capped at 1 MiB). */
export const MAX_CONTENT_BYTES = 512 * 1024;
export const PREVIEW_CHARACTERS = 500;

/** How each format is stored in R2 and served back. */
export const FORMAT_FILES: Record<OutputFormat, { extension: string; contentType: string }> = {
  markdown: { extension: 'md', contentType: 'text/markdown; charset=utf-8' },
  json: { extension: 'json', contentType: 'application/json' },
  html: { extension: 'html', contentType: 'text/html; charset=utf-8' },
};

export const OutputSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    run_id: z.string().uuid(),
    object_key: z.string().openapi({ description: "Key of the content in object storage, under the client's storage prefix." }),
    format: z.enum(OUTPUT_FORMATS),
    title: z.string().nullable(),
    preview: z.string().nullable().openapi({ description: `The first ${PREVIEW_CHARACTERS} characters of the content.` }),
    size_bytes: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Output');

export const CreateOutputSchema = body({
  format: z.enum(OUTPUT_FORMATS),
  title: z.string().trim().min(1).max(255).optional(),
  content: z
    .string()
    .min(1)
    .max(MAX_CONTENT_BYTES)
    .refine((value) => utf8Bytes(value) <= MAX_CONTENT_BYTES, `at most ${MAX_CONTENT_BYTES} bytes (UTF-8)`)
    .openapi({ description: `The output itself, 1 character to ${MAX_CONTENT_BYTES} bytes (512 KiB) of UTF-8. \`json\` content must parse as JSON.` }),
})
  .superRefine((value, ctx) => {
    if (value.format !== 'json') return;
    try {
      JSON.parse(value.content);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'format json needs content that parses as JSON' });
    }
  })
  .openapi('CreateOutput');

export const SCORE_FIELDS = ['overall_score', 'accuracy_score', 'quality_score', 'usefulness_score', 'rule_compliance_score'] as const;

const score = z.number().int().min(1).max(5);

export const FeedbackIssueSchema = z
  .object({
    description: z.string().trim().min(1).max(2000),
    severity: z.enum(['high', 'medium', 'low']),
    suggested_fix: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .openapi('FeedbackIssue');

export const RuleChangeSchema = z
  .object({
    file: z.string().trim().min(1).max(500).openapi({ example: '.claude/skills/copywriting/RULES.md' }),
    current_rule: z.string().trim().min(1).max(5000).optional(),
    suggested_change: z.string().trim().min(1).max(5000),
    rationale: z.string().trim().min(1).max(5000),
  })
  .strict()
  .openapi('RuleChange');

export const FEEDBACK_SOURCES = ['web', 'api', 'telegram', 'slack'] as const;

export const FeedbackSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    output_id: z.string().uuid(),
    reviewer_id: z.string().uuid().nullable().openapi({ description: 'The user who gave it (null for machine clients).' }),
    overall_score: z.number().int(),
    accuracy_score: z.number().int().nullable(),
    quality_score: z.number().int().nullable(),
    usefulness_score: z.number().int().nullable(),
    rule_compliance_score: z.number().int().nullable(),
    what_worked_well: z.string().nullable(),
    issues: z.array(FeedbackIssueSchema),
    suggested_rule_changes: z.array(RuleChangeSchema),
    source: z.enum(FEEDBACK_SOURCES),
    reviewer_name: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Feedback');

export const CreateFeedbackSchema = body({
  overall_score: score.openapi({ description: '1–5, required.' }),
  accuracy_score: score.optional().openapi({ description: 'Did it understand the request? 1–5.' }),
  quality_score: score.optional().openapi({ description: 'Is the output well-crafted? 1–5.' }),
  usefulness_score: score.optional().openapi({ description: 'Is it ready to use? 1–5.' }),
  rule_compliance_score: score.optional().openapi({ description: 'Did it follow the skill rules? 1–5.' }),
  what_worked_well: z.string().trim().min(1).max(5000).optional(),
  issues: boundedJson(z.array(FeedbackIssueSchema).max(50)).optional(),
  suggested_rule_changes: boundedJson(z.array(RuleChangeSchema).max(50)).optional(),
  source: z.enum(FEEDBACK_SOURCES),
  reviewer_name: z.string().trim().min(1).max(100).optional(),
}).openapi('CreateFeedback');
