import type { Principal } from '../auth/principal';
import type { Executor, TenantExecutor } from '../db/executor';
import type { Env } from '../env';
import type { Logger } from './logger';

/** Raw bindings as Cloudflare passes them; validated into `Env` once by `loadEnv`. */
export interface Bindings {
  [key: string]: unknown;
  /** R2 bucket for run outputs and retention archives (wrangler.toml). */
  OBJECTS: R2Bucket;
}

export interface AppVariables {
  config: Env;
  requestId: string;
  logger: Logger;
  /** Set by the auth middleware of protected routes. */
  principal: Principal;
  /** Tenant-scoped executor: every tenant route's only way to the database. */
  tenant: TenantExecutor;
  /** Cross-tenant executor: set only on system routes. */
  system: Executor;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: AppVariables;
}
