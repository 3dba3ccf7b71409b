import { sql } from 'drizzle-orm';
import { asSystem } from '../../../helpers/db';
import type { FixtureIds } from '../../../helpers/tenant-fixture';
import type { RouteSpec } from './types';

type ReplyState = 'pending' | 'approved' | 'posted';

/** A fresh reply of client `a` on its fixture decision, in the given state. */
export async function newReply(a: FixtureIds, state: ReplyState = 'pending'): Promise<string> {
  const id = crypto.randomUUID();
  const approved = state !== 'pending';
  const posted = state === 'posted';
  await asSystem(sql`
    insert into replies (id, client_id, decision_id, content, archetype, platform, utm_code, approval_status,
                         approved_by, approved_at, posted_at, platform_post_id)
    values (${id}, ${a.clients}, ${a.decisions}, 'A suite reply, long enough.', 'coach', 'twitter', 'suite',
            ${state}::approval_status, ${approved ? a.users : null}::uuid, ${approved ? sql`now()` : null},
            ${posted ? sql`now()` : null}, ${posted ? `r-${id}` : null})`);
  return id;
}

/** A fresh open escalation of client `a` on its fixture post. */
export async function newEscalation(a: FixtureIds): Promise<string> {
  const id = crypto.randomUUID();
  await asSystem(sql`insert into escalations (id, client_id, post_id, reason) values (${id}, ${a.clients}, ${a.posts}, 'other')`);
  return id;
}

async function signature(a: FixtureIds): Promise<string> {
  const [rows] = await asSystem(sql`select reply_signature from brand_kits where client_id = ${a.clients} and is_default`);
  return rows![0]!.reply_signature as string;
}

const author = { platform_id: 'suite-author-1', handle: 'suite_author', follower_count: 42 };
export const decision = { sss_score: 0.9, ars_score: 0.5, evs_score: 0.6, trs_score: 0.7, composite_score: 0.68, mode: 'helpful', archetype: 'coach' };

/** Authors, posts, decisions, replies, escalations. */
export const ENGAGEMENT_ROUTES: Record<string, RouteSpec> = {
  'POST /v1/authors/bulk': { valid: async () => ({ path: '/v1/authors/bulk', body: { platform: 'twitter', authors: [author] } }) },
  'GET /v1/authors': { valid: async () => ({ path: '/v1/authors?platform=twitter&is_power_user=false&handle_prefix=fix' }) },
  'GET /v1/authors/{id}': { valid: async (a) => ({ path: `/v1/authors/${a.authors}` }) },
  'PATCH /v1/authors/{id}': { valid: async (a) => ({ path: `/v1/authors/${a.authors}`, body: { relationship_score: 0.7, power_tier: 'micro' } }) },

  'POST /v1/posts/bulk': {
    valid: async () => ({
      path: '/v1/posts/bulk',
      body: {
        platform: 'twitter',
        posts: [{ platform_post_id: `suite-${crypto.randomUUID()}`, author, content: 'Magnesium before bed?', keyword_matches: ['magnesium'] }],
      },
    }),
  },
  'GET /v1/posts': { valid: async () => ({ path: '/v1/posts?processed=false&platform=twitter&keyword_category=problem' }) },
  'GET /v1/posts/{id}': { valid: async (a) => ({ path: `/v1/posts/${a.posts}` }) },
  'POST /v1/posts/{id}/processed': { valid: async (a) => ({ path: `/v1/posts/${a.posts}/processed` }) },
  'POST /v1/posts/{id}/error': { valid: async (a) => ({ path: `/v1/posts/${a.posts}/error`, body: { error_message: 'classifier timeout' } }) },

  'POST /v1/posts/{id}/decisions': { valid: async (a) => ({ path: `/v1/posts/${a.posts}/decisions`, body: decision }) },
  'GET /v1/decisions': { valid: async () => ({ path: '/v1/decisions?mode=helpful' }) },
  'GET /v1/decisions/{id}': { valid: async (a) => ({ path: `/v1/decisions/${a.decisions}` }) },

  'POST /v1/decisions/{id}/replies': {
    valid: async (a) => ({
      path: `/v1/decisions/${a.decisions}/replies`,
      body: { content: `A steady bedtime helps. ${await signature(a)}`, utm_code: 'suite_1' },
    }),
  },
  'GET /v1/replies/queue': { valid: async () => ({ path: '/v1/replies/queue?limit=5' }) },
  'GET /v1/replies': { valid: async () => ({ path: '/v1/replies?approval_status=pending&platform=twitter' }) },
  'GET /v1/replies/{id}': { valid: async (a) => ({ path: `/v1/replies/${a.replies}` }) },
  // Edited as it is approved: the brand check on the new text runs too.
  'POST /v1/replies/{id}/approve': {
    valid: async (a) => ({ path: `/v1/replies/${await newReply(a)}/approve`, body: { content: `Edited before approval, all good. ${await signature(a)}` } }),
  },
  'POST /v1/replies/approve': { valid: async (a) => ({ path: '/v1/replies/approve', body: { ids: [await newReply(a), await newReply(a)] } }) },
  'POST /v1/replies/{id}/reject': { valid: async (a) => ({ path: `/v1/replies/${await newReply(a)}/reject`, body: { reason: 'Off brand.' } }) },
  'POST /v1/replies/{id}/posted': {
    valid: async (a) => ({ path: `/v1/replies/${await newReply(a, 'approved')}/posted`, body: { platform_post_id: 'suite_reply_1' } }),
  },
  'POST /v1/replies/{id}/metrics': {
    valid: async (a) => ({
      path: `/v1/replies/${await newReply(a, 'posted')}/metrics`,
      body: { metrics: { likes: 3, replies: 1 }, measured_at: new Date().toISOString() },
    }),
  },
  'DELETE /v1/replies/{id}': { valid: async (a) => ({ path: `/v1/replies/${await newReply(a)}`, body: { reason: 'Duplicate draft.' } }) },

  'POST /v1/escalations': { valid: async (a) => ({ path: '/v1/escalations', body: { post_id: a.posts, reason: 'legal_risk', priority: 'high' } }) },
  'GET /v1/escalations/queue': { valid: async () => ({ path: '/v1/escalations/queue' }) },
  'GET /v1/escalations': { valid: async () => ({ path: '/v1/escalations?status=open&priority=medium' }) },
  'GET /v1/escalations/{id}': { valid: async (a) => ({ path: `/v1/escalations/${a.escalations}` }) },
  'POST /v1/escalations/{id}/assign': {
    valid: async (a) => ({ path: `/v1/escalations/${await newEscalation(a)}/assign`, body: { user_id: a.users } }),
  },
  'POST /v1/escalations/{id}/resolve': {
    valid: async (a) => ({ path: `/v1/escalations/${await newEscalation(a)}/resolve`, body: { notes: 'Answered by DM.' } }),
  },
  'POST /v1/escalations/{id}/dismiss': {
    valid: async (a) => ({ path: `/v1/escalations/${await newEscalation(a)}/dismiss`, body: { notes: 'False alarm.' } }),
  },
};
