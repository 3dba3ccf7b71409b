import { and, desc, eq, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { authors, posts } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { upsertAuthorsCte } from './authors.queries';
import type { bulkUpsertAuthors, getAuthor, listAuthors, updateAuthor } from './authors.routes';

export const RECENT_POSTS = 10;

const notFound = () => new ApiError(404, 'AUTHOR_NOT_FOUND', 'No such author in this client.');

export const bulkUpsert: AppRouteHandler<typeof bulkUpsertAuthors> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [result] = await c.var.tenant.run((db) => [
    db.execute<{ id: string; platform_id: string; inserted: boolean }>(
      sql`with ${upsertAuthorsCte(clientId, input.platform, input.authors)} select id, platform_id, inserted from upserted_authors`,
    ),
  ]);
  const rows = result.rows;
  const inserted = rows.filter((r) => r.inserted).length;
  const byId = new Map(rows.map((r) => [r.platform_id, r]));
  const seen = new Set<string>();
  const ordered = input.authors
    .filter((a) => !seen.has(a.platform_id) && seen.add(a.platform_id))
    .map((a) => byId.get(a.platform_id)!)
    .map((r) => ({ id: r.id, platform_id: r.platform_id, status: r.inserted ? ('inserted' as const) : ('updated' as const) }));
  return c.json({ inserted, updated: rows.length - inserted, authors: ordered }, 200);
};

export const list: AppRouteHandler<typeof listAuthors> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(authors.createdAt, authors.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(authors)
        .where(
          and(
            eq(authors.clientId, clientId),
            query.platform ? eq(authors.platform, query.platform) : undefined,
            query.is_power_user !== undefined ? eq(authors.isPowerUser, query.is_power_user) : undefined,
            query.power_tier ? eq(authors.powerTier, query.power_tier) : undefined,
            query.handle_prefix ? sql`starts_with(lower(${authors.handle}), lower(${query.handle_prefix}))` : undefined,
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

export const get: AppRouteHandler<typeof getAuthor> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [found, recent] = await c.var.tenant.run(
    (db) => [
      db.select().from(authors).where(and(eq(authors.id, id), eq(authors.clientId, clientId))),
      db
        .select()
        .from(posts)
        .where(and(eq(posts.authorId, id), eq(posts.clientId, clientId)))
        .orderBy(desc(posts.detectedAt), desc(posts.id))
        .limit(RECENT_POSTS),
    ],
    { readOnly: true },
  );
  if (!found[0]) throw notFound();
  return c.json({ ...toApi(found[0]), recent_posts: recent.map(toApi) }, 200);
};

export const update: AppRouteHandler<typeof updateAuthor> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const changes = {
    ...(input.relationship_score !== undefined ? { relationshipScore: input.relationship_score } : {}),
    ...(input.archetype_tags !== undefined ? { archetypeTags: input.archetype_tags } : {}),
    ...(input.power_tier !== undefined ? { powerTier: input.power_tier } : {}),
    ...(input.is_power_user !== undefined ? { isPowerUser: input.is_power_user } : {}),
  };
  const match = and(eq(authors.id, id), eq(authors.clientId, clientId));
  // An empty PATCH changes nothing, not even updated_at: it reads the author back.
  const [rows] = Object.keys(changes).length
    ? await c.var.tenant.run((db) => [db.update(authors).set(changes).where(match).returning()])
    : await c.var.tenant.run((db) => [db.select().from(authors).where(match)], { readOnly: true });
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};
