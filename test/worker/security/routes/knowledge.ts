import type { RouteSpec } from './types';

export const KNOWLEDGE_ROUTES: Record<string, RouteSpec> = {};
