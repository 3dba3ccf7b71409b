import type { TenantRole } from '../db/context';

export type Role = TenantRole | 'system';
export const TENANT_ROLES = ['owner', 'admin', 'editor', 'viewer', 'service'] as const satisfies readonly TenantRole[];
export const ROLES = [...TENANT_ROLES, 'system'] as const satisfies readonly Role[];

/** Who is calling, from a verified token. `system` principals have no client. */
export type Principal =
  | { kind: 'user' | 'api_key'; subject: string; clientId: string; role: TenantRole; tokenId: string | null }
  | { kind: 'system'; subject: string; clientId: null; role: 'system'; tokenId: string | null };

export type TenantPrincipal = Extract<Principal, { clientId: string }>;

/** Role sets named for what they may do (the role matrix of the API). */
export const CAN = {
  /** Read tenant data. */
  read: ['owner', 'admin', 'editor', 'viewer'],
  /** Read tenant data, machine clients included (e.g. a posting bot reading the approval queue). */
  readAutomated: ['owner', 'admin', 'editor', 'viewer', 'service'],
  /** Write tenant content (brand kits, knowledge, runs, engagement). */
  write: ['owner', 'admin', 'editor'],
  /** Work machine clients do as well as editors: drive runs, store outputs, ingest detected posts. */
  automate: ['owner', 'admin', 'editor', 'service'],
  /** Manage members, API keys and client settings. */
  administer: ['owner', 'admin'],
  /** Identify oneself: every tenant principal. */
  identify: ['owner', 'admin', 'editor', 'viewer', 'service'],
} as const satisfies Record<string, readonly TenantRole[]>;

/** Narrows a principal on a tenant route (its middleware admits tenant roles only). */
export function tenantPrincipal(principal: Principal): TenantPrincipal {
  if (principal.clientId === null) throw new Error('tenant route reached without a tenant principal');
  return principal;
}
