import type { RouteSpec } from './types';

export const AUDIT_ROUTES: Record<string, RouteSpec> = {};
