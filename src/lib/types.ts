import type { Env } from '../env';
import type { Logger } from './logger';

/** Raw bindings as Cloudflare passes them; validated into `Env` once by `loadEnv`. */
export interface Bindings {
  [key: string]: unknown;
}

export interface AppVariables {
  config: Env;
  requestId: string;
  logger: Logger;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: AppVariables;
}
