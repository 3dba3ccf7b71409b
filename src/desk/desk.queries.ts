import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { brandVerdict } from '../engagement/replies.queries';
import type { Membership } from './session';

/** At most this many replies or escalations on one page of the desk (oldest or most urgent first). */
export const DESK_PAGE = 50;

export type MemberClient = {
  client_id: string;
  name: string;
  slug: string;
  role: Membership['role'];
};

/** The clients the signed-in person belongs to (the header's switcher): only their own memberships. */
export const memberClients = (db: Database) => db.execute<MemberClient>(sql`select * from app_private.member_clients()`);

export type QueueCounts = {
  pending_replies: number;
  open_escalations: number;
};

export const queueCounts = (db: Database, clientId: string) =>
  db.execute<QueueCounts>(sql`
    select (select count(*)::int from replies
             where client_id = ${clientId}::uuid and approval_status = 'pending' and deleted_at is null) as pending_replies,
           (select count(*)::int from escalations
             where client_id = ${clientId}::uuid and status in ('open', 'assigned')) as open_escalations`);

export type QueueItem = {
  id: string;
  content: string;
  platform: string;
  archetype: string;
  reply_type: string;
  created_at: string;
  post_content: string;
  platform_post_id: string;
  detected_at: string;
  handle: string;
  author_name: string | null;
  follower_count: number;
  power_tier: string | null;
  relationship_score: number;
  is_verified: boolean;
  sss_score: number;
  ars_score: number;
  evs_score: number;
  trs_score: number;
  composite_score: number;
  mode: string;
  safety_flags: string[];
  kit_found: boolean;
  signature: string | null;
  signed: boolean;
  violations: string[];
};

/**
 * The reply queue as a reviewer reads it: pending replies oldest first, each with its post, the
 * post's author, the decision's scores and mode, and the brand kit's verdict on the text now.
 */
export const replyQueue = (db: Database, clientId: string) =>
  db.execute<QueueItem>(sql`
    select r.id, r.content, r.platform, r.archetype, r.reply_type, r.created_at,
           p.content as post_content, p.platform_post_id, p.detected_at,
           a.handle, a.display_name as author_name, a.follower_count, a.power_tier, a.relationship_score, a.is_verified,
           d.sss_score, d.ars_score, d.evs_score, d.trs_score, d.composite_score, d.mode, d.safety_flags,
           v.kit_found, v.signature, v.signed, v.violations
    from replies r
    join decisions d on d.id = r.decision_id and d.client_id = r.client_id
    join posts p on p.id = d.post_id and p.client_id = d.client_id
    join authors a on a.id = p.author_id and a.client_id = p.client_id
    cross join lateral (${brandVerdict(clientId, sql`r.content`)}) v
    where r.client_id = ${clientId}::uuid and r.approval_status = 'pending' and r.deleted_at is null
    order by r.created_at, r.id
    limit ${DESK_PAGE}`);

export type EscalationItem = {
  id: string;
  reason: string;
  priority: string;
  status: string;
  created_at: string;
  assigned_to: string | null;
  assignee_name: string | null;
  reply_id: string | null;
  post_content: string;
  platform: string;
  platform_post_id: string;
  handle: string;
  follower_count: number;
};

/** Open and assigned escalations, most urgent first, then oldest first (the REST queue's order). */
export const escalationQueue = (db: Database, clientId: string) =>
  db.execute<EscalationItem>(sql`
    select e.id, e.reason, e.priority, e.status, e.created_at, e.assigned_to, e.reply_id,
           coalesce(m.display_name, case when e.assigned_to is null then null else 'a member' end) as assignee_name,
           p.content as post_content, p.platform, p.platform_post_id, a.handle, a.follower_count
    from escalations e
    join posts p on p.id = e.post_id and p.client_id = e.client_id
    join authors a on a.id = p.author_id and a.client_id = p.client_id
    left join memberships m on m.client_id = e.client_id and m.user_id = e.assigned_to
    where e.client_id = ${clientId}::uuid and e.status in ('open', 'assigned')
    order by e.priority desc, e.created_at, e.id
    limit ${DESK_PAGE}`);

export type ReplyDetail = {
  id: string;
  content: string;
  approval_status: string;
  rejection_reason: string | null;
  platform: string;
  created_at: string;
  deleted_at: string | null;
  post_content: string;
  platform_post_id: string;
  handle: string;
};

export const replyDetail = (db: Database, clientId: string, id: string) =>
  db.execute<ReplyDetail>(sql`
    select r.id, r.content, r.approval_status, r.rejection_reason, r.platform, r.created_at, r.deleted_at,
           p.content as post_content, p.platform_post_id, a.handle
    from replies r
    join decisions d on d.id = r.decision_id and d.client_id = r.client_id
    join posts p on p.id = d.post_id and p.client_id = d.client_id
    join authors a on a.id = p.author_id and a.client_id = p.client_id
    where r.id = ${id}::uuid and r.client_id = ${clientId}::uuid`);

export type HistoryEntry = {
  action: 'insert' | 'update' | 'delete';
  actor_id: string | null;
  actor_name: string | null;
  changed_columns: string[];
  details: Record<string, unknown>;
  created_at: string;
};

/** Who did what to a reply and when: its rows of the audit trail, oldest first, with members' names (or emails). */
export const replyHistory = (db: Database, clientId: string, id: string) =>
  db.execute<HistoryEntry>(sql`
    select l.action, l.actor_id, coalesce(m.display_name, u.email) as actor_name, l.changed_columns, l.details, l.created_at
    from audit_logs l
    left join memberships m on m.client_id = l.client_id and m.user_id = l.actor_id
    left join users u on u.id = m.user_id
    where l.client_id = ${clientId}::uuid and l.entity_type = 'replies' and l.entity_id = ${id}::uuid
    order by l.created_at, l.id
    limit 200`);

export type SignInChoice = Membership & {
  email: string;
  display_name: string | null;
  client_name: string;
};

/** Development sign-in: every membership of an active client (the system path; development only). */
export const signInChoices = (db: Database) =>
  db.execute<SignInChoice>(sql`
    select m.user_id, m.client_id, m.role::text as role, u.email, m.display_name, c.name as client_name
    from memberships m
    join users u on u.id = m.user_id
    join clients c on c.id = m.client_id and c.is_active
    order by c.name, m.role, u.email
    limit 200`);

/** A person's memberships of active clients by their email (Cloudflare Access sign-in; the system path). */
export const membershipsByEmail = (db: Database, email: string) =>
  db.execute<Membership>(sql`
    select m.user_id, m.client_id, m.role::text as role
    from users u
    join memberships m on m.user_id = u.id
    join clients c on c.id = m.client_id and c.is_active
    where lower(u.email) = lower(${email})
    order by c.name, c.id`);

/** One membership of an active client (development sign-in checks the chosen one exists). */
export const membershipOf = (db: Database, userId: string, clientId: string) =>
  db.execute<Membership>(sql`
    select m.user_id, m.client_id, m.role::text as role
    from memberships m join clients c on c.id = m.client_id and c.is_active
    where m.user_id = ${userId}::uuid and m.client_id = ${clientId}::uuid`);
