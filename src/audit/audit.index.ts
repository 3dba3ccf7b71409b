import { createRouter } from '../lib/create-router';
import * as handlers from './audit-logs.handlers';
import * as routes from './audit-logs.routes';

/** The audit trail (read-only: the database writes it). */
export const auditRouter = createRouter().openapi(routes.listAuditLogs, handlers.list);
