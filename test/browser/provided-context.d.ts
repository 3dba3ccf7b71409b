// Values test/browser/global-setup.ts provides to the browser tests (vitest `provide` / `inject`).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Worker under `wrangler dev` (http://127.0.0.1:PORT, no trailing slash). */
    apiBaseUrl: string;
    /** SQL-over-HTTP endpoint of the local database the Worker talks to (migrated and seeded). */
    apiSqlEndpoint: string;
    /** The Worker's JWT_SECRET, to sign tokens (scripts/dev-token.ts `mintDevToken`). */
    apiJwtSecret: string;
  }
}
