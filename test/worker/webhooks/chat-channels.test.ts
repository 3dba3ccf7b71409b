import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../../helpers/api';
import { databaseDigest } from '../../helpers/database-digest';
import { asSystem } from '../../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { expectProblem } from '../../helpers/problem';
import { countRoundTrips } from '../../helpers/round-trips';
import { slackHeaders, telegramHeaders } from '../security/routes/webhooks';

/**
 * The chat receivers and linking, tried as an attacker would: a refusal writes nothing anywhere
 * (the whole database's digest) and costs the stated round trips; an accepted delivery costs one.
 */

const fixtures = useTenantFixtures('chat');
let a: FixtureIds;
let b: FixtureIds;
const keyword = `chatkw${fixtures.run}`;

beforeAll(async () => {
  a = await fixtures.create('a');
  b = await fixtures.create('b');
  await asSystem(
    sql`insert into skills (name, description, type, storage_key, trigger_keywords)
        values (${`chat-skill-${fixtures.run}`}, 'Chat test skill', 'simple', 'skills/chat/', ${`{${keyword}}`}::text[])
        on conflict (name) do nothing`,
  );
});

interface Result {
  ok: boolean;
  duplicate: boolean;
  outcome: string | null;
}

const sender = () => Math.floor(Math.random() * 2 ** 40);
const updateId = () => Math.floor(Math.random() * 2 ** 40);
const telegram = (body: unknown, headers: Record<string, string> = telegramHeaders()) =>
  call('POST', '/hooks/telegram', { rawBody: JSON.stringify(body), headers });
const textUpdate = (from: number, text: string, id = updateId()) => ({ update_id: id, message: { from: { id: from }, chat: { id: from }, text } });

async function linkCode(ids: FixtureIds, user = ids.users): Promise<string> {
  const response = await call('POST', '/v1/me/channel-links', { token: await tokenAs(ids, 'viewer', user) });
  expect(response.status).toBe(201);
  return (await json<{ code: string }>(response)).code;
}

/** `send` answers `status` (`code`), costs `trips` round trips and changes nothing. */
async function expectNothingWritten(send: () => Promise<Response>, status: number, code: string | null, trips: number) {
  const before = await databaseDigest();
  const { result, roundTrips } = await countRoundTrips(send);
  if (code) await expectProblem(result, status, code);
  else expect(result.status).toBe(status);
  expect(roundTrips, 'round trips').toBe(trips);
  expect(await databaseDigest()).toEqual(before);
  return result;
}

/** A delivery accepted with `outcome`, in exactly one round trip. */
async function expectOutcome(send: () => Promise<Response>, outcome: string | null, duplicate = false) {
  const { result, roundTrips } = await countRoundTrips(send);
  expect(result.status, await result.clone().text()).toBe(200);
  expect(await json<Result>(result)).toEqual({ ok: true, duplicate, outcome });
  expect(roundTrips).toBe(1);
}

const runsOf = async (ids: FixtureIds, from: number) => {
  const [rows] = await asSystem(
    sql`select r.status, r.user_id, r.user_message, r.metadata, s.name as skill from runs r join skills s on s.id = r.skill_id
        where r.client_id = ${ids.clients} and r.metadata->>'channel_user_id' = ${String(from)}`,
  );
  return rows as { status: string; user_id: string; user_message: string; metadata: Record<string, string>; skill: string }[];
};

describe('Telegram', () => {
  it('a wrong or missing secret token: 401, no database work, nothing written', async () => {
    await expectNothingWritten(async () => telegram(textUpdate(sender(), keyword), telegramHeaders('wrong')), 401, 'TELEGRAM_SECRET_TOKEN_INVALID', 0);
    await expectNothingWritten(async () => telegram(textUpdate(sender(), keyword), { 'content-type': 'application/json' }), 401, 'TELEGRAM_SECRET_TOKEN_INVALID', 0);
  });

  it('malformed JSON under a valid token: 400, no database work', async () => {
    await expectNothingWritten(async () => call('POST', '/hooks/telegram', { rawBody: '{', headers: telegramHeaders() }), 400, 'INVALID_JSON', 0);
  });

  it('an unlinked sender: recorded, 200, no run', async () => {
    const from = sender();
    await expectOutcome(async () => telegram(textUpdate(from, `${keyword} please`)), 'unlinked');
    expect(await runsOf(a, from)).toEqual([]);
  });

  it('links with a code, then a message queues one run with the skill and input; a replayed update_id changes nothing', async () => {
    const from = sender();
    const linkWith = await linkCode(a);
    await expectOutcome(async () => telegram(textUpdate(from, `/link ${linkWith}`)), 'linked');
    const channels = await json<{ data: { id: string; channel: string; channel_user_id: string }[] }>(
      await call('GET', '/v1/me/channels', { token: await tokenAs(a, 'viewer') }),
    );
    expect(channels.data.some((c) => c.channel === 'telegram' && c.channel_user_id === String(from))).toBe(true);

    const update = textUpdate(from, `Write a ${keyword} post`);
    await expectOutcome(async () => telegram(update), 'run_queued');
    await expectNothingWritten(async () => telegram(update), 200, null, 1);
    const runs = await runsOf(a, from);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'queued',
      user_id: a.users,
      user_message: `Write a ${keyword} post`,
      skill: `chat-skill-${fixtures.run}`,
      metadata: { channel: 'telegram', chat_id: String(from), channel_user_id: String(from) },
    });
    expect(await runsOf(b, from)).toEqual([]);

    await expectOutcome(async () => telegram(textUpdate(from, 'zzqq nothing matches qqzz')), 'no_skill');
    expect(await runsOf(a, from)).toHaveLength(1);
  });

  it('a code used twice links once; an expired code or garbage links nothing', async () => {
    const code = await linkCode(a);
    const [first, second] = [sender(), sender()];
    await expectOutcome(async () => telegram(textUpdate(first, `/link ${code}`)), 'linked');
    await expectOutcome(async () => telegram(textUpdate(second, `/link ${code}`)), 'link_code_invalid');
    await expectOutcome(async () => telegram(textUpdate(second, `${keyword} now`)), 'unlinked');

    const expired = await linkCode(a);
    await asSystem(sql`update channel_links set code_expires_at = now() - interval '1 second' where linked_at is null and client_id = ${a.clients}`);
    await expectOutcome(async () => telegram(textUpdate(second, `/link ${expired}`)), 'link_code_invalid');
    await expectOutcome(async () => telegram(textUpdate(second, '/link NOTACODE12')), 'link_code_invalid');
  });

  it('a code made in another client links to that client only: the runs go there', async () => {
    const both = await fixtures.member(b, 'editor');
    await asSystem(sql`insert into memberships (client_id, user_id, role) values (${a.clients}, ${both.userId}, 'editor')`);
    const from = sender();
    const linkWith = await linkCode(b, both.userId);
    await expectOutcome(async () => telegram(textUpdate(from, `/link ${linkWith}`)), 'linked');
    await expectOutcome(async () => telegram(textUpdate(from, `${keyword} for b`)), 'run_queued');
    expect(await runsOf(b, from)).toHaveLength(1);
    expect(await runsOf(a, from)).toEqual([]);
  });

  it('a linked viewer may not queue runs: recorded as not_permitted', async () => {
    const viewer = await fixtures.member(a, 'viewer');
    const from = sender();
    const linkWith = await linkCode(a, viewer.userId);
    await expectOutcome(async () => telegram(textUpdate(from, `/link ${linkWith}`)), 'linked');
    await expectOutcome(async () => telegram(textUpdate(from, `${keyword} please`)), 'not_permitted');
    expect(await runsOf(a, from)).toEqual([]);
  });
});

describe('linked channels', () => {
  it("another user's or another client's channel id on DELETE: 404, nothing written; one's own: 204", async () => {
    const other = await fixtures.member(a, 'editor');
    const from = sender();
    const linkWith = await linkCode(a, other.userId);
    await expectOutcome(async () => telegram(textUpdate(from, `/link ${linkWith}`)), 'linked');
    const [rows] = await asSystem(sql`select id from channel_links where channel_user_id = ${String(from)}`);
    const id = rows![0]!.id as string;
    await expectNothingWritten(async () => call('DELETE', `/v1/me/channels/${id}`, { token: await tokenAs(a, 'owner') }), 404, 'CHANNEL_NOT_FOUND', 1);
    await expectNothingWritten(async () => call('DELETE', `/v1/me/channels/${id}`, { token: await tokenAs(b, 'owner') }), 404, 'CHANNEL_NOT_FOUND', 1);
    expect((await call('DELETE', `/v1/me/channels/${id}`, { token: await tokenAs(a, 'editor', other.userId) })).status).toBe(204);
    await expectOutcome(async () => telegram(textUpdate(from, `${keyword} again`)), 'unlinked');
  });

  it('an API key cannot make a link code', async () => {
    const { apiKeyTokenAs } = await import('../../helpers/fixtures');
    await expectProblem(await call('POST', '/v1/me/channel-links', { token: await apiKeyTokenAs(a, 'service') }), 403, 'FORBIDDEN');
  });
});

describe('Slack', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const slack = async (body: unknown, headers?: Record<string, string>) => {
    const raw = JSON.stringify(body);
    return call('POST', '/hooks/slack', { rawBody: raw, headers: headers ?? (await slackHeaders(raw)) });
  };
  const event = (user: string, text: string, eventId = `Ev${crypto.randomUUID()}`) => ({
    type: 'event_callback',
    event_id: eventId,
    event: { type: 'message', user, text, channel: 'D0CHAT' },
  });

  it('missing or bad signature, stale or future timestamp: 401, no database work, nothing written', async () => {
    const body = event('U1', keyword);
    const raw = JSON.stringify(body);
    await expectNothingWritten(async () => call('POST', '/hooks/slack', { rawBody: raw, headers: { 'content-type': 'application/json' } }), 401, 'SLACK_SIGNATURE_MISSING', 0);
    const forged = { ...(await slackHeaders(raw)), 'x-slack-signature': `v0=${'0'.repeat(64)}` };
    await expectNothingWritten(async () => call('POST', '/hooks/slack', { rawBody: raw, headers: forged }), 401, 'SLACK_SIGNATURE_INVALID', 0);
    const tampered = await slackHeaders(raw);
    await expectNothingWritten(async () => call('POST', '/hooks/slack', { rawBody: raw.replace('U1', 'U2'), headers: tampered }), 401, 'SLACK_SIGNATURE_INVALID', 0);
    for (const timestamp of [now() - 301, now() + 301]) {
      await expectNothingWritten(async () => slack(body, await slackHeaders(raw, timestamp)), 401, 'SLACK_TIMESTAMP_OUT_OF_RANGE', 0);
    }
  });

  it('url_verification: the challenge, without the database', async () => {
    const result = await expectNothingWritten(async () => slack({ type: 'url_verification', challenge: 'c-123' }), 200, null, 0);
    expect(await result.json()).toEqual({ challenge: 'c-123' });
  });

  it('retries of the same event_id (X-Slack-Retry-Num) make one run', async () => {
    const user = `U${fixtures.run}`;
    const code = await linkCode(a);
    await expectOutcome(async () => slack(event(user, `link ${code}`)), 'linked');
    const message = event(user, `<@UBOT> ${keyword} in slack`);
    const raw = JSON.stringify(message);
    await expectOutcome(async () => slack(message), 'run_queued');
    for (const retry of ['1', '2']) {
      await expectOutcome(async () => call('POST', '/hooks/slack', { rawBody: raw, headers: { ...(await slackHeaders(raw)), 'x-slack-retry-num': retry } }), null, true);
    }
    const [rows] = await asSystem(sql`select user_message, metadata from runs where client_id = ${a.clients} and metadata->>'channel_user_id' = ${user}`);
    expect(rows).toEqual([{ user_message: `${keyword} in slack`, metadata: expect.objectContaining({ channel: 'slack', chat_id: 'D0CHAT' }) }]);
  });
});
