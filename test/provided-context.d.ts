// Values test/global-setup.ts provides to the tests (vitest `provide` / `inject`).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** SQL-over-HTTP endpoint of the local Neon-compatible server the Worker talks to. */
    neonSqlEndpoint: string;
    /** Base URL of that server, for its request counter. */
    neonLocalUrl: string;
    /** An endpoint that accepts connections and never answers: exercises the database deadline. */
    stalledSqlEndpoint: string;
    /** An endpoint nothing listens on: exercises an unreachable database. */
    unreachableSqlEndpoint: string;
  }
}
