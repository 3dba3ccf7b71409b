import { sql, type SQL } from 'drizzle-orm';
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
 * The client's brand rules applied to a reply's text, as one row: whether the client has a default
 * kit, its signature, whether the text carries it (exactly) and which prohibited claims it makes in
 * any form of their words (`app_private.contains_claim`: "cure" matches "Cured!" and "curative",
 * not "secure"). Drafting and edit-then-approve both decide by it.
 */
export function brandVerdict(clientId: string, content: SQL) {
  return sql`
    with kit as (
      select reply_signature, prohibited_claims from brand_kits where client_id = ${clientId}::uuid and is_default
    )
    select exists (select 1 from kit) as kit_found,
           (select reply_signature from kit) as signature,
           coalesce((select strpos(${content}, k.reply_signature) > 0 from kit k), false) as signed,
           coalesce((select jsonb_agg(claim order by claim) from kit k, unnest(k.prohibited_claims) as claim
                     where app_private.contains_claim(${content}, claim)), '[]'::jsonb) as violations`;
}

/** Whether a verdict row (of `brandVerdict`) lets the text be used. */
export const PASSES_BRAND_RULES = sql`signature is not null and signed and jsonb_array_length(violations) = 0`;

/**
 * Drafts a reply in ONE statement, checked against the client's default brand kit (`brandVerdict`):
 * inserted only when the decision is this client's and the text passes. The verdict says which
 * rule failed.
 */
export function draftReply(db: Database, clientId: string, decisionId: string, id: string, input: z.infer<typeof DraftReplySchema>) {
  const content = sql`${input.content}::text`;
  return db.execute<DraftVerdict>(sql`
    with decision as (
      select d.id, d.archetype, p.platform
      from decisions d join posts p on p.id = d.post_id and p.client_id = d.client_id
      where d.id = ${decisionId}::uuid and d.client_id = ${clientId}::uuid
    ),
    verdict as (
      select exists (select 1 from decision) as decision_found, b.* from (${brandVerdict(clientId, content)}) b
    ),
    inserted as (
      insert into replies (id, client_id, decision_id, content, archetype, platform, utm_code, reply_type)
      select ${id}::uuid, ${clientId}::uuid, d.id, ${content}, coalesce(${input.archetype ?? null}::archetype, d.archetype),
             d.platform, ${input.utm_code}, coalesce(${input.reply_type ?? null}::reply_type, 'direct_reply')
      from decision d, verdict v
      where ${PASSES_BRAND_RULES}
      returning id
    )
    select v.*, (select count(*)::int from inserted) as inserted from verdict v`);
}

/**
 * Approves every listed reply of the client that is pending and not deleted, in ONE statement, by
 * `approverId` (who must be a member), and only when every listed id is a reply of the client;
 * reports the state each listed id was found in, so the caller can say why the others were left.
 */
export function bulkApprove(db: Database, clientId: string, ids: string[], approverId: string, at: SQL) {
  const list = sql`${`{${ids.join(',')}}`}::uuid[]`;
  return db.execute<{ id: string; state: string | null; deleted: boolean; member: boolean; approved: boolean }>(sql`
    with member as (
      select exists (select 1 from memberships where client_id = ${clientId}::uuid and user_id = ${approverId}::uuid) as ok
    ),
    found as (
      select id, approval_status::text as state, deleted_at is not null as deleted
      from replies where client_id = ${clientId}::uuid and id = any(${list})
    ),
    changed as (
      update replies set approval_status = 'approved', approved_by = ${approverId}::uuid, approved_at = ${at}
      where client_id = ${clientId}::uuid and id = any(${list}) and approval_status = 'pending' and deleted_at is null
        and (select ok from member) and (select count(*) from found) = cardinality(${list})
      returning id
    )
    select l.id, f.state, coalesce(f.deleted, false) as deleted, (select ok from member) as member,
           exists (select 1 from changed ch where ch.id = l.id) as approved
    from unnest(${list}) with ordinality as l(id, n)
    left join found f on f.id = l.id
    order by l.n`);
}
