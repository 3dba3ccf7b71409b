import { and, eq, gte } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { competitiveMentions } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, orderedKeyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { onConstraint } from '../db/errors';
import type { createCompetitiveMention, listCompetitiveMentions } from './mentions.routes';

const references = {
  competitive_mentions_post_id_fkey: () =>
    new ApiError(404, 'POST_NOT_FOUND', 'No such post in this client.', { errors: [{ path: 'body.post_id', message: 'no such post' }] }),
  competitive_mentions_competitor_id_fkey: () =>
    new ApiError(404, 'COMPETITOR_NOT_FOUND', 'No such competitor in this client.', {
      errors: [{ path: 'body.competitor_id', message: 'no such competitor' }],
    }),
};

export const create: AppRouteHandler<typeof createCompetitiveMention> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [rows] = await onConstraint(
    c.var.tenant.run((db) => [
      db
        .insert(competitiveMentions)
        .values({
          clientId,
          postId: input.post_id,
          competitorId: input.competitor_id,
          sentiment: input.sentiment,
          ...(input.satisfaction !== undefined ? { satisfaction: input.satisfaction } : {}),
          opportunityScore: input.opportunity_score,
          ...(input.replied !== undefined ? { replied: input.replied } : {}),
        })
        .returning(),
    ]),
    references,
  );
  if (!rows[0]) throw new Error('competitive mention insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const list: AppRouteHandler<typeof listCompetitiveMentions> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const filters = and(
    eq(competitiveMentions.clientId, clientId),
    query.competitor_id ? eq(competitiveMentions.competitorId, query.competitor_id) : undefined,
    query.post_id ? eq(competitiveMentions.postId, query.post_id) : undefined,
    query.sentiment ? eq(competitiveMentions.sentiment, query.sentiment) : undefined,
    query.replied === undefined ? undefined : eq(competitiveMentions.replied, query.replied),
    query.min_opportunity_score !== undefined ? gte(competitiveMentions.opportunityScore, query.min_opportunity_score) : undefined,
  );
  if (query.order === 'created') {
    const page = keyset(competitiveMentions.createdAt, competitiveMentions.id, query.cursor);
    const [rows] = await c.var.tenant.run(
      (db) => [db.select().from(competitiveMentions).where(and(filters, page.where)).orderBy(...page.orderBy).limit(query.limit + 1)],
      { readOnly: true },
    );
    return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
  }
  const page = orderedKeyset(
    [
      { column: competitiveMentions.opportunityScore, direction: 'desc' },
      { column: competitiveMentions.id, direction: 'desc' },
    ],
    query.cursor,
  );
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(competitiveMentions).where(and(filters, page.where)).orderBy(...page.orderBy).limit(query.limit + 1)],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, (r) => [r.opportunityScore, r.id], toApi), 200);
};
