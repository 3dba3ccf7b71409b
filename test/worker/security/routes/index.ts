import { AGENT_WORK_ROUTES } from './agent-work';
import { AUDIT_ROUTES } from './audit';
import { COMMUNITY_ROUTES } from './community';
import { CORE_ROUTES } from './core';
import { ENGAGEMENT_ROUTES } from './engagement';
import { KNOWLEDGE_ROUTES } from './knowledge';
import { LEARNING_ROUTES } from './learning';
import type { RouteSpec } from './types';
import { WEBHOOK_ROUTES } from './webhooks';

export type { RouteSpec, ValidRequest } from './types';

/**
 * Every operation of the OpenAPI document, keyed `METHOD /path` as the document spells it, one
 * file per area. The attack suite fails when the document has an operation missing here, or the
 * other way round.
 */
export const ROUTES: Record<string, RouteSpec> = {
  ...CORE_ROUTES,
  ...AGENT_WORK_ROUTES,
  ...KNOWLEDGE_ROUTES,
  ...ENGAGEMENT_ROUTES,
  ...COMMUNITY_ROUTES,
  ...LEARNING_ROUTES,
  ...AUDIT_ROUTES,
  ...WEBHOOK_ROUTES,
};

/** Routes the suite reads from the live OpenAPI document: method, path, roles (`x-roles`), body. */
export interface DocumentedRoute {
  key: string;
  method: string;
  path: string;
  roles: string[] | null;
  hasBody: boolean;
  hasIdParam: boolean;
}

export function documentedRoutes(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): DocumentedRoute[] {
  const out: DocumentedRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      out.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        roles: (op['x-roles'] as string[] | undefined) ?? null,
        hasBody: Boolean(op.requestBody),
        hasIdParam: path.includes('{id}'),
      });
    }
  }
  return out;
}
