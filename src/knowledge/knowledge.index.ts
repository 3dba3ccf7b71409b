import { createRouter } from '../lib/create-router';

export const knowledgeRouter = createRouter();
