import { describe, expect, it } from 'vitest';
// zod's real entry, by path: wrangler.toml's alias turns the package name `zod` into the module below.
import * as real from '../../node_modules/zod/index.js';
import * as bundled from '../../src/lib/zod/index';
import { ProblemSchema } from '../../src/lib/openapi';

/** Stand-ins for what is left out (src/lib/zod/not-bundled.ts); `INVALID` is zod's own registered symbol. */
const LEFT_OUT = ['compile', 'deepPartial', 'fromJSONSchema', 'input', 'output', 'withParser', 'ZodCompileAsyncError', 'ZodCompileUnsupportedError'];
const LEFT_OUT_OF_CORE = ['compile', 'compileFn', 'JSONSchemaGenerator', 'withParser', 'ZodCompileAsyncError', 'ZodCompileUnsupportedError'];

/** The names of a module namespace whose values differ between two namespaces. */
function differing(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(a).filter((name) => a[name] !== b[name]);
}

describe("the Worker's zod (src/lib/zod, aliased in wrangler.toml)", () => {
  it("exports every name zod's entry does, each the very same value but the locales and what is left out", () => {
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(real).sort());
    expect(differing(bundled, real).sort()).toEqual([...LEFT_OUT, 'core', 'default', 'locales', 'z'].sort());
    expect(Object.keys(bundled.z).sort()).toEqual(Object.keys(real.z).sort());
    expect(differing(bundled.z, real.z).sort()).toEqual([...LEFT_OUT, 'core', 'locales'].sort());
  });

  it('core is zod core with the same values, English its only locale', () => {
    expect(Object.keys(bundled.core).sort()).toEqual(Object.keys(real.core).sort());
    expect(differing(bundled.core, real.core).sort()).toEqual([...LEFT_OUT_OF_CORE, 'locales'].sort());
    expect(Object.keys(bundled.locales)).toEqual(['en']);
    expect(bundled.locales.en).toBe(real.locales.en);
    expect(bundled.core.locales.en).toBe(real.core.locales.en);
    expect(bundled.INVALID).toBe(real.INVALID);
  });

  it('validation messages are English, as before', () => {
    const result = bundled.z.object({ name: bundled.z.string().min(2) }).safeParse({ name: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Invalid input: expected string, received number');
    expect(ProblemSchema.safeParse({}).error?.issues[0]?.message).toBe('Invalid input: expected string, received undefined');
  });

  it('what is left out says so when called', () => {
    expect(() => bundled.z.compile()).toThrow(/not in the Worker's bundle/);
    expect(() => bundled.fromJSONSchema()).toThrow(/not in the Worker's bundle/);
  });
});
