import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a Vite raw import: the walkthrough's own request bodies are what is tested
import readme from '../../README.md?raw';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';

/** The README's walkthrough section. */
const walkthrough = (() => {
  const text = readme as string;
  const start = text.indexOf('## Walkthrough');
  return text.slice(start, text.indexOf('\n## ', start + 1));
})();

/** The JSON bodies (`-d '…'`) of the walkthrough, in order. */
const bodies = [...walkthrough.matchAll(/-d '([^']*)'/g)].map((m) => JSON.parse(m[1]!) as unknown);

const { create: fixture } = useTenantFixtures('eng');
let ids: FixtureIds;
beforeAll(async () => {
  ids = await fixture('walk');
  // The seeded client's brand rules (scripts/db/seed.ts, vita-wellness).
  await asSystem(
    sql`update brand_kits set reply_signature = '—Antone (Vita)', prohibited_claims = '{cure,prevent,treat,clinically proven}'
        where id = ${ids.brand_kits}`,
  );
});

describe('the README walkthrough', () => {
  it('its requests work as described: detected post → decision → drafted reply → approved → posted', async () => {
    expect(bodies).toHaveLength(6);
    const [ingest, decision, refused, reply, posted, metrics] = bodies;
    const token = await tokenAs(ids, 'owner');
    const send = (path: string, body?: unknown) => call('POST', path, { token, body });

    const first = await json<{ posts: { id: string; status: string }[] }>(await send('/v1/posts/bulk', ingest));
    const postId = first.posts[0]!.id;
    expect(first.posts[0]!.status).toBe('inserted');
    const again = await json<{ posts: { id: string; status: string }[] }>(await send('/v1/posts/bulk', ingest));
    expect(again.posts[0]).toEqual({ ...first.posts[0], status: 'duplicate' });

    const decided = await send(`/v1/posts/${postId}/decisions`, decision);
    expect(decided.status, await decided.clone().text()).toBe(201);
    const decisionId = (await json<{ id: string }>(decided)).id;

    const problem = await expectProblem(await send(`/v1/decisions/${decisionId}/replies`, refused), 422, 'BRAND_RULES_VIOLATED');
    expect((problem.errors as { message: string }[]).map((e) => e.message)).toEqual(['Reply contains the prohibited claim "cure"']);
    const drafted = await send(`/v1/decisions/${decisionId}/replies`, reply);
    expect(drafted.status, await drafted.clone().text()).toBe(201);
    const replyId = (await json<{ id: string }>(drafted)).id;
    const queue = await json<{ data: { id: string }[] }>(await call('GET', '/v1/replies/queue?limit=100', { token }));
    expect(queue.data.map((r) => r.id)).toContain(replyId);

    const approved = await json<Record<string, unknown>>(await send(`/v1/replies/${replyId}/approve`));
    expect(approved).toMatchObject({ approval_status: 'approved', approved_by: ids.users });
    await expectProblem(await send(`/v1/replies/${replyId}/approve`), 409, 'INVALID_TRANSITION');

    expect(await json<Record<string, unknown>>(await send(`/v1/replies/${replyId}/posted`, posted))).toMatchObject({ approval_status: 'posted' });
    const measured = await json<{ metrics: Record<string, unknown> }>(await send(`/v1/replies/${replyId}/metrics`, metrics));
    expect(measured.metrics).toMatchObject({ likes: 12, replies: 2 });

    const story = await json<{ author: { handle: string }; decisions: unknown[]; replies: { approval_status: string }[] }>(
      await call('GET', `/v1/posts/${postId}`, { token }),
    );
    expect(story.author.handle).toBe('sleepy_sam');
    expect(story.decisions).toHaveLength(1);
    expect(story.replies.map((r) => r.approval_status)).toEqual(['posted']);
  });
});
