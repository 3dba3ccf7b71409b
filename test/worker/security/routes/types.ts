import type { FixtureIds } from '../../../helpers/tenant-fixture';

export interface ValidRequest {
  path: string;
  body?: unknown;
}

export interface RouteSpec {
  /** Not behind a token (health, docs, API-key exchange). */
  public?: true;
  /** A request that succeeds (2xx) for the route's first role, for client `a`; may create what it needs first. */
  valid: (a: FixtureIds) => Promise<ValidRequest>;
  /** For routes on one resource: the table and the fixture row of client `a` it addresses. */
  resource?: { table: string; id: (a: FixtureIds) => string; path: (id: string) => string };
}
