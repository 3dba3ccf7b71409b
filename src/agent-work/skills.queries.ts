import { or, sql } from 'drizzle-orm';
import { skills } from '../db/schema';

/**
 * Skills a text names: it contains a trigger keyword (a user message naming the task), a keyword
 * contains it, or the name or description does. `GET /v1/skills?q=` and the chat receivers
 * (src/channels) choose skills with it.
 */
export function skillMatches(q: string) {
  const needle = q.toLowerCase();
  return or(
    sql`exists (select 1 from unnest(${skills.triggerKeywords}) as k(keyword)
                where length(k.keyword) > 0
                  and (position(lower(k.keyword) in ${needle}::text) > 0 or position(${needle}::text in lower(k.keyword)) > 0))`,
    sql`position(${needle}::text in lower(${skills.name})) > 0`,
    sql`position(${needle}::text in lower(${skills.description})) > 0`,
  );
}
