import { and, eq, exists, ne } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import type { Database } from '../db/client';
import { brandKits } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import type {
  createBrandKit,
  deleteBrandKit,
  getBrandKit,
  getDefaultBrandKit,
  listBrandKits,
  makeDefaultBrandKit,
  updateBrandKit,
} from './brand-kits.routes';
import type { CreateBrandKitSchema } from './brand-kits.schemas';
import type { z } from '@hono/zod-openapi';

const notFound = () => new ApiError(404, 'BRAND_KIT_NOT_FOUND', 'No such brand kit in this client.');

type Editable = Partial<z.infer<typeof CreateBrandKitSchema>>;

function columns(input: Editable) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.tone !== undefined ? { tone: input.tone } : {}),
    ...(input.colors !== undefined ? { colors: input.colors } : {}),
    ...(input.logo_refs !== undefined ? { logoRefs: input.logo_refs } : {}),
    ...(input.fonts !== undefined ? { fonts: input.fonts } : {}),
    ...(input.reply_signature !== undefined ? { replySignature: input.reply_signature } : {}),
    ...(input.prohibited_claims !== undefined ? { prohibitedClaims: input.prohibited_claims } : {}),
    ...(input.is_active !== undefined ? { isActive: input.is_active } : {}),
  };
}

/**
 * Unsets the current default, but only if `newDefaultId` is a kit of this client: the statement
 * that sets the new default follows in the same transaction (two statements, because a unique
 * index is checked row by row, not at the end of a statement).
 */
function unsetDefaultFor(db: Database, clientId: string, newDefaultId: string, newRowExists: 'existing' | 'inserted') {
  const target = db
    .select({ id: brandKits.id })
    .from(brandKits)
    .where(and(eq(brandKits.id, newDefaultId), eq(brandKits.clientId, clientId)));
  return db
    .update(brandKits)
    .set({ isDefault: false })
    .where(
      and(
        eq(brandKits.clientId, clientId),
        eq(brandKits.isDefault, true),
        ne(brandKits.id, newDefaultId),
        newRowExists === 'existing' ? exists(target) : undefined,
      ),
    );
}

export const list: AppRouteHandler<typeof listBrandKits> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(brandKits.createdAt, brandKits.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(brandKits)
        .where(and(eq(brandKits.clientId, clientId), page.where))
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const create: AppRouteHandler<typeof createBrandKit> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  const insert = (db: Database) =>
    db
      .insert(brandKits)
      .values({ id, clientId, name: input.name, tone: input.tone, colors: input.colors, ...columns(input), isDefault: input.is_default ?? false })
      .returning();
  const rows = input.is_default
    ? (await c.var.tenant.run((db) => [unsetDefaultFor(db, clientId, id, 'inserted'), insert(db)]))[1]
    : (await c.var.tenant.run((db) => [insert(db)]))[0];
  if (!rows[0]) throw new Error('brand kit insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const getDefault: AppRouteHandler<typeof getDefaultBrandKit> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(brandKits).where(and(eq(brandKits.clientId, clientId), eq(brandKits.isDefault, true)))],
    { readOnly: true },
  );
  if (!rows[0]) throw new ApiError(404, 'NO_DEFAULT_BRAND_KIT', 'This client has no default brand kit.');
  return c.json(toApi(rows[0]), 200);
};

export const get: AppRouteHandler<typeof getBrandKit> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(brandKits).where(and(eq(brandKits.id, id), eq(brandKits.clientId, clientId)))],
    { readOnly: true },
  );
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

export const update: AppRouteHandler<typeof updateBrandKit> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const changes = columns(c.req.valid('json'));
  const match = and(eq(brandKits.id, id), eq(brandKits.clientId, clientId));
  // An empty PATCH changes nothing, not even updated_at: it only reads the kit back.
  const [rows] = Object.keys(changes).length
    ? await c.var.tenant.run((db) => [db.update(brandKits).set(changes).where(match).returning()])
    : await c.var.tenant.run((db) => [db.select().from(brandKits).where(match)], { readOnly: true });
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

export const remove: AppRouteHandler<typeof deleteBrandKit> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .delete(brandKits)
      .where(and(eq(brandKits.id, id), eq(brandKits.clientId, clientId)))
      .returning({ id: brandKits.id }),
  ]);
  if (!rows[0]) throw notFound();
  return c.body(null, 204);
};

export const makeDefault: AppRouteHandler<typeof makeDefaultBrandKit> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [, rows] = await c.var.tenant.run((db) => [
    unsetDefaultFor(db, clientId, id, 'existing'),
    db
      .update(brandKits)
      .set({ isDefault: true })
      .where(and(eq(brandKits.id, id), eq(brandKits.clientId, clientId)))
      .returning(),
  ]);
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};
