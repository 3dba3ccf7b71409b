import { createHash } from 'node:crypto';
import type { NewSkill } from '../../src/db/schema';

/** Deterministic UUID (v5-shaped) from a name, so the seed can be re-run without duplicates. */
export function seedId(name: string): string {
  const h = createHash('sha1').update(`edge-data-api seed:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** A unit-length pseudo-embedding: chunks on the same topic land near each other. */
export function topicEmbedding(topic: number, variant: number, dimensions = 1536): number[] {
  const raw = Array.from({ length: dimensions }, (_, i) => Math.sin((topic + 1) * (i + 1) * 0.37) + 0.05 * Math.cos((variant + 1) * (i + 3)));
  const norm = Math.hypot(...raw);
  return raw.map((x) => Number((x / norm).toFixed(6)));
}

const skill = (
  name: string,
  description: string,
  type: NewSkill['type'],
  triggerKeywords: string[],
  relatedSkills: string[],
): NewSkill => ({
  id: seedId(`skill:${name}`),
  name,
  description,
  type,
  storageKey: `skills/${name}/`,
  hasRules: type !== 'simple',
  hasSubdirectories: type === 'complex',
  triggerKeywords,
  relatedSkills,
});

/** The marketing skills catalog (seed 002), with trigger keywords and related skills. */
export const SKILLS: NewSkill[] = [
  skill('copywriting', 'Write marketing copy for pages - homepage, landing pages, pricing, features, about', 'with_rules',
    ['write copy', 'rewrite', 'marketing copy', 'headline', 'CTA', 'homepage copy', 'landing page copy', 'pricing page', 'feature page'],
    ['copy-editing', 'page-cro', 'email-sequence', 'popup-cro', 'ab-test-setup']),
  skill('email-sequence', 'Create email sequences - welcome, nurture, onboarding, re-engagement campaigns', 'with_rules',
    ['email sequence', 'drip campaign', 'nurture sequence', 'onboarding emails', 'welcome sequence', 're-engagement emails', 'email automation', 'lifecycle emails'],
    ['copywriting', 'onboarding-cro']),
  skill('copy-editing', 'Edit and tighten existing marketing copy without changing its meaning', 'with_rules',
    ['edit copy', 'proofread', 'tighten copy', 'copy review', 'polish'], ['copywriting']),
  skill('page-cro', 'Audit a marketing page for conversion and propose prioritised changes', 'complex',
    ['conversion', 'cro', 'landing page audit', 'improve conversions', 'bounce rate'], ['copywriting', 'ab-test-setup', 'form-cro']),
  skill('popup-cro', 'Design popups and modals that convert without hurting experience', 'with_rules',
    ['popup', 'modal', 'exit intent', 'lead capture popup'], ['page-cro', 'copywriting']),
  skill('form-cro', 'Reduce friction in lead and contact forms', 'with_rules',
    ['form conversion', 'lead form', 'form fields', 'contact form'], ['page-cro', 'signup-flow-cro']),
  skill('signup-flow-cro', 'Optimise signup and registration flows', 'complex',
    ['signup flow', 'registration', 'sign up conversion', 'trial signup'], ['onboarding-cro', 'form-cro']),
  skill('onboarding-cro', 'Improve activation in the first-run and onboarding experience', 'complex',
    ['onboarding', 'activation', 'first run', 'aha moment', 'user activation'], ['email-sequence', 'signup-flow-cro']),
  skill('ab-test-setup', 'Plan A/B tests: hypothesis, variants, sample size and success metric', 'with_rules',
    ['a/b test', 'split test', 'experiment', 'hypothesis', 'variant'], ['page-cro', 'analytics-tracking']),
  skill('analytics-tracking', 'Define tracking plans and events for marketing analytics', 'complex',
    ['tracking plan', 'analytics events', 'utm', 'attribution', 'conversion tracking'], ['ab-test-setup']),
  skill('social-content', 'Write social posts and threads in the brand voice', 'with_rules',
    ['social post', 'tweet', 'thread', 'linkedin post', 'reddit reply', 'social media'], ['copywriting', 'content-strategy']),
  skill('content-strategy', 'Plan content pillars, topics and a publishing calendar', 'complex',
    ['content plan', 'editorial calendar', 'content pillars', 'blog strategy'], ['seo-audit', 'social-content']),
  skill('seo-audit', 'Audit a site for technical and on-page SEO issues', 'complex',
    ['seo', 'seo audit', 'rankings', 'meta tags', 'crawl'], ['schema-markup', 'programmatic-seo']),
  skill('programmatic-seo', 'Design template-driven pages that rank at scale', 'complex',
    ['programmatic seo', 'pages at scale', 'template pages', 'long tail'], ['seo-audit']),
  skill('schema-markup', 'Add structured data (JSON-LD) for rich results', 'simple',
    ['schema markup', 'structured data', 'json-ld', 'rich snippets'], ['seo-audit']),
  skill('pricing-strategy', 'Shape packaging, tiers and price points', 'complex',
    ['pricing', 'price increase', 'tiers', 'packaging', 'monetisation'], ['copywriting', 'paywall-upgrade-cro']),
  skill('paywall-upgrade-cro', 'Improve upgrade prompts and paywalls in product', 'with_rules',
    ['paywall', 'upgrade', 'upsell', 'freemium conversion'], ['pricing-strategy']),
  skill('launch-strategy', 'Plan a product or feature launch across channels', 'complex',
    ['launch', 'product hunt', 'go to market', 'announcement'], ['email-sequence', 'social-content']),
  skill('competitor-alternatives', 'Write competitor comparison and alternatives pages', 'with_rules',
    ['vs page', 'alternatives', 'competitor comparison', 'switch from'], ['copywriting', 'seo-audit']),
  skill('referral-program', 'Design referral and affiliate programs', 'with_rules',
    ['referral', 'affiliate', 'word of mouth', 'invite friends'], ['launch-strategy']),
  skill('paid-ads', 'Write and structure paid ad campaigns', 'with_rules',
    ['ads', 'ppc', 'google ads', 'meta ads', 'ad copy'], ['copywriting', 'analytics-tracking']),
  skill('marketing-psychology', 'Apply persuasion principles to marketing decisions', 'simple',
    ['psychology', 'persuasion', 'cognitive bias', 'social proof'], ['copywriting', 'page-cro']),
];
