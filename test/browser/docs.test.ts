import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openPage, screenshot, useBrowser } from './browser';

const baseUrl = inject('apiBaseUrl');
const scalarPackage = join(import.meta.dirname, '../../node_modules/@scalar/api-reference');

describe('/docs in Chromium, with every other origin refused', () => {
  const browser = useBrowser();

  it('renders the API reference from the API alone', async () => {
    const spec = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
      info: { title: string };
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    const summaries = Object.values(spec.paths).flatMap((operations) =>
      Object.values(operations).flatMap((operation) => operation.summary ?? []),
    );
    expect(summaries.length).toBeGreaterThan(10);

    const { page, refused, errors } = await openPage(browser(), baseUrl);
    const response = await page.goto(`${baseUrl}/docs`, { waitUntil: 'networkidle0' });
    expect(response?.status()).toBe(200);
    // Scalar renders on the client: the title and the operations appear once the bundle ran and read the document.
    const shown = [spec.info.title, summaries[0]!];
    await page.waitForFunction((texts: string[]) => texts.every((text) => document.body.innerText.includes(text)), { timeout: 30_000 }, shown);
    expect(spec.info.title).toBe('Edge Data API');
    await screenshot(page, 'docs');

    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('static assets before the Worker (wrangler.toml [assets], public/_headers)', () => {
  it("serves the installed package's bundle, linked by /docs under its version, cached as immutable", async () => {
    const { version } = JSON.parse(readFileSync(join(scalarPackage, 'package.json'), 'utf8')) as { version: string };
    const html = await (await fetch(`${baseUrl}/docs`)).text();
    const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual([`/vendor/scalar-api-reference-${version}/standalone.js`]);

    const response = await fetch(`${baseUrl}${sources[0]}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript\b/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const served = createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
    const installed = createHash('sha256').update(readFileSync(join(scalarPackage, 'dist/browser/standalone.js'))).digest('hex');
    expect(served).toBe(installed);
  });

  it.each([
    ['a path no file or route has', '/no-such-page'],
    ['another version of the bundle', '/vendor/scalar-api-reference-0.0.0/standalone.js'],
  ])('%s still reaches the Worker: its 404 problem+json', async (_name, path) => {
    const response = await fetch(`${baseUrl}${path}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });
});
