import { sql } from 'drizzle-orm';
import { asSystem } from './db';
import type { FixtureIds } from './fixtures';
// @ts-expect-error -- a Vite raw import: what the README shows is what is tested
import readme from '../../README.md?raw';

/** The README's section under the `## <title…>` heading (up to the next `## `). */
export function readmeSection(title: string): string {
  const text = readme as string;
  const start = text.indexOf(`## ${title}`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  return text.slice(start, text.indexOf('\n## ', start + 1));
}

/** The JSON bodies (`-d '…'`) of the README's walkthrough, in order. */
export const walkthroughBodies = (): unknown[] =>
  [...readmeSection('Walkthrough').matchAll(/-d '([^']*)'/g)].map((m) => JSON.parse(m[1]!) as unknown);

/** Gives a fixture's default brand kit the walkthrough's rules: the seeded client's (scripts/db/seed.ts, vita-wellness). */
export async function useWalkthroughBrandRules(ids: FixtureIds): Promise<void> {
  await asSystem(
    sql`update brand_kits set reply_signature = '—Antone (Vita)', prohibited_claims = '{cure,prevent,treat,clinically proven}'
        where id = ${ids.brand_kits}`,
  );
}
