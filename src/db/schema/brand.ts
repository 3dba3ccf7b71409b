import { sql } from 'drizzle-orm';
import { boolean, jsonb, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { newestFirstIndex } from './columns';
import { tenantTable } from './tenant-table';

export interface BrandTone {
  voice: 'professional' | 'casual' | 'friendly' | 'authoritative' | 'playful';
  personality: string[];
  do_list: string[];
  dont_list: string[];
  example_phrases?: string[];
}

export interface BrandColors {
  primary: string;
  secondary?: string;
  accent?: string;
  background?: string;
  text?: string;
}

export interface LogoRef {
  type: 'primary' | 'secondary' | 'icon' | 'wordmark';
  url: string;
  format: 'png' | 'svg' | 'jpg';
  dimensions?: { width: number; height: number };
}

export interface BrandFonts {
  heading?: string;
  body?: string;
  accent?: string;
}

/**
 * A client's voice and visual identity (seed 000), plus the reply rules seed 003 hard-coded for
 * one brand: the signature every reply must carry and the claims no reply may make.
 * At most one default kit per client (partial unique index).
 */
export const brandKits = tenantTable(
  'brand_kits',
  {
    name: varchar('name', { length: 255 }).notNull(),
    description: varchar('description', { length: 1000 }),
    tone: jsonb('tone').$type<BrandTone>().notNull(),
    colors: jsonb('colors').$type<BrandColors>().notNull(),
    logoRefs: jsonb('logo_refs').$type<LogoRef[]>().notNull().default([]),
    fonts: jsonb('fonts').$type<BrandFonts>(),
    replySignature: varchar('reply_signature', { length: 100 }),
    /** Phrases a reply must not contain (matched case-insensitively), e.g. medical claims. */
    prohibitedClaims: text('prohibited_claims').array().notNull().default(sql`'{}'::text[]`),
    isDefault: boolean('is_default').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [
    newestFirstIndex('brand_kits', t),
    uniqueIndex('brand_kits_one_default_per_client').on(t.clientId).where(sql`${t.isDefault}`),
  ],
);

export type BrandKit = typeof brandKits.$inferSelect;
export type NewBrandKit = typeof brandKits.$inferInsert;
