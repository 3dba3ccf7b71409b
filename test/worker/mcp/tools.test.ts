import { beforeAll, describe, expect, it } from 'vitest';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { callTool, mcpClient } from '../../helpers/mcp';
import { useWalkthroughBrandRules, walkthroughBodies } from '../../helpers/readme';
import { countRoundTrips } from '../../helpers/round-trips';
import { dataDigest } from '../../helpers/rows';

const { create: fixture } = useTenantFixtures('mcp-tools');
let ids: FixtureIds;
beforeAll(async () => {
  ids = await fixture('a');
  await useWalkthroughBrandRules(ids);
});

/** One tool call through the official client, with the database round trips it cost. */
async function tool<T = Record<string, unknown>>(token: string, name: string, args: Record<string, unknown> = {}) {
  const client = await mcpClient(token);
  const { result, roundTrips } = await countRoundTrips(() => callTool<T>(client, name, args));
  await client.close();
  return { ...result, roundTrips };
}

describe('MCP tools: the README walkthrough through tools alone', () => {
  it('post → decision → reply (brand-checked) → approval queue → approved, one round trip per call', async () => {
    const [ingest, decision, refused, reply] = walkthroughBodies() as Record<string, unknown>[];
    const token = await tokenAs(ids, 'editor');

    const posts = await tool<{ posts: { id: string; status: string }[] }>(token, 'ingest_posts', ingest);
    expect(posts).toMatchObject({ isError: false, roundTrips: 1 });
    expect(posts.body.posts[0]!.status).toBe('inserted');
    expect(posts.structured).toEqual(posts.body);
    const postId = posts.body.posts[0]!.id;

    const decided = await tool<{ id: string; post_id: string }>(token, 'record_decision', { id: postId, ...decision });
    expect(decided).toMatchObject({ isError: false, roundTrips: 1, body: { post_id: postId } });

    const bad = await tool<{ code: string; status: number; errors: { message: string }[] }>(token, 'draft_reply', {
      id: decided.body.id,
      ...refused,
    });
    expect(bad).toMatchObject({ isError: true, roundTrips: 1, body: { status: 422, code: 'BRAND_RULES_VIOLATED' } });
    expect(bad.body.errors.map((e) => e.message)).toEqual(['Reply contains the prohibited claim "cure"']);

    const drafted = await tool<{ id: string; approval_status: string }>(token, 'draft_reply', { id: decided.body.id, ...reply });
    expect(drafted).toMatchObject({ isError: false, roundTrips: 1, body: { approval_status: 'pending' } });

    const queue = await tool<{ data: { id: string }[] }>(token, 'reply_queue', { limit: 100 });
    expect(queue).toMatchObject({ isError: false, roundTrips: 1 });
    expect(queue.body.data.map((r) => r.id)).toContain(drafted.body.id);

    const approved = await tool(token, 'approve_reply', { id: drafted.body.id });
    expect(approved).toMatchObject({ isError: false, roundTrips: 1, body: { approval_status: 'approved', approved_by: ids.users } });
    const again = await tool(token, 'approve_reply', { id: drafted.body.id });
    expect(again).toMatchObject({ isError: true, roundTrips: 1, body: { status: 409, code: 'INVALID_TRANSITION' } });
  });
});

describe('MCP tools: each tool is its REST operation', () => {
  it('marketing agent: brand kit, knowledge, skills, a run from queue to completion with an output, a failed run', async () => {
    const token = await tokenAs(ids, 'editor');
    expect(await tool(token, 'get_default_brand_kit')).toMatchObject({
      isError: false,
      roundTrips: 1,
      body: { id: ids.brand_kits, is_default: true, reply_signature: '—Antone (Vita)' },
    });
    const search = await tool<{ mode: string; data: unknown[] }>(token, 'search_knowledge', { mode: 'text', query: 'fixture' });
    expect(search).toMatchObject({ isError: false, roundTrips: 1, body: { mode: 'text' } });
    expect(Array.isArray(search.body.data)).toBe(true);
    const skills = await tool<{ data: { name: string }[] }>(token, 'find_skills', { q: 'please use the fixture skill' });
    expect(skills).toMatchObject({ isError: false, roundTrips: 1 });
    expect(skills.body.data.map((s) => s.name)).toContain('fixture-skill');

    const run = await tool<{ id: string; status: string }>(token, 'queue_run', { skill: 'fixture-skill', user_message: 'Write a tweet' });
    expect(run).toMatchObject({ isError: false, roundTrips: 1, body: { status: 'queued' } });
    expect(await tool(token, 'start_run', { id: run.body.id })).toMatchObject({ roundTrips: 1, body: { status: 'running' } });
    const output = await tool(token, 'store_output', { id: run.body.id, format: 'markdown', content: '# Tweet' });
    expect(output).toMatchObject({ isError: false, roundTrips: 1, body: { run_id: run.body.id, format: 'markdown' } });
    const done = await tool(token, 'complete_run', { id: run.body.id, tokens_input: 100, tokens_output: 250 });
    expect(done).toMatchObject({ isError: false, roundTrips: 1, body: { status: 'completed', tokens_input: 100 } });

    const other = await tool<{ id: string }>(token, 'queue_run', { skill_id: ids.skills, user_message: 'Another' });
    await tool(token, 'start_run', { id: other.body.id });
    expect(await tool(token, 'fail_run', { id: other.body.id, error_message: 'model timeout' })).toMatchObject({
      isError: false,
      roundTrips: 1,
      body: { status: 'failed', error_message: 'model timeout' },
    });
  });

  it('engagement bot: a post, a rejected reply, an escalation and its queue, KPIs and their series', async () => {
    const token = await tokenAs(ids, 'editor');
    expect(await tool(token, 'get_post', { id: ids.posts })).toMatchObject({ isError: false, roundTrips: 1, body: { id: ids.posts } });

    const decisionBody = walkthroughBodies()[1] as Record<string, unknown>;
    const decision = await tool<{ id: string }>(token, 'record_decision', { id: ids.posts, ...decisionBody });
    expect(decision.isError, JSON.stringify(decision.body)).toBe(false);
    const replyBody = walkthroughBodies()[3] as Record<string, unknown>;
    const reply = await tool<{ id: string }>(token, 'draft_reply', { id: decision.body.id, ...replyBody });
    expect(reply.isError, JSON.stringify(reply.body)).toBe(false);
    expect(await tool(token, 'reject_reply', { id: reply.body.id, reason: 'Off-brand tone' })).toMatchObject({
      isError: false,
      roundTrips: 1,
      body: { approval_status: 'rejected' },
    });

    const escalation = await tool<{ id: string }>(token, 'escalate_post', { post_id: ids.posts, reason: 'legal_risk', priority: 'urgent' });
    expect(escalation).toMatchObject({ isError: false, roundTrips: 1, body: { post_id: ids.posts, priority: 'urgent' } });
    const queue = await tool<{ data: { id: string }[] }>(token, 'escalation_queue');
    expect(queue).toMatchObject({ isError: false, roundTrips: 1 });
    expect(queue.body.data[0]!.id).toBe(escalation.body.id);

    const metrics = [
      { date: '2026-05-01', platform: 'twitter', metric_type: 'reach', metric_name: 'mcp-reach', value: 100 },
      { date: '2026-05-02', platform: 'twitter', metric_type: 'reach', metric_name: 'mcp-reach', value: 50 },
    ];
    expect(await tool(token, 'record_kpis', { metrics })).toMatchObject({ isError: false, roundTrips: 1 });
    const series = await tool<{ points: { value: number }[] }>(token, 'kpi_series', {
      metric_type: 'reach',
      metric_name: 'mcp-reach',
      from: '2026-05-01',
      to: '2026-05-31',
      platform: 'twitter',
      group_by: 'month',
    });
    expect(series, JSON.stringify(series.body)).toMatchObject({ isError: false, roundTrips: 1 });
    expect(JSON.stringify(series.body)).toContain('150');
  });
});

describe('MCP tools: refusals are tool errors with the REST problem details, and write nothing', () => {
  it('invalid arguments: the field errors of the REST answer, no database work, nothing written', async () => {
    const token = await tokenAs(ids, 'editor');
    const before = await dataDigest(ids.clients);
    const bad = await tool<{ code: string; errors: { path: string }[] }>(token, 'queue_run', { skill: 42 });
    expect(bad).toMatchObject({ isError: true, roundTrips: 0, body: { status: 422, code: 'VALIDATION_FAILED' } });
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(['body.skill', 'body.user_message']);

    const posts = await tool(token, 'ingest_posts', { platform: 'twitter', posts: [{ platform_post_id: 'x' }] });
    expect(posts).toMatchObject({ isError: true, roundTrips: 0, body: { code: 'VALIDATION_FAILED' } });
    const unknown = await tool<{ errors: { path: string }[] }>(token, 'get_post', { id: ids.posts, verbose: true });
    expect(unknown).toMatchObject({ isError: true, roundTrips: 0, body: { code: 'VALIDATION_FAILED', errors: [{ path: 'verbose' }] } });
    const noId = await tool(token, 'start_run', {});
    expect(noId).toMatchObject({ isError: true, roundTrips: 0, body: { status: 400, code: 'INVALID_REQUEST', errors: [{ path: 'param.id' }] } });
    const notUuid = await tool(token, 'approve_reply', { id: '../../v1/clients' });
    expect(notUuid).toMatchObject({ isError: true, roundTrips: 0, body: { status: 400, code: 'INVALID_REQUEST' } });
    const badQuery = await tool(token, 'reply_queue', { limit: 100000 });
    expect(badQuery).toMatchObject({ isError: true, roundTrips: 0, body: { status: 400, code: 'INVALID_REQUEST' } });
    expect(await dataDigest(ids.clients)).toEqual(before);
  });

  it('another tenant’s ids: not found, and neither tenant changes', async () => {
    const b = await fixture('b');
    const token = await tokenAs(ids, 'editor');
    const before = await dataDigest(ids.clients, b.clients);
    for (const [name, args, code] of [
      ['get_post', { id: b.posts }, 'POST_NOT_FOUND'],
      ['approve_reply', { id: b.replies }, 'REPLY_NOT_FOUND'],
      ['start_run', { id: b.runs }, 'RUN_NOT_FOUND'],
      ['store_output', { id: b.runs, format: 'markdown', content: 'x' }, 'RUN_NOT_FOUND'],
      ['record_decision', { id: b.posts, ...(walkthroughBodies()[1] as object) }, 'POST_NOT_FOUND'],
      ['draft_reply', { id: b.decisions, ...(walkthroughBodies()[3] as object) }, 'DECISION_NOT_FOUND'],
    ] as const) {
      const answer = await tool<{ status: number; code: string }>(token, name, args);
      expect(answer.isError, name).toBe(true);
      expect(answer.body, name).toMatchObject({ status: 404, code });
      expect(answer.roundTrips, name).toBe(1);
    }
    const escalation = await tool<{ status: number }>(token, 'escalate_post', { post_id: b.posts, reason: 'other' });
    expect(escalation.isError).toBe(true);
    expect([404, 422]).toContain(escalation.body.status);
    expect(await dataDigest(ids.clients, b.clients)).toEqual(before);

    // Positive control: the same calls as the owning tenant succeed.
    expect(await tool(await tokenAs(b, 'editor'), 'get_post', { id: b.posts })).toMatchObject({ isError: false, body: { id: b.posts } });
  });
});
