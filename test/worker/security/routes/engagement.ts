import type { RouteSpec } from './types';

export const ENGAGEMENT_ROUTES: Record<string, RouteSpec> = {};
