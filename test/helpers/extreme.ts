/** A JSON value `depth` objects deep: `{"k": {"k": … leaf …}}`. */
export function nestedJson(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { k: value };
  return value;
}
