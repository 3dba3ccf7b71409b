import { sql } from 'drizzle-orm';
import { asSystem } from './db';
import type { FixtureIds } from './tenant-fixture';

export type ReplyState = 'pending' | 'approved' | 'rejected' | 'posted';

/** A reply of `ids` on its fixture decision in a given state (optionally soft-deleted), written directly; its text ends with `signature`. */
export async function replyIn(ids: FixtureIds, state: ReplyState, signature: string, deleted = false): Promise<string> {
  const id = crypto.randomUUID();
  const approved = state === 'approved' || state === 'posted';
  await asSystem(sql`
    insert into replies (id, client_id, decision_id, content, archetype, platform, utm_code, approval_status, approved_by, approved_at,
                         rejection_reason, posted_at, platform_post_id, metrics, deleted_at, delete_reason)
    values (${id}, ${ids.clients}, ${ids.decisions}, ${`A reply in state ${state}. ${signature}`}, 'coach', 'twitter', 'utm_1',
            ${state}::approval_status, ${approved ? ids.users : null}::uuid, ${approved ? sql`now()` : null},
            ${state === 'rejected' ? 'off brand' : null}, ${state === 'posted' ? sql`now()` : null},
            ${state === 'posted' ? `tw_${id.slice(0, 8)}` : null}, ${state === 'posted' ? sql`'{"likes":1}'::jsonb` : null},
            ${deleted ? sql`now()` : null}, ${deleted ? 'spam' : null})`);
  return id;
}
