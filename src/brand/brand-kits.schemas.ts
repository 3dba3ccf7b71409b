import { z } from '@hono/zod-openapi';
import { pageSchema } from '../lib/pagination';
import { body, boundedJson, HttpUrl, Timestamp } from '../lib/schemas';

const phrase = z.string().trim().min(1).max(200);
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a #rrggbb color');

export const BrandToneSchema = boundedJson(
  z
    .object({
      voice: z.enum(['professional', 'casual', 'friendly', 'authoritative', 'playful']),
      personality: z.array(phrase).max(20),
      do_list: z.array(phrase).max(50),
      dont_list: z.array(phrase).max(50),
      example_phrases: z.array(phrase).max(50).optional(),
    })
    .strict(),
).openapi('BrandTone');

export const BrandColorsSchema = boundedJson(
  z
    .object({
      primary: hexColor,
      secondary: hexColor.optional(),
      accent: hexColor.optional(),
      background: hexColor.optional(),
      text: hexColor.optional(),
    })
    .strict(),
).openapi('BrandColors');

export const LogoRefSchema = z
  .object({
    type: z.enum(['primary', 'secondary', 'icon', 'wordmark']),
    url: HttpUrl,
    format: z.enum(['png', 'svg', 'jpg']),
    dimensions: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).strict().optional(),
  })
  .strict();

export const BrandFontsSchema = boundedJson(
  z.object({ heading: z.string().max(100).optional(), body: z.string().max(100).optional(), accent: z.string().max(100).optional() }).strict(),
);

export const BrandKitSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    name: z.string(),
    description: z.string().nullable(),
    tone: BrandToneSchema,
    colors: BrandColorsSchema,
    logo_refs: z.array(LogoRefSchema),
    fonts: BrandFontsSchema.nullable(),
    reply_signature: z.string().nullable(),
    prohibited_claims: z.array(z.string()),
    is_default: z.boolean(),
    is_active: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('BrandKit');

const editable = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1000).nullable().optional(),
  tone: BrandToneSchema,
  colors: BrandColorsSchema,
  logo_refs: boundedJson(z.array(LogoRefSchema).max(20)).optional(),
  fonts: BrandFontsSchema.nullable().optional(),
  reply_signature: z.string().trim().min(1).max(100).nullable().optional().openapi({
    description: 'Every drafted reply must contain it.',
    example: '—Antone (Vita)',
  }),
  prohibited_claims: z.array(phrase).max(100).optional().openapi({
    description: 'Phrases no reply may contain (case-insensitive).',
    example: ['cure', 'clinically proven'],
  }),
  is_active: z.boolean().optional(),
};

export const CreateBrandKitSchema = body({
  ...editable,
  is_default: z.boolean().optional().openapi({ description: 'Make it the default (the previous default is unset).' }),
}).openapi('CreateBrandKit');

export const UpdateBrandKitSchema = body({
  ...editable,
  name: editable.name.optional(),
  tone: editable.tone.optional(),
  colors: editable.colors.optional(),
}).openapi('UpdateBrandKit');

export const BrandKitPageSchema = pageSchema(BrandKitSchema, 'BrandKitPage');
