// Values test/global-setup.ts provides to the tests (vitest `provide` / `inject`).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** SQL-over-HTTP endpoints of the local Neon-compatible servers, one per lane (a workerd runtime each). */
    neonSqlEndpoints: string[];
    /** An endpoint that accepts connections and never answers: exercises the database deadline. */
    stalledSqlEndpoint: string;
    /** An endpoint nothing listens on: exercises an unreachable database. */
    unreachableSqlEndpoint: string;
  }
}
