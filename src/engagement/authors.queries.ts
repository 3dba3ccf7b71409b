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
 */
export function upsertAuthorsCte(clientId: string, platform: string, authors: AuthorInput[]): SQL {
  const input = JSON.stringify(distinctAuthors(authors));
  const sent = (column: string) =>
    sql.raw(`(select i.${column} from author_input i where i.platform_id = excluded.platform_id)`);
  return sql`
    author_input as (
      select * from jsonb_to_recordset(${input}::jsonb)
        as i(platform_id text, handle text, display_name text, follower_count int, is_verified boolean)
    ),
    upserted_authors as (
      insert into authors as a (client_id, platform, platform_id, handle, display_name, follower_count, is_verified)
      select ${clientId}::uuid, ${platform}::platform, i.platform_id, i.handle, i.display_name,
             coalesce(i.follower_count, 0), coalesce(i.is_verified, false)
      from author_input i
      on conflict (client_id, platform, platform_id) do update set
        handle = excluded.handle,
        display_name = coalesce(${sent('display_name')}, a.display_name),
        follower_count = coalesce(${sent('follower_count')}, a.follower_count),
        is_verified = coalesce(${sent('is_verified')}, a.is_verified),
        last_seen_at = greatest(a.last_seen_at, now())
      returning a.id, a.platform_id, (a.xmax = 0) as inserted
    )`;
}
