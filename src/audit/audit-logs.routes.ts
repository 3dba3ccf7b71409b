import { CAN } from '../auth/principal';
import { problemResponses } from '../lib/openapi';
import { protectedRoute } from '../lib/routes';
import { jsonResponse } from '../lib/schemas';
import { AuditLogListQuerySchema, AuditLogPageSchema } from './audit-logs.schemas';

export const listAuditLogs = protectedRoute({
  method: 'get',
  path: '/v1/audit-logs',
  tags: ['audit-logs'],
  summary: "List the client's audit trail",
  description:
    'Every insert, update and delete of the client’s data, written by the database in the same transaction as the ' +
    'change. Newest first, cursor-paginated; filters: entity type and id, actor, action, time range [from, to). ' +
    'A client only ever sees its own rows.',
  roles: CAN.administer,
  request: { query: AuditLogListQuerySchema },
  responses: { 200: jsonResponse(AuditLogPageSchema, 'A page of audit rows, newest first.'), ...problemResponses(400) },
});
