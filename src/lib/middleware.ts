import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { loadEnv } from '../env';
import { createLogger } from './logger';
import { ApiError } from './problem';
import type { AppEnv } from './types';

/** Largest request body the API accepts, in bytes (bulk routes stay well under it). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Headers every response carries, errors and 404s included (registered first, so it wraps the
 * error handler's responses too): browsers never guess a content type the API did not declare.
 */
export const withSecurityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.res.headers.set('x-content-type-options', 'nosniff');
});

/** Request id: honours a well-formed incoming `X-Request-Id`, otherwise generates one. */
export const withRequestId = requestId({ headerName: 'x-request-id' });

/** Attaches the validated config and a request-scoped logger, and logs one line per request. */
export const withRequestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const config = loadEnv(c.env);
  const logger = createLogger(config.LOG_LEVEL, { request_id: c.get('requestId') });
  c.set('config', config);
  c.set('logger', logger);
  await next();
  logger.info('request', {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    duration_ms: Date.now() - started,
  });
});

export const withBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
  },
});
