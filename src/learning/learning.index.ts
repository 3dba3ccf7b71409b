import { createRouter } from '../lib/create-router';

export const learningRouter = createRouter();
