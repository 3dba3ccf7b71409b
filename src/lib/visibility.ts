import { CAN, type Principal, type Role } from '../auth/principal';

/**
 * What a caller may read beyond the route it called (README "What each role may read"): data of
 * another resource — embedded in a response or quoted in an error — is shown only to the roles
 * that may read that resource through its own route. Machine clients (`service`) reach posts,
 * replies and runs, but not brand kits or competitors, so those reach them by no other way either.
 *
 * Each entry names the route that reads the resource; a test checks the roles agree with it.
 */
export const EMBEDDED_READERS = {
  /** Brand kit rules: reply signature, prohibited claims, voice. */
  brandKits: { route: 'GET /v1/brand-kits/{id}', roles: CAN.read },
  /** Tracked competitors: their names and details. */
  competitors: { route: 'GET /v1/competitors/{id}', roles: CAN.read },
} as const satisfies Record<string, { route: string; roles: readonly Role[] }>;

export type EmbeddedResource = keyof typeof EMBEDDED_READERS;

/** Whether the caller may read `resource` where another route embeds or quotes it. */
export function mayRead(principal: Principal, resource: EmbeddedResource): boolean {
  const roles: readonly Role[] = EMBEDDED_READERS[resource].roles;
  return roles.includes(principal.role);
}
