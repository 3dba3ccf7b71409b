import { sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { Database } from '../db/client';
import type { DraftReplySchema } from './replies.schemas';

export type DraftVerdict = {
  decision_found: boolean;
  kit_found: boolean;
  signature: string | null;
  signed: boolean;
  violations: string[];
  inserted: number;
};

/**
 * Drafts a reply in ONE statement, checked against the client's default brand kit: inserted only
 * when the decision is this client's, the client has a default kit with a reply signature, the
 * content contains that signature (exactly) and none of the kit's prohibited claims in any form of
 * their words (`app_private.contains_claim`: "cure" matches "Cured!" and "curative", not "secure").
 * The verdict says which rule failed.
 */
export function draftReply(db: Database, clientId: string, decisionId: string, id: string, input: z.infer<typeof DraftReplySchema>) {
  const content = sql`${input.content}::text`;
  return db.execute<DraftVerdict>(sql`
    with decision as (
      select d.id, d.archetype, p.platform
      from decisions d join posts p on p.id = d.post_id and p.client_id = d.client_id
      where d.id = ${decisionId}::uuid and d.client_id = ${clientId}::uuid
    ),
    kit as (
      select reply_signature, prohibited_claims from brand_kits where client_id = ${clientId}::uuid and is_default
    ),
    verdict as (
      select exists (select 1 from decision) as decision_found,
             exists (select 1 from kit) as kit_found,
             (select reply_signature from kit) as signature,
             coalesce((select strpos(${content}, k.reply_signature) > 0 from kit k), false) as signed,
             coalesce((select jsonb_agg(claim order by claim) from kit k, unnest(k.prohibited_claims) as claim
                       where app_private.contains_claim(${content}, claim)), '[]'::jsonb) as violations
    ),
    inserted as (
      insert into replies (id, client_id, decision_id, content, archetype, platform, utm_code, reply_type)
      select ${id}::uuid, ${clientId}::uuid, d.id, ${content}, coalesce(${input.archetype ?? null}::archetype, d.archetype),
             d.platform, ${input.utm_code}, coalesce(${input.reply_type ?? null}::reply_type, 'direct_reply')
      from decision d, verdict v
      where v.signature is not null and v.signed and jsonb_array_length(v.violations) = 0
      returning id
    )
    select v.*, (select count(*)::int from inserted) as inserted from verdict v`);
}
