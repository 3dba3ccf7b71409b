import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { memberships, users } from '../db/schema';

/** Members joined with their user, for responses. */
export function selectMembers(db: Database, clientId: string, where?: SQL) {
  return db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      email: users.email,
      displayName: memberships.displayName,
      role: memberships.role,
      createdAt: memberships.createdAt,
      updatedAt: memberships.updatedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.clientId, clientId), where));
}

export type GuardedChange = {
  target_role: string | null;
  changed: number;
  /** Whether the acting role (decided by the database for this request) is owner. */
  caller_is_owner: boolean;
};

/**
 * Changes (role given) or removes (role null) one membership in ONE statement, only if allowed:
 * an owner's membership and the owner role are an owner's business (the caller's acting role,
 * which the access check of the same batch put in `app.role`), and the client keeps at least one
 * owner. The owner rows are locked, so two concurrent demotions cannot both pass the count.
 * Returns what the target was and whether anything changed, so the caller can say why not.
 */
export function guardedMembershipChange(db: Database, clientId: string, id: string, role: string | null) {
  const change =
    role === null
      ? sql`delete from memberships m using allowed a where m.id = a.id returning m.id`
      : sql`update memberships m set role = ${role}::member_role from allowed a where m.id = a.id returning m.id`;
  return db.execute<GuardedChange>(sql`
    with caller as (
      select current_setting('app.role', true) = 'owner' as is_owner
    ),
    target as (
      select id, role from memberships where id = ${id} and client_id = ${clientId}
    ),
    owners as (
      select id from memberships where client_id = ${clientId} and role = 'owner' for update
    ),
    allowed as (
      select t.id from target t
      where ((select is_owner from caller) or (t.role <> 'owner' and coalesce(${role}, '') <> 'owner'))
        and (t.role <> 'owner' or ${role}::text = 'owner' or (select count(*) from owners) > 1)
    ),
    changed as (${change})
    select (select role::text from target) as target_role, (select count(*)::int from changed) as changed,
           (select is_owner from caller) as caller_is_owner`);
}
