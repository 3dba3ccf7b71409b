import type { RouteSpec } from './types';

export const LEARNING_ROUTES: Record<string, RouteSpec> = {};
