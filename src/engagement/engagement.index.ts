import { createRouter } from '../lib/create-router';

export const engagementRouter = createRouter();
