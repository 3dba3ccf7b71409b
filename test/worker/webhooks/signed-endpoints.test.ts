import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../src/app';
import { endpointSecret, formatSecret, hookId } from '../../../src/webhooks/signing';
import { call, json } from '../../helpers/api';
import { asSystem } from '../../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { expectProblem } from '../../helpers/problem';
import { countRoundTrips } from '../../helpers/round-trips';
import { countOf, dataDigest } from '../../helpers/rows';
import { bucket, seedRun } from '../security/routes/agent-work';
import { deliver, envelope, newEndpoint, nowSeconds, pathOf, postsEvent, signedHeaders, signingKey, type Endpoint } from './helpers';

/**
 * Signed webhook endpoints, tried as an attacker would: every refusal has its status and code,
 * writes nothing (every table of both clients and the bucket unchanged), and one that the
 * signature decides costs no database round trip. A valid delivery costs exactly one.
 */

const fixtures = useTenantFixtures('wh', {
  async beforeDelete(ids) {
    const listed = await bucket().list({ prefix: await prefixOf(ids) });
    if (listed.objects.length) await bucket().delete(listed.objects.map((o) => o.key));
  },
});
let a: FixtureIds;
let b: FixtureIds;
let postsA: Endpoint;
let runsA: Endpoint;
let postsB: Endpoint;

async function prefixOf(ids: FixtureIds): Promise<string> {
  const [rows] = await asSystem(sql`select storage_prefix from clients where id = ${ids.clients}`);
  return rows![0]!.storage_prefix as string;
}

beforeAll(async () => {
  a = await fixtures.create('a');
  b = await fixtures.create('b');
  [postsA, runsA, postsB] = [await newEndpoint(a, 'posts'), await newEndpoint(a, 'runs'), await newEndpoint(b, 'posts')];
});

/** Everything both clients hold, and the objects under their prefixes. */
async function snapshot() {
  const objects = await Promise.all([a, b].map(async (ids) => (await bucket().list({ prefix: await prefixOf(ids) })).objects.map((o) => o.key)));
  return { data: await dataDigest(a.clients, b.clients), objects };
}

/** `send` answers `status` `code`, costs `trips` round trips, and changes nothing anywhere. */
async function expectRefused(send: () => Promise<Response>, status: number, code: string, trips: number) {
  const before = await snapshot();
  const { result, roundTrips } = await countRoundTrips(send);
  await expectProblem(result, status, code);
  expect(roundTrips, `${code}: database round trips`).toBe(trips);
  expect(await snapshot()).toEqual(before);
}

interface DeliveryResult {
  id: string;
  webhook_id: string;
  type: string;
  status: string;
  duplicate: boolean;
  result?: Record<string, unknown>;
}

interface DeliveryRecord {
  id: string;
  endpoint_id: string | null;
  webhook_id: string;
  event_type: string | null;
  status: string;
  response_status: number | null;
  error_code: string | null;
  error: string | null;
}

async function deliveriesOf(ids: FixtureIds, query = ''): Promise<DeliveryRecord[]> {
  const response = await call('GET', `/v1/webhook-deliveries?limit=100${query}`, { token: await tokenAs(ids, 'admin') });
  expect(response.status).toBe(200);
  return (await json<{ data: DeliveryRecord[] }>(response)).data;
}

const runStatus = async (id: string) => {
  const [rows] = await asSystem(sql`select status, tokens_input, tokens_output, error_message, metadata from runs where id = ${id}`);
  return rows![0] as { status: string; tokens_input: number | null; tokens_output: number | null; error_message: string | null; metadata: Record<string, unknown> };
};

describe('managing endpoints (admin+)', () => {
  it('shows the secret once, at creation and rotation (no-store); lists and reads never do', async () => {
    const token = await tokenAs(a, 'admin');
    const created = await call('POST', '/v1/webhook-endpoints', { token, body: { kind: 'posts' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const endpoint = await json<Endpoint & { client_id: string }>(created);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ kind: 'posts', client_id: a.clients, secret_version: 1, previous_secret_expires_at: null, disabled_at: null });
    expect(pathOf(endpoint.url)).toBe(`/hooks/${hookId({ clientId: a.clients, endpointId: endpoint.id, version: 1 })}`);

    const got = await json<Record<string, unknown>>(await call('GET', `/v1/webhook-endpoints/${endpoint.id}`, { token }));
    const listed = await call('GET', '/v1/webhook-endpoints?limit=100', { token });
    expect(got).not.toHaveProperty('secret');
    expect(got.url).toBe(endpoint.url);
    const text = await listed.text();
    expect(text).toContain(endpoint.id);
    expect(text).not.toContain(endpoint.secret);
    expect(text).not.toContain('whsec_');
  });

  it('stores no secret: nothing of the secret is in the database', async () => {
    const endpoint = await newEndpoint(a, 'runs');
    const [rows] = await asSystem(sql`select to_jsonb(w)::text as row from webhook_endpoints w where id = ${endpoint.id}`);
    const raw = endpoint.secret.slice('whsec_'.length);
    expect(rows![0]!.row as string).not.toContain(raw);
    expect(rows![0]!.row as string).not.toContain(raw.slice(0, 16));
  });

  it('refuses editors, viewers and services (403), and another client’s endpoint is 404', async () => {
    for (const role of ['editor', 'viewer', 'service'] as const) {
      await expectProblem(await call('GET', '/v1/webhook-endpoints', { token: await tokenAs(a, role) }), 403, 'FORBIDDEN');
    }
    const other = await tokenAs(b, 'owner');
    for (const [method, suffix] of [['GET', ''], ['POST', '/disable'], ['POST', '/rotate'], ['DELETE', '']] as const) {
      await expectRefused(() => call(method, `/v1/webhook-endpoints/${postsA.id}${suffix}`, { token: other }), 404, 'WEBHOOK_ENDPOINT_NOT_FOUND', 1);
    }
  });
});

describe('POST /hooks/{endpoint_id}: posts.detected', () => {
  it('ingests the posts in one round trip, records the delivery, and answers a replay with the first outcome', async () => {
    const event = postsEvent(3);
    const id = `msg_${crypto.randomUUID()}`;
    const { result, roundTrips } = await countRoundTrips(() => deliver(postsA.path, postsA.secret, event, { id }));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const first = await json<DeliveryResult>(result);
    expect(first).toMatchObject({ webhook_id: id, type: 'posts.detected', status: 'processed', duplicate: false });
    expect(first.result).toEqual({ inserted: 3, duplicates: 0, authors_inserted: 3, authors_updated: 0 });
    const tag = event.data.posts[0]!.platform_post_id.split('-')[0]!;
    expect(await countOf('posts', a, sql`platform_post_id like ${`${tag}-%`}`)).toBe(3);

    const [record] = (await deliveriesOf(a, `&endpoint_id=${postsA.id}`)).filter((d) => d.webhook_id === id);
    expect(record).toMatchObject({ id: first.id, endpoint_id: postsA.id, event_type: 'posts.detected', status: 'processed', response_status: 200 });

    // The same webhook-id again (a sender's retry, even with a fresh timestamp and signature): nothing changes.
    const before = await snapshot();
    const again = await countRoundTrips(() => deliver(postsA.path, postsA.secret, event, { id }));
    expect(again.result.status).toBe(200);
    expect(again.roundTrips).toBe(1);
    expect(again.result.headers.get('x-webhook-duplicate')).toBe('true');
    expect(await json<DeliveryResult>(again.result)).toMatchObject({ id: first.id, webhook_id: id, status: 'processed', duplicate: true });
    expect(await snapshot()).toEqual(before);
  });

  it('ingests a delivery of 1,000 posts in one request and one round trip, as POST /v1/posts/bulk does', async () => {
    const event = postsEvent(1000);
    const tag = event.data.posts[0]!.platform_post_id.split('-')[0]!;
    const { result, roundTrips } = await countRoundTrips(() => deliver(postsA.path, postsA.secret, event));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    expect((await json<DeliveryResult>(result)).result).toEqual({ inserted: 1000, duplicates: 0, authors_inserted: 50, authors_updated: 0 });
    expect(await countOf('posts', a, sql`platform_post_id like ${`${tag}-%`}`)).toBe(1000);
  });

  it('20 concurrent copies of one delivery have one effect; every copy is answered 200', async () => {
    const event = postsEvent(5);
    const tag = event.data.posts[0]!.platform_post_id.split('-')[0]!;
    const id = `msg_${crypto.randomUUID()}`;
    const body = JSON.stringify(event);
    const headers = await signedHeaders(postsA.secret, body, { id });
    const responses = await Promise.all(Array.from({ length: 20 }, () => call('POST', postsA.path, { rawBody: body, headers })));
    const results = await Promise.all(responses.map((r) => json<DeliveryResult>(r)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await countOf('posts', a, sql`platform_post_id like ${`${tag}-%`}`)).toBe(5);
    expect(await countOf('webhook_deliveries', a, sql`delivery_id = ${id}`)).toBe(1);
  });
});

describe('POST /hooks/{endpoint_id}: refused as an attacker would try, nothing written', () => {
  const event = () => postsEvent(1);

  it('no or partial signature headers: 401, no database work', async () => {
    for (const omit of [['webhook-signature'], ['webhook-id'], ['webhook-timestamp'], ['webhook-id', 'webhook-timestamp', 'webhook-signature']]) {
      await expectRefused(() => deliver(postsA.path, postsA.secret, event(), { omit }), 401, 'WEBHOOK_SIGNATURE_MISSING', 0);
    }
  });

  it('a bad signature, a signature of another body, of another secret or scheme: 401, no database work', async () => {
    const other = postsEvent(1);
    const attempts: [string, () => Promise<Response>][] = [
      ['garbage', () => deliver(postsA.path, postsA.secret, event(), { signature: 'v1,bm90IGEgc2lnbmF0dXJl' })],
      ['not base64', () => deliver(postsA.path, postsA.secret, event(), { signature: 'v1,%%%' })],
      ['another scheme', () => deliver(postsA.path, postsA.secret, event(), { signature: 'v1a,abc v2,def' })],
      ['another client’s secret', () => deliver(postsA.path, postsB.secret, event())],
      ['another endpoint’s secret', () => deliver(postsA.path, runsA.secret, event())],
      [
        'a signature of another body',
        async () => {
          const headers = await signedHeaders(postsA.secret, JSON.stringify(other));
          return call('POST', postsA.path, { rawBody: JSON.stringify(event()), headers });
        },
      ],
      [
        'a body changed by one byte',
        async () => {
          const body = JSON.stringify(event());
          const headers = await signedHeaders(postsA.secret, body);
          return call('POST', postsA.path, { rawBody: `${body} `, headers });
        },
      ],
    ];
    for (const [name, attempt] of attempts) {
      const { result, roundTrips } = await countRoundTrips(attempt);
      await expectProblem(result, 401, 'WEBHOOK_SIGNATURE_INVALID');
      expect(roundTrips, name).toBe(0);
    }
    await expectRefused(() => deliver(postsA.path, postsB.secret, event()), 401, 'WEBHOOK_SIGNATURE_INVALID', 0);
  });

  it('a stale or future timestamp (beyond 5 minutes): 401, no database work; within 5 minutes it is accepted', async () => {
    await expectRefused(() => deliver(postsA.path, postsA.secret, event(), { timestamp: nowSeconds() - 301 }), 401, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE', 0);
    await expectRefused(() => deliver(postsA.path, postsA.secret, event(), { timestamp: nowSeconds() + 301 }), 401, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE', 0);
    await expectRefused(() => deliver(postsA.path, postsA.secret, event(), { timestamp: 0 }), 401, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE', 0);
    expect((await deliver(postsA.path, postsA.secret, event(), { timestamp: nowSeconds() - 240 })).status).toBe(200);
  });

  it('another client’s endpoint id, or a URL naming another client with this endpoint: 401, no database work', async () => {
    await expectRefused(() => deliver(postsB.path, postsA.secret, event()), 401, 'WEBHOOK_SIGNATURE_INVALID', 0);
    // Even the Worker's key cannot make a secret of client A's endpoint valid under client B: the URL is part of what is signed.
    const forged = `/hooks/${hookId({ clientId: b.clients, endpointId: postsA.id, version: 1 })}`;
    await expectRefused(() => deliver(forged, postsA.secret, event()), 401, 'WEBHOOK_SIGNATURE_INVALID', 0);
    // With the Worker's key an attacker could sign for that URL; the database still finds no such endpoint of B.
    const secret = formatSecret(await endpointSecret(signingKey(), { clientId: b.clients, endpointId: postsA.id, version: 1 }));
    await expectRefused(() => deliver(forged, secret, event()), 404, 'WEBHOOK_ENDPOINT_NOT_FOUND', 1);
  });

  it('an endpoint id this API never issued: 404 when malformed, 401 when well-formed; no database work', async () => {
    for (const id of ['nope', postsA.id, `${pathOf(postsA.url).slice(7)}A`, 'A'.repeat(48)]) {
      await expectRefused(() => deliver(`/hooks/${id}`, postsA.secret, event()), 404, 'WEBHOOK_ENDPOINT_NOT_FOUND', 0);
    }
    const unknown = hookId({ clientId: a.clients, endpointId: crypto.randomUUID(), version: 1 });
    await expectRefused(() => deliver(`/hooks/${unknown}`, postsA.secret, event()), 401, 'WEBHOOK_SIGNATURE_INVALID', 0);
  });

  it('an oversize body: 413, no database work', async () => {
    const big = JSON.stringify({ ...event(), padding: 'x'.repeat(1024 * 1024) });
    await expectRefused(() => deliver(postsA.path, postsA.secret, big), 413, 'PAYLOAD_TOO_LARGE', 0);
  });

  it('malformed JSON, or an invalid event, under a valid signature: 400/422, no database work', async () => {
    await expectRefused(() => deliver(postsA.path, postsA.secret, '{"type": "posts.detected", '), 400, 'INVALID_JSON', 0);
    await expectRefused(() => deliver(postsA.path, postsA.secret, '\xff\xfe'), 400, 'INVALID_JSON', 0);
    for (const bad of [
      { type: 'posts.detected', data: {} },
      envelope('posts.deleted', {}),
      envelope('posts.detected', { platform: 'twitter', posts: [] }),
      { ...postsEvent(1), extra: true },
      [],
      'hello',
    ]) {
      await expectRefused(() => deliver(postsA.path, postsA.secret, JSON.stringify(bad)), 422, 'VALIDATION_FAILED', 0);
    }
  });

  it('an event this kind of endpoint does not receive: 422 in one round trip, nothing written', async () => {
    const run = await seedRun(a, 'queued');
    await expectRefused(() => deliver(postsA.path, postsA.secret, envelope('run.started', { run_id: run })), 422, 'WEBHOOK_EVENT_NOT_ACCEPTED', 1);
    await expectRefused(() => deliver(runsA.path, runsA.secret, postsEvent(1)), 422, 'WEBHOOK_EVENT_NOT_ACCEPTED', 1);
    expect((await runStatus(run)).status).toBe('queued');
  });

  it('a disabled endpoint: 403 in one round trip, nothing written; a deleted one: 404', async () => {
    const endpoint = await newEndpoint(a, 'posts');
    const token = await tokenAs(a, 'admin');
    expect((await call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`, { token })).status).toBe(200);
    await expectRefused(() => deliver(endpoint.path, endpoint.secret, event()), 403, 'WEBHOOK_ENDPOINT_DISABLED', 1);
    expect((await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`, { token })).status).toBe(204);
    await expectRefused(() => deliver(endpoint.path, endpoint.secret, event()), 404, 'WEBHOOK_ENDPOINT_NOT_FOUND', 1);
  });

  it('a deactivated client’s endpoint: 403, nothing written', async () => {
    const c = await fixtures.create('off');
    const endpoint = await newEndpoint(c, 'posts');
    await asSystem(sql`update clients set is_active = false where id = ${c.clients}`);
    const before = await dataDigest(c.clients);
    await expectProblem(await deliver(endpoint.path, endpoint.secret, event()), 403, 'WEBHOOK_ENDPOINT_DISABLED');
    expect(await dataDigest(c.clients)).toEqual(before);
  });
});

describe('rotation', () => {
  it('the previous secret stays valid for 24 hours (at its URL and the new one); then it is refused; a kept URL takes newer secrets', async () => {
    const endpoint = await newEndpoint(a, 'posts');
    const token = await tokenAs(a, 'admin');
    const rotated = await call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate`, { token });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const next = await json<Endpoint & { previous_secret_expires_at: string }>(rotated);
    expect(next.secret_version).toBe(2);
    expect(next.secret).not.toBe(endpoint.secret);
    const grace = Date.parse(next.previous_secret_expires_at) - Date.now();
    expect(grace).toBeGreaterThan(23.9 * 3600_000);
    expect(grace).toBeLessThanOrEqual(24 * 3600_000);
    const newPath = pathOf(next.url);
    expect(newPath).not.toBe(endpoint.path);

    // Inside the grace period: the old secret at the old URL and at the new one, the new secret at the new URL, both at once.
    for (const [path, secrets] of [
      [endpoint.path, [endpoint.secret]],
      [newPath, [endpoint.secret]],
      [newPath, [next.secret]],
      [newPath, [endpoint.secret, next.secret]],
    ] as const) {
      const response = await deliver(path, '', postsEvent(1), { secrets: [...secrets] });
      expect(response.status, await response.clone().text()).toBe(200);
    }
    // A sender that took the new secret but kept its URL is served too.
    const kept = await countRoundTrips(() => deliver(endpoint.path, next.secret, postsEvent(1)));
    expect(kept.result.status, await kept.result.clone().text()).toBe(200);
    expect(kept.roundTrips).toBe(1);

    // After the grace period the old secret is refused, wherever it is sent; the new one still works.
    await asSystem(sql`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${endpoint.id}`);
    await expectRefused(() => deliver(endpoint.path, endpoint.secret, postsEvent(1)), 401, 'WEBHOOK_SECRET_EXPIRED', 1);
    await expectRefused(() => deliver(newPath, endpoint.secret, postsEvent(1)), 401, 'WEBHOOK_SECRET_EXPIRED', 1);
    expect((await deliver(newPath, next.secret, postsEvent(1))).status).toBe(200);

    // Rotating again revokes version 1 at once (only one previous secret is kept).
    const third = await json<Endpoint>(await call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate`, { token }));
    expect(third.secret_version).toBe(3);
    expect((await deliver(pathOf(third.url), next.secret, postsEvent(1))).status).toBe(200);
    await expectRefused(() => deliver(endpoint.path, endpoint.secret, postsEvent(1)), 401, 'WEBHOOK_SECRET_EXPIRED', 1);
    // The first URL takes the newest secret for three rotations; after a fourth it is refused before any database work.
    expect((await deliver(endpoint.path, third.secret, postsEvent(1))).status).toBe(200);
    await call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate`, { token });
    const fifth = await json<Endpoint>(await call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate`, { token }));
    expect(fifth.secret_version).toBe(5);
    await expectRefused(() => deliver(endpoint.path, fifth.secret, postsEvent(1)), 401, 'WEBHOOK_SIGNATURE_INVALID', 0);
    expect((await deliver(pathOf(fifth.url), fifth.secret, postsEvent(1))).status).toBe(200);
  });
});

describe('POST /hooks/{endpoint_id}: run events drive the run state machine', () => {
  it('run.started then run.completed with token usage, model and cost, each in one round trip', async () => {
    const run = await seedRun(a, 'queued');
    const started = await countRoundTrips(() => deliver(runsA.path, runsA.secret, envelope('run.started', { run_id: run })));
    expect(started.result.status, await started.result.clone().text()).toBe(200);
    expect(started.roundTrips).toBe(1);
    expect((await json<DeliveryResult>(started.result)).result).toMatchObject({ id: run, status: 'running' });

    const data = { run_id: run, tokens_input: 1200, tokens_output: 340, model: 'claude-sonnet', cost_usd: 0.0123 };
    const completed = await countRoundTrips(() => deliver(runsA.path, runsA.secret, envelope('run.completed', data)));
    expect(completed.result.status).toBe(200);
    expect(completed.roundTrips).toBe(1);
    expect(await runStatus(run)).toMatchObject({
      status: 'completed',
      tokens_input: 1200,
      tokens_output: 340,
      metadata: { model: 'claude-sonnet', cost_usd: 0.0123 },
    });
  });

  it('run.failed records the error', async () => {
    const run = await seedRun(a, 'running');
    const response = await deliver(runsA.path, runsA.secret, envelope('run.failed', { run_id: run, error_message: 'model timed out' }));
    expect(response.status).toBe(200);
    expect(await runStatus(run)).toMatchObject({ status: 'failed', error_message: 'model timed out' });
  });

  it('a refused step is recorded as failed with its reason, answered 409 (do not retry), and a replay answers the same', async () => {
    const run = await seedRun(a, 'queued');
    const id = `msg_${crypto.randomUUID()}`;
    const event = envelope('run.completed', { run_id: run, tokens_input: 1, tokens_output: 1 });
    const runsBefore = await dataDigest(a.clients);
    const { result, roundTrips } = await countRoundTrips(() => deliver(runsA.path, runsA.secret, event, { id }));
    const problem = await expectProblem(result, 409, 'INVALID_TRANSITION');
    expect(problem.detail).toContain('do not retry');
    expect(roundTrips).toBe(1);
    expect((await runStatus(run)).status).toBe('queued');
    const after = await dataDigest(a.clients);
    expect(after['0.runs']).toBe(runsBefore['0.runs']);
    const [record] = (await deliveriesOf(a, '&status=failed')).filter((d) => d.webhook_id === id);
    expect(record).toMatchObject({
      status: 'failed',
      response_status: 409,
      error_code: 'INVALID_TRANSITION',
      error: 'Cannot complete a run that is queued; complete applies to running runs.',
    });

    const before = await snapshot();
    const again = await deliver(runsA.path, runsA.secret, event, { id });
    await expectProblem(again, 409, 'INVALID_TRANSITION');
    expect(again.headers.get('x-webhook-duplicate')).toBe('true');
    expect(await snapshot()).toEqual(before);
  });

  it('another client’s run, or none: recorded as failed, 404 RUN_NOT_FOUND; the other client’s run is untouched', async () => {
    const theirs = await seedRun(b, 'queued');
    const before = await dataDigest(b.clients);
    for (const run of [theirs, crypto.randomUUID()]) {
      await expectProblem(await deliver(runsA.path, runsA.secret, envelope('run.started', { run_id: run })), 404, 'RUN_NOT_FOUND');
    }
    expect(await dataDigest(b.clients)).toEqual(before);
    expect((await runStatus(theirs)).status).toBe('queued');
  });

  it('20 concurrent copies of run.completed complete the run once', async () => {
    const run = await seedRun(a, 'running');
    const body = JSON.stringify(envelope('run.completed', { run_id: run, tokens_input: 5, tokens_output: 6 }));
    const headers = await signedHeaders(runsA.secret, body);
    const responses = await Promise.all(Array.from({ length: 20 }, () => call('POST', runsA.path, { rawBody: body, headers })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const results = await Promise.all(responses.map((r) => json<DeliveryResult>(r)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await countOf('audit_logs', a, sql`entity_type = 'runs' and entity_id = ${run}::uuid and action = 'update'`)).toBe(1);
  });

  it('run.output stores the record and the content in R2 in one round trip; to an unknown run it stores nothing', async () => {
    const run = await seedRun(a, 'running');
    const event = envelope('run.output', { run_id: run, format: 'markdown', title: 'Draft', content: '# Ten sleep tips' });
    const { result, roundTrips } = await countRoundTrips(() => deliver(runsA.path, runsA.secret, event));
    expect(result.status, await result.clone().text()).toBe(200);
    expect(roundTrips).toBe(1);
    const output = (await json<DeliveryResult>(result)).result as { id: string; object_key: string; run_id: string; preview: string };
    expect(output).toMatchObject({ run_id: run, preview: '# Ten sleep tips' });
    expect(output.object_key.startsWith(await prefixOf(a))).toBe(true);
    expect(await (await bucket().get(output.object_key))!.text()).toBe('# Ten sleep tips');
    const content = await call('GET', `/v1/outputs/${output.id}/content`, { token: await tokenAs(a, 'viewer') });
    expect(await content.text()).toBe('# Ten sleep tips');

    const unknown = envelope('run.output', { run_id: crypto.randomUUID(), format: 'markdown', content: 'orphan' });
    const before = await snapshot();
    await expectProblem(await deliver(runsA.path, runsA.secret, unknown), 404, 'RUN_NOT_FOUND');
    const after = await snapshot();
    expect(after.objects).toEqual(before.objects);
    expect(after.data['0.outputs']).toBe(before.data['0.outputs']);
  });
});

describe('when the Worker cannot finish a delivery', () => {
  const app = createApp();
  const send = async (path: string, secret: string, event: unknown, overrides: Record<string, string>, id?: string) => {
    const body = JSON.stringify(event);
    const request = new Request(`http://api.test${path}`, { method: 'POST', body, headers: await signedHeaders(secret, body, { id }) });
    return app.fetch(request, { ...env, ...overrides });
  };

  it('an unreachable database answers 503 with Retry-After and keeps nothing: the retry is processed afresh', async () => {
    const event = postsEvent(2);
    const id = `msg_${crypto.randomUUID()}`;
    const before = await snapshot();
    const down = await send(postsA.path, postsA.secret, event, { NEON_FETCH_ENDPOINT: inject('unreachableSqlEndpoint') }, id);
    await expectProblem(down, 503, 'DATABASE_UNAVAILABLE');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
    const retry = await deliver(postsA.path, postsA.secret, event, { id });
    expect(await json<DeliveryResult>(retry)).toMatchObject({ status: 'processed', duplicate: false, result: { inserted: 2 } });
  });

  it('without WEBHOOK_SIGNING_KEY: 503 WEBHOOKS_NOT_CONFIGURED, no database work', async () => {
    const { result, roundTrips } = await countRoundTrips(() => send(postsA.path, postsA.secret, postsEvent(1), { WEBHOOK_SIGNING_KEY: '' }));
    await expectProblem(result, 503, 'WEBHOOKS_NOT_CONFIGURED');
    expect(roundTrips).toBe(0);
  });
});

describe('GET /v1/webhook-deliveries', () => {
  it('lists only the caller’s deliveries, filtered by endpoint, status and time', async () => {
    await deliver(postsB.path, postsB.secret, postsEvent(1));
    const mine = await deliveriesOf(a);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((d) => d.endpoint_id !== postsB.id)).toBe(true);
    expect((await deliveriesOf(a, `&endpoint_id=${postsB.id}`)).length).toBe(0);
    expect((await deliveriesOf(b, `&endpoint_id=${postsB.id}`)).length).toBe(1);
    const failed = await deliveriesOf(a, '&status=failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((d) => d.status === 'failed')).toBe(true);
    expect(await deliveriesOf(a, `&received_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('describes the receiver (path, headers, body) and every event under `webhooks`', () => {
    const doc = createApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '0' } }) as unknown as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
      webhooks: Record<string, unknown>;
    };
    const receiver = doc.paths['/hooks/{endpoint_id}']!.post!;
    expect(receiver.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:endpoint_id', 'header:webhook-id', 'header:webhook-timestamp', 'header:webhook-signature']),
    );
    expect(receiver.requestBody).toBeDefined();
    expect(Object.keys(doc.webhooks).sort()).toEqual(['posts.detected', 'run.completed', 'run.failed', 'run.output', 'run.started']);
  });
});
