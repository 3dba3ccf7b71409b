import { and, arrayContains, desc, eq, getTableColumns, isNotNull, isNull, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { authors, competitiveMentions, competitors, decisions, posts, replies } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { capped, inTimeRange, keyset, MAX_EMBEDDED_ITEMS, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import { mayRead } from '../lib/visibility';
import { batchPostIds, ingestPosts } from './posts.queries';
import type { bulkIngestPosts, getPost, listPosts, markPostProcessed, recordPostError } from './posts.routes';

const notFound = () => new ApiError(404, 'POST_NOT_FOUND', 'No such post in this client.');

export const bulkIngest: AppRouteHandler<typeof bulkIngestPosts> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [summary, stored] = await c.var.tenant.run((db) => [ingestPosts(db, clientId, input), batchPostIds(db, clientId, input)]);
  const result = summary.rows[0];
  const inserted = new Set((result?.inserted_posts ?? []).map((p) => p.platform_post_id));
  const ids = new Map(stored.rows.map((r) => [r.platform_post_id, r.id]));
  const reported = new Set<string>();
  const batch = input.posts.map((p) => {
    // The first occurrence of a platform_post_id is the one inserted; repeats are duplicates.
    const status = inserted.has(p.platform_post_id) && !reported.has(p.platform_post_id) ? ('inserted' as const) : ('duplicate' as const);
    reported.add(p.platform_post_id);
    const id = ids.get(p.platform_post_id);
    if (!id) throw new Error(`ingested post ${p.platform_post_id} not found`);
    return { id, platform_post_id: p.platform_post_id, status };
  });
  return c.json(
    {
      inserted: inserted.size,
      duplicates: batch.length - inserted.size,
      authors_inserted: result?.authors_inserted ?? 0,
      authors_updated: result?.authors_updated ?? 0,
      posts: batch,
    },
    200,
  );
};

export const list: AppRouteHandler<typeof listPosts> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(posts.detectedAt, posts.id, query.cursor);
  const processed = query.processed === undefined ? undefined : query.processed ? isNotNull(posts.processedAt) : isNull(posts.processedAt);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(posts)
        .where(
          and(
            eq(posts.clientId, clientId),
            query.platform ? eq(posts.platform, query.platform) : undefined,
            inTimeRange(posts.detectedAt, query.detected_after, query.detected_before),
            processed,
            query.keyword_category ? arrayContains(posts.keywordCategories, [query.keyword_category]) : undefined,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, (r) => [r.detectedAt, r.id], toApi), 200);
};

export const get: AppRouteHandler<typeof getPost> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  // A caller that may not read competitors (`service`) gets each mention with its competitor's id
  // and no name: the name is not even selected.
  const competitorName = mayRead(c.var.principal, 'competitors') ? competitors.name : sql<string | null>`null`;
  const thisPost = and(eq(posts.id, id), eq(posts.clientId, clientId));
  const [found, author, decided, replied, mentions] = await c.var.tenant.run(
    (db) => [
      db.select().from(posts).where(thisPost),
      db
        .select(getTableColumns(authors))
        .from(authors)
        .innerJoin(posts, and(eq(posts.authorId, authors.id), eq(posts.clientId, authors.clientId)))
        .where(thisPost),
      db
        .select()
        .from(decisions)
        .where(and(eq(decisions.postId, id), eq(decisions.clientId, clientId)))
        .orderBy(desc(decisions.createdAt), desc(decisions.id))
        .limit(MAX_EMBEDDED_ITEMS + 1),
      db
        .select(getTableColumns(replies))
        .from(replies)
        .innerJoin(decisions, and(eq(decisions.id, replies.decisionId), eq(decisions.clientId, replies.clientId)))
        .where(and(eq(decisions.postId, id), eq(replies.clientId, clientId)))
        .orderBy(desc(replies.createdAt), desc(replies.id))
        .limit(MAX_EMBEDDED_ITEMS + 1),
      db
        .select({
          id: competitiveMentions.id,
          competitorId: competitiveMentions.competitorId,
          competitorName,
          sentiment: competitiveMentions.sentiment,
          satisfaction: competitiveMentions.satisfaction,
          opportunityScore: competitiveMentions.opportunityScore,
          replied: competitiveMentions.replied,
          createdAt: competitiveMentions.createdAt,
        })
        .from(competitiveMentions)
        .innerJoin(
          competitors,
          and(eq(competitors.id, competitiveMentions.competitorId), eq(competitors.clientId, competitiveMentions.clientId)),
        )
        .where(and(eq(competitiveMentions.postId, id), eq(competitiveMentions.clientId, clientId)))
        .orderBy(desc(competitiveMentions.createdAt), desc(competitiveMentions.id))
        .limit(MAX_EMBEDDED_ITEMS + 1),
    ],
    { readOnly: true },
  );
  if (!found[0] || !author[0]) throw notFound();
  const [d, r, m] = [capped(decided, toApi), capped(replied, toApi), capped(mentions, toApi)];
  return c.json(
    {
      ...toApi(found[0]),
      author: toApi(author[0]),
      decisions: d.items,
      has_more_decisions: d.hasMore,
      replies: r.items,
      has_more_replies: r.hasMore,
      competitive_mentions: m.items,
      has_more_competitive_mentions: m.hasMore,
    },
    200,
  );
};

export const markProcessed: AppRouteHandler<typeof markPostProcessed> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const thisPost = and(eq(posts.id, id), eq(posts.clientId, clientId));
  // Only an unprocessed post is written (a retry changes nothing, not even updated_at).
  const [, rows] = await c.var.tenant.run((db) => [
    db.update(posts).set({ processedAt: sql`date_trunc('milliseconds', now())` }).where(and(thisPost, isNull(posts.processedAt))),
    db.select().from(posts).where(thisPost),
  ]);
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

export const recordError: AppRouteHandler<typeof recordPostError> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const { error_message } = c.req.valid('json');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .update(posts)
      .set({ errorCount: sql`${posts.errorCount} + 1`, errorMessage: error_message })
      .where(and(eq(posts.id, id), eq(posts.clientId, clientId)))
      .returning(),
  ]);
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};
