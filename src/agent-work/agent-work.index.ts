import { createRouter } from '../lib/create-router';

export const agentWorkRouter = createRouter();
