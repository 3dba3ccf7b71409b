import { neon, neonConfig, types, type NeonQueryFunction } from '@neondatabase/serverless';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import type { Env } from '../env';

export type Sql = NeonQueryFunction<false, false>;
export type Database = NeonHttpDatabase<Record<string, never>> & { $client: Sql };

export interface ClientOptions {
  /** Run transaction batches READ ONLY. */
  readOnly?: boolean;
}

/**
 * The one timestamp policy of every query path: date, time and interval values (and their arrays)
 * arrive as Postgres' text, and the code that knows the column turns them into values (drizzle's
 * columns into `Date`s; raw SQL selects ISO 8601 with `to_json(…)`). The driver's type parsers are
 * global, and drizzle's neon-http installs exactly these on its first use; installing them when this
 * module loads means the first request of an isolate sees what the hundredth sees.
 */
const TEXT_TYPE_IDS = [
  types.builtins.TIMESTAMPTZ,
  types.builtins.TIMESTAMP,
  types.builtins.DATE,
  types.builtins.INTERVAL,
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
];
for (const id of TEXT_TYPE_IDS) types.setTypeParser(id as number, (value: string) => value);

/**
 * A Neon HTTP client for one request. Every call it makes shares one deadline
 * (`DB_TIMEOUT_MS` from the moment the client is created), so a slow or unreachable database
 * aborts the fetch instead of hanging the request.
 */
export function createSql(config: Env, options: ClientOptions = {}): Sql {
  // The endpoint override is global to the driver; it is fixed per deployment, and only
  // development and tests set it (production resolves Neon's endpoint from DATABASE_URL).
  if (config.NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = config.NEON_FETCH_ENDPOINT;
  return neon(config.DATABASE_URL, {
    readOnly: options.readOnly ?? false,
    fetchOptions: { signal: AbortSignal.timeout(config.DB_TIMEOUT_MS) },
  });
}

export function createDatabase(config: Env, options: ClientOptions = {}): Database {
  return drizzle({ client: createSql(config, options) }) as Database;
}
