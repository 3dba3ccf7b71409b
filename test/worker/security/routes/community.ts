import type { RouteSpec } from './types';

export const COMMUNITY_ROUTES: Record<string, RouteSpec> = {};
