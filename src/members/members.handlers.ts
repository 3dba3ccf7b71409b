import { eq, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { memberships } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { guardedMembershipChange, selectMembers, type GuardedChange } from './members.queries';
import type { addMember, changeMemberRole, listMembers, removeMember } from './members.routes';

const notFound = () => new ApiError(404, 'MEMBER_NOT_FOUND', 'No such member in this client.');

const ownerRequired = () => new ApiError(403, 'OWNER_REQUIRED', 'Only an owner can change an owner or grant the owner role.');

/** Why a guarded change did nothing: not there, not allowed for the caller's acting role, or the last owner. */
function refusal(result: GuardedChange | undefined, newRole: string | null): ApiError {
  if (!result?.target_role) return notFound();
  if (!result.caller_is_owner && (result.target_role === 'owner' || newRole === 'owner')) return ownerRequired();
  return new ApiError(409, 'LAST_OWNER', 'A client keeps at least one owner.');
}

export const list: AppRouteHandler<typeof listMembers> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(memberships.createdAt, memberships.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [selectMembers(db, clientId, page.where).orderBy(...page.orderBy).limit(query.limit + 1)],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const add: AppRouteHandler<typeof addMember> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  // A token claiming owner is not enough: the acting role the database decided must be owner.
  if (input.role === 'owner' && principal.role !== 'owner') throw ownerRequired();
  const id = crypto.randomUUID();
  const [, , rows] = await c.var.tenant.run((db) => [
    db.execute(sql`select app_private.require_owner(${input.role === 'owner'})`),
    db.execute(sql`
      insert into memberships (id, client_id, user_id, role, display_name)
      values (${id}, ${principal.clientId}, app_private.ensure_user(${input.email}), ${input.role}, ${input.display_name ?? null})`),
    selectMembers(db, principal.clientId, eq(memberships.id, id)),
  ]);
  if (!rows[0]) throw new Error('member insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const changeRole: AppRouteHandler<typeof changeMemberRole> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const { role } = c.req.valid('json');
  const [guard, rows] = await c.var.tenant.run((db) => [
    guardedMembershipChange(db, principal.clientId, id, role),
    selectMembers(db, principal.clientId, eq(memberships.id, id)),
  ]);
  const result = guard.rows[0];
  if (!result || result.changed === 0) {
    // Setting the role a member already has is not an error.
    if (result?.target_role === role && rows[0] && (result.caller_is_owner || role !== 'owner')) return c.json(toApi(rows[0]), 200);
    throw refusal(result, role);
  }
  return c.json(toApi(rows[0]!), 200);
};

export const remove: AppRouteHandler<typeof removeMember> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [guard] = await c.var.tenant.run((db) => [guardedMembershipChange(db, principal.clientId, id, null)]);
  const result = guard.rows[0];
  if (!result || result.changed === 0) throw refusal(result, null);
  return c.body(null, 204);
};
