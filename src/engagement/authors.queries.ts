import { sql, type SQL } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { AuthorInputSchema } from './authors.schemas';

export type AuthorInput = z.infer<typeof AuthorInputSchema>;

/** One entry per platform id, the last one sent winning (an upsert cannot touch a row twice). */
export function distinctAuthors(authors: AuthorInput[]): AuthorInput[] {
  const byId = new Map<string, AuthorInput>();
  for (const author of authors) {
    byId.delete(author.platform_id);
    byId.set(author.platform_id, author);
  }
  return [...byId.values()];
}

/**
 * CTEs `author_input` and `upserted_authors` (id, platform_id, inserted) for a WITH clause: the
 * authors are inserted or, when (client, platform, platform_id) exists, refreshed — handle always,
 * display name / follower count / verified when sent — keeping first_seen_at and moving
 * last_seen_at. One statement, so concurrent batches cannot insert the same author twice.
 *
 * The batch is one JSON object keyed by platform id (`author_input.sent`). A conflicting row finds
 * what was sent for it with `->` (a binary search of the object's keys): looking it up in a
 * table of the batch would scan the batch once per row, and a thousand known authors would cost
 * a million comparisons. A field not sent is absent (the input schema admits no null), `->>` of
 * an absent key is null, and the stored value stays.
 */
export function upsertAuthorsCte(clientId: string, platform: string, authors: AuthorInput[]): SQL {
  const byId = Object.fromEntries(distinctAuthors(authors).map(({ platform_id, ...fields }) => [platform_id, fields]));
  const sent = (field: string, type: string) =>
    sql.raw(`((select s.sent from author_input s) -> excluded.platform_id ->> '${field}')::${type}`);
  return sql`
    author_input as (
      select ${JSON.stringify(byId)}::jsonb as sent
    ),
    upserted_authors as (
      insert into authors as a (client_id, platform, platform_id, handle, display_name, follower_count, is_verified)
      select ${clientId}::uuid, ${platform}::platform, e.key, i.handle, i.display_name,
             coalesce(i.follower_count, 0), coalesce(i.is_verified, false)
      from author_input s, jsonb_each(s.sent) as e,
           jsonb_to_record(e.value) as i(handle text, display_name text, follower_count int, is_verified boolean)
      on conflict (client_id, platform, platform_id) do update set
        handle = excluded.handle,
        display_name = coalesce(excluded.display_name, a.display_name),
        follower_count = coalesce(${sent('follower_count', 'int')}, a.follower_count),
        is_verified = coalesce(${sent('is_verified', 'boolean')}, a.is_verified),
        last_seen_at = greatest(a.last_seen_at, now())
      returning a.id, a.platform_id, (a.xmax = 0) as inserted
    )`;
}
