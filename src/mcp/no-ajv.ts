/**
 * Stands in for `ajv` and `ajv-formats` in the Worker's bundle (wrangler.toml `[alias]`). The MCP
 * SDK's server imports them for one default, a JSON Schema validator of elicitation answers; this
 * server elicits nothing and passes a validator of its own (src/mcp/server.ts), so the ~35 KiB
 * (gzip) of the validator compiler would only be carried, never run. Using it says so.
 */
export default class NotBundled {
  constructor() {
    throw new Error('ajv is not in the Worker bundle (src/mcp/no-ajv.ts)');
  }
}
