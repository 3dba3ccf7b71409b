import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';

export type TransitionResult = {
  /** The row's state before the statement; null when there is no such row in this client. */
  state: string | null;
  deleted: boolean;
  /** Whether `memberId` is a member of the client (true when no member is required). */
  member: boolean;
  changed: number;
  /** The row of `check`, when the transition has one. */
  checked: Record<string, unknown> | null;
};

export type Transition = {
  table: 'replies' | 'escalations';
  stateColumn: 'approval_status' | 'status';
  clientId: string;
  id: string;
  /** States the change is allowed from; `any` for every state. */
  from: readonly string[] | 'any';
  set: SQL;
  /** The table soft-deletes: a deleted row takes no further change. */
  softDelete?: boolean;
  /** A user the change names (approver, assignee), who must be a member of the client. */
  memberId?: string;
  /**
   * A further condition the change needs, as a query of one row with a boolean `passes` (e.g. the
   * brand verdict on edited text): the change is made only when it passes, and the row is reported
   * (`checked`) so the caller can explain a refusal.
   */
  check?: SQL;
};

/**
 * A workflow transition as ONE guarded statement: `UPDATE … WHERE state IN (allowed) RETURNING`,
 * never read-then-write. The row is re-checked under its lock, so two concurrent transitions
 * cannot both pass. Reports the state it found and what stopped it, so the caller can answer
 * 404, 409 or 422 with nothing changed.
 */
export function guardedTransition(db: Database, t: Transition) {
  const table = sql.identifier(t.table);
  const state = sql.identifier(t.stateColumn);
  const allowed =
    t.from === 'any'
      ? sql`true`
      : sql`${state}::text in (${sql.join(
          t.from.map((s) => sql`${s}`),
          sql`, `,
        )})`;
  const notDeleted = t.softDelete ? sql`deleted_at is null` : sql`true`;
  const deleted = t.softDelete ? sql`deleted_at is not null` : sql`false`;
  const member = t.memberId
    ? sql`exists (select 1 from memberships where client_id = ${t.clientId}::uuid and user_id = ${t.memberId}::uuid)`
    : sql`true`;
  return db.execute<TransitionResult>(sql`
    with target as (
      select ${state}::text as state, ${deleted} as deleted from ${table}
      where id = ${t.id}::uuid and client_id = ${t.clientId}::uuid
    ),
    member as (select ${member} as ok),
    condition as (${t.check ?? sql`select true as passes`}),
    changed as (
      update ${table} set ${t.set}
      where id = ${t.id}::uuid and client_id = ${t.clientId}::uuid and ${allowed} and ${notDeleted}
        and (select ok from member) and (select passes from condition)
      returning id
    )
    select (select state from target) as state,
           coalesce((select deleted from target), false) as deleted,
           (select ok from member) as member,
           (select count(*)::int from changed) as changed,
           ${t.check ? sql`(select to_jsonb(c) from condition c)` : sql`null::jsonb`} as checked`);
}
