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

/** The document's own fields (the paths and components come from the route definitions). */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Edge Data API',
    version: '0.1.0',
    description:
      'Tenant-scoped data API of the social-media and marketing automation platform. ' +
      'Every failure is `application/problem+json` (RFC 9457).',
  },
} as const;

/**
 * Serves the OpenAPI 3.1 document generated from the route definitions, and a reference page.
 * The document is generated once, on its first request (generating takes tens of milliseconds;
 * the routes are all registered by then and do not change).
 */
export function registerOpenApi(app: OpenAPIHono<AppEnv>) {
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/openapi.json', (c) => {
    try {
      return c.json((document ??= app.getOpenAPI31Document(OPENAPI_DOCUMENT)));
    } catch (error) {
      return c.json(error, 500); // as `doc31` answers a document that cannot be generated
    }
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A signed token (HS256 from this API, or ES256/RS256/EdDSA from the configured JWKS).',
  });
  app.get(
    '/docs',
    // Configured per request: a fresh nonce for the page's scripts, and the policy that admits them.
    Scalar((c) => {
      const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
      c.header('content-security-policy', docsContentSecurityPolicy(nonce));
      return { url: '/openapi.json', pageTitle: 'Edge Data API reference', cdn: SCALAR_BUNDLE, nonce, withDefaultFonts: false };
    }),
  );
}

/**
 * The reference page's code: Scalar's single-file bundle, a static asset of this Worker
 * (`public/vendor/`, copied from the installed `@scalar/api-reference` by the postinstall,
 * scripts/vendor-assets.mjs), so the page needs no network beyond the API itself and works offline.
 * Scalar's page loads it and starts it with an inline script; both tags carry the request's nonce.
 * The path names the package version this page was written for (package.json pins it exactly) and
 * the copy's directory names the version installed: a page gets that bundle or a 404, never another
 * version's file (the browser tests load the page through wrangler dev and would go blank).
 */
export const SCALAR_BUNDLE = '/vendor/scalar-api-reference-1.76.0/standalone.js';

/**
 * What `/docs` may load: its nonced scripts and the API's own origin (the bundle is an asset of the
 * Worker; no third-party origin is left); inline styles (Scalar injects style elements and
 * attributes at run time: under a style nonce alone the page breaks); images from the API itself or
 * inline; requests to the API only (the document and "try it" calls, so a token typed into the page
 * goes nowhere else, not even Scalar's proxy). No fonts (Scalar's default fonts, from
 * fonts.scalar.com, are off), no frames, forms or `<base>`; no other site may frame it.
 */
function docsContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
