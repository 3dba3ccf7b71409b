import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { auditLogs } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { toApi } from '../lib/serialize';
import type { listAuditLogs } from './audit-logs.routes';

export const list: AppRouteHandler<typeof listAuditLogs> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(auditLogs.createdAt, auditLogs.id, query.cursor);
  // Row-level security admits only this client's rows; the client_id filter says so again.
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(auditLogs)
        .where(
          and(
            eq(auditLogs.clientId, clientId),
            query.entity_type ? eq(auditLogs.entityType, query.entity_type) : undefined,
            query.entity_id ? eq(auditLogs.entityId, query.entity_id) : undefined,
            query.actor_id ? eq(auditLogs.actorId, query.actor_id) : undefined,
            query.action ? eq(auditLogs.action, query.action) : undefined,
            query.from ? gte(auditLogs.createdAt, sql`${query.from}::timestamptz`) : undefined,
            query.to ? lt(auditLogs.createdAt, sql`${query.to}::timestamptz`) : undefined,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};
