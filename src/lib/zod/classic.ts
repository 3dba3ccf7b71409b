/** zod's classic API (`z`) as the Worker bundles it: see ./index.ts. */
import en from '../../../node_modules/zod/v4/locales/en.js';

export * from '../../../node_modules/zod/v4/classic/external.js';
export * as core from './core';
export const locales = { en };
export { compile, deepPartial, fromJSONSchema, input, INVALID, output, withParser, ZodCompileAsyncError, ZodCompileUnsupportedError } from './not-bundled';
