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

/** The problem of a request part (`body`, `param`, `query`, ...) that failed its schema. */
export function validationError(target: string, error: z.ZodError): ApiError {
  const errors = fieldErrors(error, target);
  if (target === 'body') {
    return new ApiError(422, 'VALIDATION_FAILED', 'The request body is invalid.', { errors });
  }
  return new ApiError(400, 'INVALID_REQUEST', `The request ${target} is invalid.`, { errors });
}

/** One validation hook for every route, so every validation failure has the same shape. */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, _c) => {
  if (result.success) return;
  throw validationError(result.target === 'json' || result.target === 'form' ? 'body' : result.target, result.error as z.ZodError);
};

/** The one router factory: every area builds its router with it. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ strict: true, defaultHook: validationHook });
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
