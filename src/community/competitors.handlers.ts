import { and, eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { tenantPrincipal } from '../auth/principal';
import { competitors } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import type { createCompetitor, deleteCompetitor, getCompetitor, listCompetitors, updateCompetitor } from './competitors.routes';
import type { UpdateCompetitorSchema } from './competitors.schemas';
import { onConstraint } from '../db/errors';

const notFound = () => new ApiError(404, 'COMPETITOR_NOT_FOUND', 'No such competitor in this client.');
const nameTaken = { competitors_client_id_name_key: () => new ApiError(409, 'COMPETITOR_NAME_TAKEN', 'This client already tracks a competitor with that name.') };

function columns(input: z.infer<typeof UpdateCompetitorSchema>) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.category !== undefined ? { category: input.category } : {}),
    ...(input.primary_mechanism !== undefined ? { primaryMechanism: input.primary_mechanism } : {}),
    ...(input.price_point !== undefined ? { pricePoint: input.price_point } : {}),
    ...(input.brand_keywords !== undefined ? { brandKeywords: input.brand_keywords } : {}),
  };
}

export const list: AppRouteHandler<typeof listCompetitors> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(competitors.createdAt, competitors.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(competitors)
        .where(
          and(
            eq(competitors.clientId, clientId),
            query.category ? eq(competitors.category, query.category) : undefined,
            query.price_point ? eq(competitors.pricePoint, query.price_point) : undefined,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const create: AppRouteHandler<typeof createCompetitor> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [rows] = await onConstraint(
    c.var.tenant.run((db) => [
      db
        .insert(competitors)
        .values({ clientId, ...columns(input), name: input.name, category: input.category })
        .returning(),
    ]),
    nameTaken,
  );
  if (!rows[0]) throw new Error('competitor insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const get: AppRouteHandler<typeof getCompetitor> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(competitors).where(and(eq(competitors.id, id), eq(competitors.clientId, clientId)))],
    { readOnly: true },
  );
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

export const update: AppRouteHandler<typeof updateCompetitor> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const changes = columns(c.req.valid('json'));
  const match = and(eq(competitors.id, id), eq(competitors.clientId, clientId));
  // An empty PATCH changes nothing (not even updated_at): it reads the competitor back.
  const [rows] = Object.keys(changes).length
    ? await onConstraint(c.var.tenant.run((db) => [db.update(competitors).set(changes).where(match).returning()]), nameTaken)
    : await c.var.tenant.run((db) => [db.select().from(competitors).where(match)], { readOnly: true });
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

export const remove: AppRouteHandler<typeof deleteCompetitor> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .delete(competitors)
      .where(and(eq(competitors.id, id), eq(competitors.clientId, clientId)))
      .returning({ id: competitors.id }),
  ]);
  if (!rows[0]) throw notFound();
  return c.body(null, 204);
};
