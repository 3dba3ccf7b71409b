import { and, eq, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { clients, memberships, users } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import type { ClientSettings } from '../db/schema/clients';
import type { adminUpdateClient, createClient, getClient, listClients, me, updateClient } from './clients.routes';

const clientNotFound = () => new ApiError(404, 'CLIENT_NOT_FOUND', 'No such client.');
const noChanges = () =>
  new ApiError(422, 'VALIDATION_FAILED', 'Send at least one field to change.', { errors: [{ path: 'body', message: 'empty update' }] });

/** The settings given, merged into the stored ones key by key (a key left out keeps its value). */
const mergeSettings = (settings: ClientSettings | undefined) =>
  settings === undefined ? {} : { settings: sql`${clients.settings} || ${JSON.stringify(settings)}::jsonb` };

export const getMe: AppRouteHandler<typeof me> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const [rows] = await c.var.tenant.run(
    (db) => [db.select({ id: clients.id, name: clients.name, slug: clients.slug }).from(clients).where(eq(clients.id, principal.clientId))],
    { readOnly: true },
  );
  const client = rows[0];
  if (!client) throw clientNotFound();
  // The role the caller acts with now: the token's, narrowed by the current membership or key.
  const role = c.var.tenant.actingRole() ?? principal.role;
  return c.json({ subject: principal.subject, kind: principal.kind, role, client }, 200);
};

export const get: AppRouteHandler<typeof getClient> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const [rows] = await c.var.tenant.run((db) => [db.select().from(clients).where(eq(clients.id, principal.clientId))], {
    readOnly: true,
  });
  if (!rows[0]) throw clientNotFound();
  return c.json(toApi(rows[0]), 200);
};

export const update: AppRouteHandler<typeof updateClient> = async (c) => {
  const principal = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  if (Object.keys(input).length === 0) throw noChanges();
  const [rows] = await c.var.tenant.run((db) => [
    db
      .update(clients)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...mergeSettings(input.settings),
      })
      .where(eq(clients.id, principal.clientId))
      .returning(),
  ]);
  if (!rows[0]) throw clientNotFound();
  return c.json(toApi(rows[0]), 200);
};

export const create: AppRouteHandler<typeof createClient> = async (c) => {
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const [created, , owner] = await c.var.system.run((db) => [
    db
      .insert(clients)
      .values({
        id,
        name: input.name,
        slug: input.slug,
        description: input.description ?? null,
        settings: input.settings ?? {},
        storagePrefix: `clients/${input.slug}/`,
      })
      .returning(),
    db.execute(sql`
      insert into memberships (client_id, user_id, role, display_name)
      values (${id}, app_private.ensure_user(${input.owner.email}), 'owner', ${input.owner.display_name ?? null})`),
    // A later statement of the batch sees the user ensure_user may have created (a CTE would not).
    db
      .select({ userId: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.clientId, id)),
  ]);
  const client = created[0];
  const ownerRow = owner[0];
  if (!client || !ownerRow) throw new Error('client creation returned no rows');
  return c.json({ client: toApi(client), owner: { user_id: ownerRow.userId, email: ownerRow.email } }, 201);
};

export const list: AppRouteHandler<typeof listClients> = async (c) => {
  const query = c.req.valid('query');
  const page = keyset(clients.createdAt, clients.id, query.cursor);
  const [rows] = await c.var.system.run(
    (db) => [
      db
        .select()
        .from(clients)
        .where(and(page.where, query.is_active === undefined ? undefined : eq(clients.isActive, query.is_active)))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const adminUpdate: AppRouteHandler<typeof adminUpdateClient> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  if (Object.keys(input).length === 0) throw noChanges();
  const [rows] = await c.var.system.run((db) => [
    db
      .update(clients)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.is_active !== undefined ? { isActive: input.is_active } : {}),
        ...mergeSettings(input.settings),
      })
      .where(eq(clients.id, id))
      .returning(),
  ]);
  if (!rows[0]) throw clientNotFound();
  return c.json(toApi(rows[0]), 200);
};
