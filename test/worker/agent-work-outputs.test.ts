import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';
import { countOf } from '../helpers/rows';
import { bucket, seedOutput, seedRun } from './security/routes/agent-work';

interface Output {
  id: string;
  client_id: string;
  run_id: string;
  object_key: string;
  format: string;
  title: string | null;
  preview: string | null;
  size_bytes: number;
  created_at: string;
  updated_at: string;
}
interface Feedback {
  id: string;
  output_id: string;
  reviewer_id: string | null;
  overall_score: number;
  accuracy_score: number | null;
  issues: unknown[];
  suggested_rule_changes: unknown[];
  source: string;
  reviewer_name: string | null;
}

const { create: fixture } = useTenantFixtures('aw-out', {
  async beforeDelete(ids) {
    const listed = await bucket().list({ prefix: await prefixOf(ids) });
    if (listed.objects.length) await bucket().delete(listed.objects.map((o) => o.key));
  },
});

async function prefixOf(ids: FixtureIds): Promise<string> {
  const [rows] = await asSystem(sql`select storage_prefix from clients where id = ${ids.clients}`);
  return rows![0]!.storage_prefix as string;
}

async function objectKeys(ids: FixtureIds): Promise<string[]> {
  const listed = await bucket().list({ prefix: await prefixOf(ids) });
  return listed.objects.map((o) => o.key).sort();
}

describe('outputs: create', () => {
  it('stores the content in R2 under the client prefix and records key, format, title, preview and size, in one round trip', async () => {
    const ids = await fixture('create');
    const content = `# Launch ✨\n\n${'Ünïcödé 😀 '.repeat(60)}`;
    const { result, roundTrips } = await countRoundTrips(async () =>
      call('POST', `/v1/runs/${ids.runs}/outputs`, { token: await tokenAs(ids, 'editor'), body: { format: 'markdown', title: ' Launch post ', content } }),
    );
    expect(result.status, await result.clone().text()).toBe(201);
    expect(roundTrips).toBe(1);
    const output = await json<Output>(result);
    const prefix = await prefixOf(ids);
    expect(output).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      run_id: ids.runs,
      object_key: `${prefix}outputs/${output.id}.md`,
      format: 'markdown',
      title: 'Launch post',
      preview: Array.from(content).slice(0, 500).join(''),
      size_bytes: new TextEncoder().encode(content).length,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(Array.from(output.preview!)).toHaveLength(500);

    const object = await bucket().get(output.object_key);
    expect(await object!.text()).toBe(content);
    expect(object!.httpMetadata?.contentType).toBe('text/markdown; charset=utf-8');

    const short = await json<Output>(
      await call('POST', `/v1/runs/${ids.runs}/outputs`, { token: await tokenAs(ids, 'editor'), body: { format: 'json', content: '{"a":1}' } }),
    );
    expect(short).toMatchObject({ object_key: `${prefix}outputs/${short.id}.json`, title: null, preview: '{"a":1}', size_bytes: 7 });
  });

  it('a run of another client is 404: no record and no object in either client’s storage', async () => {
    const ids = await fixture('cross');
    const victim = await fixture('cross-victim');
    const [mineBefore, theirsBefore, count] = [await objectKeys(ids), await objectKeys(victim), await countOf('outputs', victim)];
    const { result, roundTrips } = await countRoundTrips(async () =>
      call('POST', `/v1/runs/${victim.runs}/outputs`, { token: await tokenAs(ids, 'owner'), body: { format: 'html', content: '<p>pwned</p>' } }),
    );
    await expectProblem(result, 404, 'RUN_NOT_FOUND');
    expect(roundTrips).toBe(1);
    await expectProblem(
      await call('POST', `/v1/runs/${crypto.randomUUID()}/outputs`, { token: await tokenAs(ids, 'owner'), body: { format: 'html', content: '<p/>' } }),
      404,
      'RUN_NOT_FOUND',
    );
    expect(await objectKeys(ids)).toEqual(mineBefore);
    expect(await objectKeys(victim)).toEqual(theirsBefore);
    expect(await countOf('outputs', victim)).toBe(count);
  });

  it('a database failure (a constraint) leaves neither a record nor an object', async () => {
    const ids = await fixture('db-fail');
    const before = [await objectKeys(ids), await countOf('outputs', ids)];
    const response = await call('POST', `/v1/runs/${ids.runs}/outputs`, {
      token: await tokenAs(ids, 'editor'),
      body: { format: 'markdown', title: 'Broken\u0000title', content: 'never stored' },
    });
    await expectProblem(response, 422);
    expect([await objectKeys(ids), await countOf('outputs', ids)]).toEqual(before);
  });

  it('a storage failure removes the record again (503 with Retry-After, nothing half-recorded)', async () => {
    const ids = await fixture('r2-fail');
    const before = await countOf('outputs', ids);
    const failing = {
      put: async () => {
        throw new Error('R2 is down');
      },
    } as unknown as R2Bucket;
    const app = createApp();
    const { result, roundTrips } = await countRoundTrips(async () =>
      app.request(
        `/v1/runs/${ids.runs}/outputs`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${await tokenAs(ids, 'editor')}`, 'content-type': 'application/json' },
          body: JSON.stringify({ format: 'markdown', content: 'lost' }),
        },
        { ...(env as Record<string, unknown>), OBJECTS: failing },
      ),
    );
    await expectProblem(result, 503, 'STORAGE_UNAVAILABLE');
    expect(result.headers.get('retry-after')).toBe('2');
    expect(roundTrips).toBe(2); // the insert, then its compensation
    expect(await countOf('outputs', ids)).toBe(before);
  });

  it('validates format, content size and JSON content; a machine client may store outputs, a viewer may not', async () => {
    const ids = await fixture('validate');
    const token = await tokenAs(ids, 'editor');
    const path = `/v1/runs/${ids.runs}/outputs`;
    for (const body of [
      { format: 'pdf', content: 'x' },
      { format: 'markdown', content: '' },
      { format: 'markdown' },
      { format: 'json', content: '{not json' },
      { format: 'markdown', content: 'x', title: 'x'.repeat(256) },
      { format: 'markdown', content: 'x', object_key: 'clients/other/evil.md' },
      { format: 'markdown', content: 'é'.repeat(300_000) }, // 300 000 characters, 600 000 bytes
    ]) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', path, { token, body }));
      await expectProblem(result, 422, 'VALIDATION_FAILED');
      expect(roundTrips).toBe(0);
    }
    await expectProblem(await call('POST', path, { token, body: { format: 'markdown', content: 'x'.repeat(1024 * 1024) } }), 413);
    expect(await objectKeys(ids)).toEqual([]);

    const largest = 'x'.repeat(512 * 1024);
    const stored = await call('POST', path, { token, body: { format: 'markdown', content: largest } });
    expect(stored.status).toBe(201);
    expect((await json<Output>(stored)).size_bytes).toBe(512 * 1024);

    const service = await apiKeyTokenAs(ids, 'service');
    expect((await call('POST', path, { token: service, body: { format: 'html', content: '<p>hi</p>' } })).status).toBe(201);
    await expectProblem(await call('POST', path, { token: await tokenAs(ids, 'viewer'), body: { format: 'html', content: '<p/>' } }), 403);
  });
});

describe('outputs: read', () => {
  let ids: FixtureIds;
  beforeAll(async () => {
    ids = await fixture('read');
  });

  it('gets the metadata in one round trip; 404 for another client', async () => {
    const token = await tokenAs(ids, 'viewer');
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/outputs/${ids.outputs}`, { token }));
    expect(roundTrips).toBe(1);
    expect(await json<Output>(result)).toMatchObject({ id: ids.outputs, run_id: ids.runs, format: 'markdown', size_bytes: 12 });
    const stranger = await fixture('read-stranger');
    await expectProblem(await call('GET', `/v1/outputs/${ids.outputs}`, { token: await tokenAs(stranger, 'viewer') }), 404, 'OUTPUT_NOT_FOUND');
    await expectProblem(await call('GET', `/v1/outputs/${ids.outputs}/content`, { token: await tokenAs(stranger, 'viewer') }), 404, 'OUTPUT_NOT_FOUND');
  });

  it('streams the content with the content type of its format, in one round trip', async () => {
    const token = await tokenAs(ids, 'editor');
    const cases = [
      { format: 'markdown', content: '# Title\n\nBody ✨', type: 'text/markdown; charset=utf-8' },
      { format: 'json', content: '{"headline":"Hi","tags":["a"]}', type: 'application/json' },
      { format: 'html', content: '<h1>Hi</h1>', type: 'text/html; charset=utf-8' },
    ];
    for (const { format, content, type } of cases) {
      const created = await json<Output>(await call('POST', `/v1/runs/${ids.runs}/outputs`, { token, body: { format, content } }));
      const { result, roundTrips } = await countRoundTrips(async () =>
        call('GET', `/v1/outputs/${created.id}/content`, { token: await tokenAs(ids, 'viewer') }),
      );
      expect(result.status).toBe(200);
      expect(roundTrips).toBe(1);
      expect(result.headers.get('content-type')).toBe(type);
      expect(await result.text()).toBe(content);
    }
  });

  it('serves HTML as a sandboxed download and markdown/JSON inline, never sniffed', async () => {
    const token = await tokenAs(ids, 'editor');
    const reader = await apiKeyTokenAs(ids, 'service');
    const html = '<script>fetch("/v1/me",{headers:{authorization:localStorage.token}})</script><h1>Hi</h1>';
    const cases = [
      { format: 'html', content: html, extension: 'html', active: true },
      { format: 'markdown', content: '# Title\n\n<script>alert(1)</script>', extension: 'md', active: false },
      { format: 'json', content: '{"html":"<script>alert(1)</script>"}', extension: 'json', active: false },
    ];
    for (const { format, content, extension, active } of cases) {
      const created = await json<Output>(await call('POST', `/v1/runs/${ids.runs}/outputs`, { token, body: { format, content } }));
      const result = await call('GET', `/v1/outputs/${created.id}/content`, { token: reader });
      expect(result.status, format).toBe(200);
      expect(result.headers.get('x-content-type-options'), format).toBe('nosniff');
      if (active) {
        expect(result.headers.get('content-disposition')).toBe(`attachment; filename="${created.id}.${extension}"`);
        expect(result.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
      } else {
        expect(result.headers.get('content-disposition'), format).toBeNull(); // displayed inline
        expect(result.headers.get('content-security-policy'), format).toBeNull();
      }
      expect(await result.text()).toBe(content);
    }
  });

  it('answers 404 OUTPUT_CONTENT_MISSING when the object is not in storage', async () => {
    const id = await seedOutput(ids, ids.runs);
    await expectProblem(await call('GET', `/v1/outputs/${id}/content`, { token: await tokenAs(ids, 'viewer') }), 404, 'OUTPUT_CONTENT_MISSING');
  });
});

describe('feedback', () => {
  const full = {
    overall_score: 4,
    accuracy_score: 5,
    quality_score: 4,
    usefulness_score: 3,
    rule_compliance_score: 5,
    what_worked_well: 'Strong headline',
    issues: [{ description: 'CTA is vague', severity: 'medium', suggested_fix: 'Name the offer' }],
    suggested_rule_changes: [
      { file: '.claude/skills/copywriting/RULES.md', suggested_change: 'Always name the offer in the CTA', rationale: 'Vague CTAs convert worse' },
    ],
    source: 'web',
    reviewer_name: 'Dana',
  };

  it('an editor reviews an output once (201, reviewer = the user); a second review is 409 and changes nothing', async () => {
    const ids = await fixture('feedback');
    const output = await seedOutput(ids, ids.runs);
    const token = await tokenAs(ids, 'editor');
    const { result, roundTrips } = await countRoundTrips(() => call('POST', `/v1/outputs/${output}/feedback`, { token, body: full }));
    expect(result.status, await result.clone().text()).toBe(201);
    expect(roundTrips).toBe(1);
    const created = await json<Feedback>(result);
    expect(created).toMatchObject({ ...full, output_id: output, reviewer_id: ids.users });

    const second = await countRoundTrips(() => call('POST', `/v1/outputs/${output}/feedback`, { token, body: { overall_score: 1, source: 'api' } }));
    await expectProblem(second.result, 409, 'FEEDBACK_EXISTS');
    expect(second.roundTrips).toBe(1);

    const read = await countRoundTrips(() => call('GET', `/v1/outputs/${output}/feedback`, { token }));
    expect(read.roundTrips).toBe(1);
    expect(await json<Feedback>(read.result)).toEqual(created);
  });

  it('an API key with a writing role reviews without a reviewer id; the service role may read but not review', async () => {
    const ids = await fixture('feedback-key');
    const output = await seedOutput(ids, ids.runs);
    const editorKey = await apiKeyTokenAs(ids, 'editor');
    const response = await call('POST', `/v1/outputs/${output}/feedback`, { token: editorKey, body: { overall_score: 5, source: 'api' } });
    expect(response.status).toBe(201);
    expect(await json<Feedback>(response)).toMatchObject({ reviewer_id: null, overall_score: 5, accuracy_score: null, issues: [], suggested_rule_changes: [] });

    const service = await apiKeyTokenAs(ids, 'service');
    await expectProblem(await call('POST', `/v1/outputs/${ids.outputs}/feedback`, { token: service, body: { overall_score: 5, source: 'api' } }), 403);
    expect((await call('GET', `/v1/outputs/${output}/feedback`, { token: service })).status).toBe(200);
  });

  it('refuses scores outside 1–5 and malformed reviews with 422, before the database', async () => {
    const ids = await fixture('feedback-bounds');
    const output = await seedOutput(ids, ids.runs);
    const token = await tokenAs(ids, 'editor');
    for (const body of [
      { overall_score: 0, source: 'web' },
      { overall_score: 6, source: 'web' },
      { overall_score: 4.5, source: 'web' },
      { overall_score: '4', source: 'web' },
      { source: 'web' },
      { overall_score: 3, accuracy_score: 0, source: 'web' },
      { overall_score: 3, quality_score: 6, source: 'web' },
      { overall_score: 3, usefulness_score: -1, source: 'web' },
      { overall_score: 3, rule_compliance_score: 7, source: 'web' },
      { overall_score: 3, source: 'email' },
      { overall_score: 3, source: 'web', issues: [{ description: 'x', severity: 'critical' }] },
      { overall_score: 3, source: 'web', issues: [{ description: 'x', severity: 'low', extra: true }] },
      { overall_score: 3, source: 'web', suggested_rule_changes: [{ file: 'RULES.md', suggested_change: 'x' }] },
      { overall_score: 3, source: 'web', reviewer_id: crypto.randomUUID() },
    ]) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', `/v1/outputs/${output}/feedback`, { token, body }));
      await expectProblem(result, 422, 'VALIDATION_FAILED');
      expect(roundTrips).toBe(0);
    }
    for (const score of [1, 5]) {
      const edge = await seedOutput(ids, ids.runs);
      expect((await call('POST', `/v1/outputs/${edge}/feedback`, { token, body: { overall_score: score, source: 'slack' } })).status).toBe(201);
    }
  });

  it('404s: no such output, another client’s output, an output without feedback', async () => {
    const ids = await fixture('feedback-404');
    const stranger = await fixture('feedback-404-other');
    const token = await tokenAs(ids, 'editor');
    const body = { overall_score: 3, source: 'web' };
    await expectProblem(await call('POST', `/v1/outputs/${crypto.randomUUID()}/feedback`, { token, body }), 404, 'OUTPUT_NOT_FOUND');
    const theirs = await seedOutput(stranger, stranger.runs);
    await expectProblem(await call('POST', `/v1/outputs/${theirs}/feedback`, { token, body }), 404, 'OUTPUT_NOT_FOUND');
    const [rows] = await asSystem(sql`select count(*)::int as n from feedback where output_id = ${theirs}`);
    expect(rows![0]!.n).toBe(0);
    await expectProblem(await call('GET', `/v1/outputs/${stranger.outputs}/feedback`, { token }), 404, 'OUTPUT_NOT_FOUND');

    const bare = await seedOutput(ids, ids.runs);
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/outputs/${bare}/feedback`, { token }));
    await expectProblem(result, 404, 'FEEDBACK_NOT_FOUND');
    expect(roundTrips).toBe(1);
  });
});

describe('runs and outputs together', () => {
  it('a run lists the outputs stored for it', async () => {
    const ids = await fixture('together');
    const run = await seedRun(ids, 'running');
    const token = await tokenAs(ids, 'editor');
    const first = await json<Output>(await call('POST', `/v1/runs/${run}/outputs`, { token, body: { format: 'markdown', content: 'one' } }));
    const second = await json<Output>(await call('POST', `/v1/runs/${run}/outputs`, { token, body: { format: 'html', content: '<p>two</p>' } }));
    const fetched = await json<{ outputs: Output[] }>(await call('GET', `/v1/runs/${run}`, { token }));
    expect(fetched.outputs.map((o) => o.id)).toEqual([first.id, second.id]);
  });
});
