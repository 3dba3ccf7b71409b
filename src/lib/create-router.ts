import { OpenAPIHono, type Hook, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { z } from 'zod';
import { ApiError, type FieldError } from './problem';
import type { AppEnv } from './types';

function fieldErrors(error: z.ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** One validation hook for every route, so every validation failure has the same shape. */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, _c) => {
  if (result.success) return;
  const target = result.target === 'json' || result.target === 'form' ? 'body' : result.target;
  const errors = fieldErrors(result.error as z.ZodError, target);
  if (target === 'body') {
    throw new ApiError(422, 'VALIDATION_FAILED', 'The request body is invalid.', { errors });
  }
  throw new ApiError(400, 'INVALID_REQUEST', `The request ${target} is invalid.`, { errors });
};

/** The one router factory: every area builds its router with it. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ strict: true, defaultHook: validationHook });
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
