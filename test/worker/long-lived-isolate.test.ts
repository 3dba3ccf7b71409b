import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createApp } from '../../src/app';
import type { Role } from '../../src/auth/principal';
import { call } from '../helpers/api';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from '../helpers/tenant-fixture';
import { systemToken, tokenFor } from '../helpers/tokens';
import { ROUTES } from './security/routes';

/**
 * One isolate serves many requests: global state a library changes on first use (type parsers,
 * caches) must not change what later requests see. This file runs every operation in the same
 * isolate, then checks /health and the shape of every GET response against its OpenAPI schema.
 */
interface RouteDefinition {
  method: string;
  path: string;
  'x-roles'?: Role[];
  responses: Record<string, { content?: Record<string, { schema: z.ZodType }> }>;
}

const definitions = createApp()
  .openAPIRegistry.definitions.filter((d) => d.type === 'route')
  .map((d) => (d as unknown as { route: RouteDefinition }).route);

let a: FixtureIds;
beforeAll(async () => {
  a = await createTenantFixture('isolate');
});
afterAll(async () => {
  await deleteTenantFixture(a);
});

async function routeToken(route: RouteDefinition): Promise<string | undefined> {
  const role = route['x-roles']?.[0];
  if (!role) return undefined;
  return role === 'system' ? systemToken() : tokenFor({ clientId: a.clients, userId: a.users, role });
}

async function health(): Promise<{ status: number; body: { status: string; database: { server_time: string } } }> {
  const response = await call('GET', '/health');
  return { status: response.status, body: (await response.json()) as never };
}

describe('a long-lived isolate', () => {
  it('answers /health the same before and after every other operation, and every GET keeps its documented shape', async () => {
    const first = await health();
    expect(first.status).toBe(200);

    for (const route of definitions) {
      const spec = ROUTES[`${route.method.toUpperCase()} ${route.path}`];
      expect(spec, `${route.method} ${route.path} has a valid request`).toBeDefined();
      const request = await spec!.valid(a);
      const token = await routeToken(route);
      const response = await call(route.method.toUpperCase(), request.path, { token, body: request.body, headers: request.headers });
      expect(response.status, `${route.method} ${request.path}: ${await response.clone().text()}`).toBeLessThan(300);
      await response.arrayBuffer();
    }

    for (let i = 0; i < 3; i++) {
      const later = await health();
      expect(later.status).toBe(200);
      expect(later.body.database.server_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Object.keys(later.body).sort()).toEqual(Object.keys(first.body).sort());
    }

    for (const route of definitions.filter((r) => r.method === 'get')) {
      const schema = route.responses['200']?.content?.['application/json']?.schema;
      if (!schema) continue; // non-JSON bodies (output content, the docs page)
      const request = await ROUTES[`GET ${route.path}`]!.valid(a);
      const response = await call('GET', request.path, { token: await routeToken(route) });
      expect(response.status, request.path).toBe(200);
      if (!response.headers.get('content-type')?.startsWith('application/json')) continue; // e.g. an output's markdown
      const parsed = schema.safeParse(await response.json());
      expect(parsed.success, `${request.path}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`).toBe(true);
    }
  });
});
