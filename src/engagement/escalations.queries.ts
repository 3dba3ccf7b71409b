import { sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { Database } from '../db/client';
import type { CreateEscalationSchema } from './escalations.schemas';

export type EscalationInsertResult = {
  post_ok: boolean;
  decision_ok: boolean;
  reply_ok: boolean;
  inserted: number;
};

/**
 * Opens an escalation in ONE statement, only if the post, decision and reply are this client's
 * and belong together (the decision is on the post; the reply answers the post, and the decision
 * when one is given). The result says which reference was wrong.
 */
export function insertEscalation(db: Database, clientId: string, id: string, input: z.infer<typeof CreateEscalationSchema>) {
  const decisionId = input.decision_id ?? null;
  const replyId = input.reply_id ?? null;
  return db.execute<EscalationInsertResult>(sql`
    with post as (
      select id from posts where id = ${input.post_id}::uuid and client_id = ${clientId}::uuid
    ),
    decision as (
      select id, post_id from decisions where id = ${decisionId}::uuid and client_id = ${clientId}::uuid
    ),
    reply as (
      select r.id, r.decision_id, d.post_id
      from replies r join decisions d on d.id = r.decision_id and d.client_id = r.client_id
      where r.id = ${replyId}::uuid and r.client_id = ${clientId}::uuid
    ),
    verdict as (
      select exists (select 1 from post) as post_ok,
             (${decisionId}::uuid is null or exists (select 1 from decision where post_id = ${input.post_id}::uuid)) as decision_ok,
             (${replyId}::uuid is null or exists (
               select 1 from reply
               where post_id = ${input.post_id}::uuid and (${decisionId}::uuid is null or decision_id = ${decisionId}::uuid))) as reply_ok
    ),
    inserted as (
      insert into escalations (id, client_id, post_id, decision_id, reply_id, reason, priority)
      select ${id}::uuid, ${clientId}::uuid, ${input.post_id}::uuid,
             coalesce(${decisionId}::uuid, (select decision_id from reply)), ${replyId}::uuid,
             ${input.reason}::escalation_reason, ${input.priority ?? 'medium'}::escalation_priority
      from verdict v
      where v.post_ok and v.decision_ok and v.reply_ok
      returning id
    )
    select v.*, (select count(*)::int from inserted) as inserted from verdict v`);
}
