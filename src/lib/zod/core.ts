/** zod's core (`z.core`) as the Worker bundles it: see ./index.ts. */
import en from '../../../node_modules/zod/v4/locales/en.js';

export * from '../../../node_modules/zod/v4/core/index.js';
export const locales = { en };
export { compile, compileFn, INVALID, JSONSchemaGenerator, withParser, ZodCompileAsyncError, ZodCompileUnsupportedError } from './not-bundled';
