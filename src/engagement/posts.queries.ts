import { sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { Database } from '../db/client';
import { upsertAuthorsCte } from './authors.queries';
import type { BulkPostsSchema } from './posts.schemas';

type BulkPosts = z.infer<typeof BulkPostsSchema>;

export type IngestSummary = {
  inserted_posts: { id: string; platform_post_id: string }[] | null;
  authors_inserted: number;
  authors_updated: number;
};

/**
 * Bulk ingest in ONE statement: the batch's authors are upserted, then its posts inserted with
 * their author ids; a post whose (client, platform, platform_post_id) exists — stored earlier
 * or earlier in the same batch — is left exactly as it is (first write wins: the decision was
 * scored on what was first detected, and its processing state must not be reset).
 */
export function ingestPosts(db: Database, clientId: string, input: BulkPosts) {
  const rows = input.posts.map((p, ord) => ({
    ord,
    platform_post_id: p.platform_post_id,
    author_platform_id: p.author.platform_id,
    content: p.content,
    detected_at: p.detected_at ?? null,
    keyword_matches: p.keyword_matches,
    keyword_categories: p.keyword_categories ?? [],
    spam_filtered: p.spam_filtered ?? false,
    raw_metrics: p.raw_metrics ?? {},
  }));
  return db.execute<IngestSummary>(sql`
    with ${upsertAuthorsCte(clientId, input.platform, input.posts.map((p) => p.author))},
    post_input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as p(
        ord int, platform_post_id text, author_platform_id text, content text, detected_at timestamptz,
        keyword_matches text[], keyword_categories text[], spam_filtered boolean, raw_metrics jsonb)
    ),
    inserted_posts as (
      insert into posts (client_id, platform, platform_post_id, author_id, content, detected_at,
                         keyword_matches, keyword_categories, spam_filtered, raw_metrics)
      select ${clientId}::uuid, ${input.platform}::platform, p.platform_post_id, a.id, p.content,
             date_trunc('milliseconds', coalesce(p.detected_at, now())),
             p.keyword_matches, p.keyword_categories, p.spam_filtered, p.raw_metrics
      from post_input p join upserted_authors a on a.platform_id = p.author_platform_id
      order by p.ord
      on conflict (client_id, platform, platform_post_id) do nothing
      returning id, platform_post_id
    )
    select (select json_agg(json_build_object('id', id, 'platform_post_id', platform_post_id)) from inserted_posts) as inserted_posts,
           (select count(*)::int from upserted_authors where inserted) as authors_inserted,
           (select count(*)::int from upserted_authors where not inserted) as authors_updated`);
}

/** The ids of a batch's posts, read after the ingest statement (in the same transaction). */
export function batchPostIds(db: Database, clientId: string, input: BulkPosts) {
  const ids = JSON.stringify(input.posts.map((p) => p.platform_post_id));
  return db.execute<{ id: string; platform_post_id: string }>(sql`
    select id, platform_post_id from posts
    where client_id = ${clientId}::uuid and platform = ${input.platform}::platform
      and platform_post_id in (select jsonb_array_elements_text(${ids}::jsonb))`);
}
