import { beforeAll, describe, expect, it } from 'vitest';
import { SCALAR_BUNDLE } from '../../src/lib/openapi';
import { call } from '../helpers/api';
import { tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';

const { create: fixture } = useTenantFixtures('hdr');
let a: FixtureIds;
beforeAll(async () => {
  a = await fixture('a');
});

describe('X-Content-Type-Options: nosniff on every response', () => {
  const cases: [string, number | null, () => Promise<Response>][] = [
    ['a tenant read', 200, async () => call('GET', '/v1/me', { token: await tokenAs(a, 'viewer') })],
    ['a public route', null, () => call('GET', '/health')],
    ['the OpenAPI document', 200, () => call('GET', '/openapi.json')],
    ['the reference page', 200, () => call('GET', '/docs')],
    ['a 401 (no token)', 401, () => call('GET', '/v1/me')],
    ['a 403 (role)', 403, async () => call('POST', '/v1/brand-kits', { token: await tokenAs(a, 'viewer'), body: {} })],
    ['a 404 (no route)', 404, () => call('GET', '/v1/nothing-here')],
    ['a 422 (validation)', 422, async () => call('POST', '/v1/brand-kits', { token: await tokenAs(a, 'editor'), body: {} })],
    ['a 413 (body limit)', 413, async () => call('POST', '/v1/posts/bulk', { token: await tokenAs(a, 'editor'), rawBody: 'x'.repeat(1024 * 1024 + 1) })],
  ];
  it.each(cases)('%s', async (_name, status, request) => {
    const response = await request();
    await response.arrayBuffer();
    if (status !== null) expect(response.status).toBe(status);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('/docs Content-Security-Policy', () => {
  async function docs() {
    const response = await call('GET', '/docs');
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    return { html: await response.text(), policy, directives };
  }

  it("denies by default and framing always; scripts only by the request nonce or from the API's own origin", async () => {
    const { html, directives } = await docs();
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    const scripts = directives.get('script-src')!;
    expect(scripts).toHaveLength(2);
    expect(scripts[0]).toBe("'self'");
    const nonce = /^'nonce-([A-Za-z0-9+/=]{24})'$/.exec(scripts[1]!)?.[1];
    expect(nonce).toBeDefined();
    expect(scripts.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval|strict-dynamic|\*/);

    // Every script of the page carries the nonce; the only one loaded is the bundle, from the API's own origin.
    const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(tags.flatMap((tag) => /src="([^"]+)"/.exec(tag)?.[1] ?? [])).toEqual([SCALAR_BUNDLE]);
  });

  it('names no other origin: the bundle is a static asset of the API, named after its package version', async () => {
    const { policy, html } = await docs();
    expect(policy).not.toMatch(/https?:|\/\/|\*/);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    // Served by Workers static assets (public/vendor/, scripts/vendor-assets.mjs), never by the Worker.
    expect(SCALAR_BUNDLE).toMatch(/^\/vendor\/scalar-api-reference-\d+\.\d+\.\d+\/standalone\.js$/);
  });

  it('a fresh nonce on every request', async () => {
    const [first, second] = [await docs(), await docs()];
    expect(first.directives.get('script-src')![1]).not.toBe(second.directives.get('script-src')![1]);
  });
});
