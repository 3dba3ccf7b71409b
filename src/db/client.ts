import { neon, neonConfig, type NeonQueryFunction } from '@neondatabase/serverless';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import type { Env } from '../env';

export type Sql = NeonQueryFunction<false, false>;
export type Database = NeonHttpDatabase<Record<string, never>> & { $client: Sql };

export interface ClientOptions {
  /** Run transaction batches READ ONLY. */
  readOnly?: boolean;
}

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
