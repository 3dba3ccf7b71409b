import fc from 'fast-check';

/**
 * fast-check arbitraries of values that fit a JSON Schema (the OpenAPI 3.1 document's dialect:
 * type, enum, format, pattern, min/max length and items, minimum/maximum, properties, required,
 * additionalProperties, anyOf, allOf, $ref), drawn towards the hostile end of what fits: lengths
 * at their bounds, astral, combining, right-to-left and invisible characters, NUL and lone
 * surrogates, numbers at their limits, instants at the first and last accepted millisecond,
 * deep and empty JSON. A schema says nothing of cross-field rules, so some values still fail
 * validation; the fuzz suite measures how many do not.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface SchemaContext {
  /** The schema a `$ref` names. */
  resolve(ref: string): JsonSchema;
  /** Ids worth sending in a uuid field named `field` (the caller's own rows), besides random ones. */
  idsFor(field: string): string[];
}

/** The first and last instants and days the API documents (1970-01-01 to 2200-12-31 UTC). */
const INSTANTS = [
  '1970-01-01T00:00:00Z',
  '1970-01-01T00:00:00.000-14:00',
  '1970-01-01T00:00:00+14:00', // before 1970 in UTC: refused
  '2200-12-31T23:59:59.999Z',
  '2200-12-31T23:59:59.999+14:00',
  '2200-12-31T23:59:59-14:00', // after 2200 in UTC: refused
  '2024-02-29T23:59:59.999999Z',
  '2026-03-29T01:30:00+01:00',
  '2038-01-19T03:14:08Z', // one second past a 32-bit time_t
];
const DAYS = ['1970-01-01', '2200-12-31', '2024-02-29', '2100-02-28', '2038-01-19'];
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const EMAILS = [`${'x'.repeat(64)}@example.test`, "o'brien+tag@example.test", 'a@b.example', 'UPPER.case@EXAMPLE.test'];
const URLS = ['https://example.test/', `https://example.test/${encodeURIComponent('𝕳é\u202e')}?q=%00#frag`, 'http://127.0.0.1:1/a', 'https://[::1]/x'];

/** Short hostile strings: control and invisible characters, NUL, lone surrogates, SQL and LIKE syntax, prototype keys. */
export const HOSTILE_STRINGS = [
  'nul \u0000 inside',
  'lone \ud800 high surrogate',
  'lone \udfff low surrogate',
  '\ud83d',
  '\u202eevil\u202c שלום مرحبا',
  '\ufeff\u200b\u2028\u2029',
  '\r\n\t\u0007\u001b[31m',
  ' ',
  "'; drop table posts; --",
  "Robert'); delete from clients; --",
  '%_\\%',
  '$1 ${x} {{x}} <script>alert(1)</script>',
  '__proto__',
  'constructor',
  'null',
];
/** Characters to fill a string to its bounds with: astral, emoji with joiners, combining marks. */
const FILLERS = ['𝕳', '👩‍👩‍👧', 'é', '\u0301', 'ß', '\u0000', 'x'];

/** `text` cut or padded (with 'x') to between `min` and `max` UTF-16 units, as zod counts them. */
function fit(text: string, min: number, max: number): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  return cut.length < min ? cut + 'x'.repeat(min - cut.length) : cut;
}

function stringArbitrary(s: JsonSchema, field: string, ctx: SchemaContext): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 10_000, 100_000);
  if (s.format === 'uuid') {
    const own = ctx.idsFor(field);
    return fc.oneof(
      { arbitrary: own.length ? fc.constantFrom(...own) : fc.uuid(), weight: 4 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: fc.constantFrom(NIL_UUID, MAX_UUID), weight: 1 },
    );
  }
  if (s.format === 'date-time') return fc.oneof(fc.constantFrom(...INSTANTS), fc.date({ min: new Date(0), max: new Date('2200-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()));
  if (s.format === 'date') return fc.oneof(fc.constantFrom(...DAYS), fc.date({ min: new Date(0), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  if (s.format === 'email') return fc.constantFrom(...EMAILS);
  if (s.format === 'uri') return fc.constantFrom(...URLS);
  if (s.pattern) {
    const pattern = new RegExp(s.pattern);
    return fc.stringMatching(pattern, { size: 'medium' }).filter((v) => v.length >= min && v.length <= max);
  }
  return fc.oneof(
    // At the longest, filled with one kind of odd character (a multi-unit one may end split: a lone surrogate).
    fc.constantFrom(...FILLERS).map((c) => fit(c.repeat(Math.ceil(max / c.length)), min, max)),
    fc.constantFrom(...HOSTILE_STRINGS).map((h) => fit(h, min, max)),
    fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 40) }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 40) }).filter((v) => v.length <= max),
  );
}

function numberArbitrary(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const low = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum : -Number.MAX_SAFE_INTEGER);
  const high = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum : Number.MAX_SAFE_INTEGER);
  const inRange = (n: number) =>
    n >= low &&
    n <= high &&
    (s.exclusiveMinimum === undefined || n > s.exclusiveMinimum) &&
    (s.exclusiveMaximum === undefined || n < s.exclusiveMaximum) &&
    (!integer || Number.isInteger(n));
  // Bounds and their neighbours, the int4 and float4 edges, the smallest doubles (float4 underflow).
  const edges = [low, high, low + 1, high - 1, 0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, 3.4e38, 1e15, -1e15, 5e-324, 1e-46, Number.EPSILON, 0.1 + 0.2];
  if (s.exclusiveMinimum !== undefined) edges.push(s.exclusiveMinimum + Number.EPSILON, s.exclusiveMinimum + 1e-9);
  const candidates = [...new Set(edges.filter(inRange))];
  if (integer) {
    const random = fc.integer({ min: Math.max(Math.ceil(low), -Number.MAX_SAFE_INTEGER), max: Math.min(Math.floor(high), Number.MAX_SAFE_INTEGER) });
    return candidates.length ? fc.oneof(fc.constantFrom(...candidates), random) : random;
  }
  // fast-check's doubles lean to the extremes (subnormals, ±max): one draw in five; the others ordinary.
  const extreme = fc.double({ min: low, max: high, noNaN: true, noDefaultInfinity: true }).filter(inRange);
  const ordinary = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 1000).filter(inRange);
  return fc.oneof(
    { arbitrary: candidates.length ? fc.constantFrom(...candidates) : extreme, weight: 1 },
    { arbitrary: extreme, weight: 1 },
    { arbitrary: ordinary.filter(inRange), weight: 3 },
  );
}

/** A JSON value `depth` objects deep. */
const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { k: nested(depth - 1) });

/** Free-form JSON objects: empty, deep (to the documented 32 levels), odd keys, numbers at their edges. */
const FREE_OBJECTS: Record<string, unknown>[] = [
  {},
  nested(31) as Record<string, unknown>,
  { a: JSON.parse(`${'['.repeat(30)}1${']'.repeat(30)}`) as unknown },
  { '': null, 'nul\u0000key': 'nul\u0000value', '𝕂𝕖𝕪': '\ud800', __proto__x: { constructor: 1 } },
  { big: 1e15, small: -1e15, tiny: 5e-324, huge: 1.7976931348623157e308, neg0: -0 },
  { [`${'k'.repeat(200)}`]: 'x'.repeat(1000) },
];

function objectArbitrary(s: JsonSchema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  if (s.properties) {
    const entries = Object.entries(s.properties).map(([key, child]) => [key, arbitraryOf(child, ctx, key, depth + 1)] as const);
    return fc.record(Object.fromEntries(entries), { requiredKeys: (s.required ?? []).filter((k) => k in s.properties!) });
  }
  const typed = s.additionalProperties && typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length > 0;
  const values = typed ? arbitraryOf(s.additionalProperties as JsonSchema, ctx, '', depth + 1) : fc.jsonValue({ maxDepth: 2 });
  // Keys mostly as a record's key schema would take them (the document does not say which), sometimes any.
  const keys = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), weight: 8 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 });
  const dictionaries = fc.dictionary(keys, values, { maxKeys: 4 });
  // Free-form JSON also gets the deep, empty and odd objects above.
  return typed ? dictionaries : fc.oneof({ arbitrary: dictionaries, weight: 3 }, { arbitrary: fc.constantFrom(...FREE_OBJECTS), weight: 1 });
}

/** One schema out of an `allOf`: properties and required merged, the first enum, format or pattern kept. */
function merge(parts: JsonSchema[]): JsonSchema {
  return parts.reduce<JsonSchema>(
    (acc, part) => ({
      ...part,
      ...acc,
      properties: acc.properties || part.properties ? { ...part.properties, ...acc.properties } : undefined,
      required: [...(acc.required ?? []), ...(part.required ?? [])],
    }),
    {},
  );
}

/** An arbitrary of values fitting `schema`; `field` is the property the value goes in (for ids). */
export function arbitraryOf(schema: JsonSchema, ctx: SchemaContext, field = '', depth = 0): fc.Arbitrary<unknown> {
  let s = schema;
  while (s.$ref) s = { ...ctx.resolve(s.$ref), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
  if (s.allOf) return arbitraryOf(merge(s.allOf.map((p) => (p.$ref ? { ...ctx.resolve(p.$ref) } : p))), ctx, field, depth);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => arbitraryOf(b, ctx, field, depth)));
  if (s.enum) return fc.constantFrom(...s.enum);
  const types = [s.type ?? []].flat();
  const nullable = types.includes('null');
  const type = types.find((t) => t !== 'null');
  let value: fc.Arbitrary<unknown>;
  switch (type) {
    case 'string':
      value = stringArbitrary(s, field, ctx);
      break;
    case 'integer':
    case 'number':
      value = numberArbitrary(s, type === 'integer');
      break;
    case 'boolean':
      value = fc.boolean();
      break;
    case 'array': {
      const items = arbitraryOf(s.items ?? {}, ctx, field, depth + 1);
      const min = s.minItems ?? 0;
      const max = s.maxItems ?? 20;
      if (min > 50) {
        // A long fixed-size vector (an embedding): one drawn item among ordinary ones, else one bad item in 1,536 always decides.
        const ordinary = fc.double({ min: -1, max: 1, noNaN: true });
        value = fc.tuple(items, fc.array(ordinary, { minLength: min, maxLength: min }), fc.nat(min - 1)).map(([item, rest, at]) => rest.map((v, i) => (i === at ? item : v)));
        break;
      }
      const arrays = [fc.array(items, { minLength: min, maxLength: Math.max(min, Math.min(max, 3)) })];
      // As many items as allowed, when that is a modest number (bulk limits are reached in their own tests).
      if (max <= 50 && depth < 2) arrays.push(fc.array(items, { minLength: max, maxLength: max }));
      value = arrays.length > 1 ? fc.oneof({ arbitrary: arrays[0]!, weight: 4 }, { arbitrary: arrays[1]!, weight: 1 }) : arrays[0]!;
      break;
    }
    case 'object':
      value = objectArbitrary(s, ctx, depth);
      break;
    case 'null':
    case undefined:
      value = nullable && !type ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
      break;
    default:
      value = fc.jsonValue({ maxDepth: 2 });
  }
  return nullable && type ? fc.oneof({ arbitrary: value, weight: 5 }, { arbitrary: fc.constant(null), weight: 1 }) : value;
}

/** A query or path value as it goes on the wire: percent-encoded, a lone surrogate as the (invalid UTF-8) bytes it would be. */
export function encodeParameter(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) => {
    if (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff') return `%${[0xed, 0x80 | ((ch.charCodeAt(0) >> 6) & 0x3f), 0x80 | (ch.charCodeAt(0) & 0x3f)].map((b) => b.toString(16).toUpperCase()).join('%')}`;
    return encodeURIComponent(ch);
  });
}
