import type { FixtureIds } from '../../../helpers/tenant-fixture';

export interface ValidRequest {
  path: string;
  body?: unknown;
  /** Headers the request needs besides the token (a signed webhook delivery's signature). */
  headers?: Record<string, string>;
}

export interface RouteSpec {
  /** Not behind a token (health, docs, API-key exchange). */
  public?: true;
  /**
   * A request that succeeds (2xx) for every role the route admits, for client `a`. What it changes
   * or deletes it creates first, so calling it again, or after any other, succeeds again.
   * `caller`: the user the request is sent as (default `a`'s owner), for routes on the caller's own rows.
   */
  valid: (a: FixtureIds, caller?: string) => Promise<ValidRequest>;
}
