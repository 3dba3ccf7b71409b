import { createRouter } from '../lib/create-router';

export const auditRouter = createRouter();
