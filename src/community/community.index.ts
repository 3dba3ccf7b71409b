import { createRouter } from '../lib/create-router';

export const communityRouter = createRouter();
