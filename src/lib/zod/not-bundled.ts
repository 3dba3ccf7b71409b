/**
 * What zod exports that no code of the Worker calls, left out of its bundle (see ./index.ts): the
 * ahead-of-time parser compiler, the JSON Schema importer and legacy generator, and the schema
 * rewriters `deepPartial`, `input`, `output` (the types `z.input<…>`/`z.output<…>` are unaffected:
 * types come from zod itself). Calling one says so.
 */
const notBundled = (name: string) => () => {
  throw new Error(`zod's ${name} is not in the Worker's bundle (src/lib/zod/index.ts)`);
};

export const compile = notBundled('compile');
export const compileFn = notBundled('compileFn');
export const withParser = notBundled('withParser');
export const ZodCompileAsyncError = notBundled('ZodCompileAsyncError');
export const ZodCompileUnsupportedError = notBundled('ZodCompileUnsupportedError');
export const fromJSONSchema = notBundled('fromJSONSchema');
export const JSONSchemaGenerator = notBundled('JSONSchemaGenerator');
export const deepPartial = notBundled('deepPartial');
export const input = notBundled('input');
export const output = notBundled('output');
/** zod's own value (a registered symbol). */
export const INVALID = Symbol.for('zod.compile.invalid');
