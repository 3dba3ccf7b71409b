import { z } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE } from './problem';
import type { AppEnv } from './types';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation-failed' }),
    title: z.string().openapi({ example: 'Unprocessable Content' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string(),
    code: z.string().openapi({ description: 'Stable machine-readable error code.', example: 'VALIDATION_FAILED' }),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (query, path or header).',
  401: 'Missing, malformed, forged or expired token.',
  403: 'The caller may not do this.',
  404: 'No such resource for this tenant.',
  409: 'Conflicts with the current state of the resource.',
  413: 'Body or batch too large.',
  422: 'The body failed validation.',
  503: 'The database is unavailable or too slow; retry after `Retry-After` seconds.',
};

/** OpenAPI response entries for the problem+json failures a route can answer with. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? 'Error.',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  ) as Record<S, { description: string; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } } }>;
}

/** Serves the OpenAPI 3.1 document generated from the route definitions, and a reference page. */
export function registerOpenApi(app: OpenAPIHono<AppEnv>) {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Edge Data API',
      version: '0.1.0',
      description:
        'Tenant-scoped data API of the social-media and marketing automation platform. ' +
        'Every failure is `application/problem+json` (RFC 9457).',
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A signed token (HS256 from this API, or ES256/RS256/EdDSA from the configured JWKS).',
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Edge Data API reference' }));
}
