import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../helpers/api';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { useWalkthroughBrandRules, walkthroughBodies } from '../helpers/readme';

const bodies = walkthroughBodies();

const { create: fixture } = useTenantFixtures('eng');
let ids: FixtureIds;
beforeAll(async () => {
  ids = await fixture('walk');
  await useWalkthroughBrandRules(ids);
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
