import type { RouteSpec } from './types';

export const AGENT_WORK_ROUTES: Record<string, RouteSpec> = {};
