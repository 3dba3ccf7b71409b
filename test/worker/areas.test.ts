import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { AREAS, areaKey } from '../../src/lib/areas';
import { OPENAPI_DOCUMENT } from '../../src/lib/openapi';

interface RouteDefinition {
  method: string;
  path: string;
}

/** The OpenAPI routes of an app; none for the review desk's pages (a plain Hono router, not in the API document). */
const routesOf = (app: unknown) =>
  ((app as { openAPIRegistry?: { definitions: unknown[] } }).openAPIRegistry?.definitions ?? [])
    .filter((d) => (d as { type: string }).type === 'route')
    .map((d) => {
      const { method, path } = (d as { route: RouteDefinition }).route;
      return `${method.toUpperCase()} ${path}`;
    });

describe('the Worker builds the API area by area (src/lib/areas.ts)', () => {
  it("serves every route of the API from its own area's router, and every area is one of the API's", async () => {
    const all = routesOf(createApp());
    const byArea = new Map<unknown, string[]>();
    for (const load of new Set(AREAS.values())) byArea.set(load, routesOf(await load()));
    for (const route of all) {
      const load = AREAS.get(areaKey(route.split(' ')[1]!.replace(/\{[^}]+\}/g, 'x')));
      expect(load, `${route} has an area`).toBeDefined();
      expect(byArea.get(load), `${route} is in its area's router`).toContain(route);
    }
    expect([...byArea.values()].flat().sort()).toEqual([...all].sort());
  });

  it('keys a path by its first two segments', () => {
    expect(areaKey('/v1/posts/123/decisions')).toBe('/v1/posts');
    expect(areaKey('/health')).toBe('/health');
    expect(areaKey('/v1')).toBe('/v1');
    expect(areaKey('/')).toBe('/');
    expect(areaKey('/desk')).toBe('/desk');
    expect(areaKey('/desk/replies/123/approve')).toBe('/desk');
    expect(areaKey('/desktop')).toBe('/desktop');
  });

  it('serves the OpenAPI document of the whole API, generated once', async () => {
    const first = await exports.default.fetch('http://api.test/openapi.json');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const document = await first.json();
    expect(document).toEqual(JSON.parse(JSON.stringify(createApp().getOpenAPI31Document(OPENAPI_DOCUMENT))));
    const again = await exports.default.fetch('http://api.test/openapi.json');
    expect(await again.json()).toEqual(document);
  });

  it('answers a path of no route, inside an area or not, with the same 404', async () => {
    for (const path of ['/v1/posts/x/y/z', '/v1/nope', '/nope', '/v1/posts/']) {
      const response = await exports.default.fetch(`http://api.test${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(((await response.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    }
  });
});
