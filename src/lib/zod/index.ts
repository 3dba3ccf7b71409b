/**
 * `zod` as the Worker bundles it (wrangler.toml `[alias]`): zod's own entry re-exported from the
 * same modules, less what the Worker never uses — the locales other than English (`z.locales`
 * and `z.core.locales` hold `en` only, the language zod speaks by default and every message of
 * the API is in), and functions no code of the Worker calls (./not-bundled.ts).
 * zod's entry exports all 64 locales in one namespace, and `@hono/zod-openapi` hands the whole
 * `z` namespace to `extendZodWithOpenApi`, so no bundler could leave them out otherwise: they
 * were a fifth of the bundle. Type-checking and Node tooling use the real `zod`;
 * test/worker/zod-bundle.test.ts checks this module against zod's entry.
 */
import * as z from './classic';

export * from './classic';
export { z, z as default };
