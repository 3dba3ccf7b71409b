import type { RouteSpec } from './types';

/** The audit trail. */
export const AUDIT_ROUTES: Record<string, RouteSpec> = {
  'GET /v1/audit-logs': { valid: async () => ({ path: '/v1/audit-logs?action=insert&limit=5' }) },
};
