type SnakeKey<S extends string> = S extends `${infer Head}${infer Tail}`
  ? Head extends Lowercase<Head>
    ? `${Head}${SnakeKey<Tail>}`
    : `_${Lowercase<Head>}${SnakeKey<Tail>}`
  : S;

type ApiValue<V> = V extends Date ? string : V;

/** A row as the API shows it: snake_case keys, timestamps as ISO 8601 strings. */
export type ApiShape<T> = { [K in keyof T as K extends string ? SnakeKey<K> : K]: ApiValue<T[K]> };

const snakeKeys = new Map<string, string>();
/** A column's key in snake_case, worked out once per key (rows carry the same few keys: the columns selected). */
function snake(key: string): string {
  let out = snakeKeys.get(key);
  if (out === undefined) {
    out = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    snakeKeys.set(key, out);
  }
  return out;
}

/** The one row → response mapping of the API (keys of nested JSON values are left as stored). */
export function toApi<T extends Record<string, unknown>>(row: T): ApiShape<T> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    const value = row[key];
    out[snake(key)] = value instanceof Date ? value.toISOString() : value;
  }
  return out as ApiShape<T>;
}
