import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { InvalidEnvError } from '../env';
import { createLogger, errorFields } from './logger';
import { ApiError, problemResponse } from './problem';
import type { AppEnv } from './types';

const HTTP_EXCEPTION_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

async function toApiError(error: unknown): Promise<{ apiError: ApiError; unexpected: boolean }> {
  if (error instanceof ApiError) return { apiError: error, unexpected: false };
  if (error instanceof HTTPException && error.status < 500) {
    const code = HTTP_EXCEPTION_CODES[error.status] ?? 'BAD_REQUEST';
    return { apiError: new ApiError(error.status, code, error.message || code, { cause: error }), unexpected: false };
  }
  if (error instanceof InvalidEnvError) {
    return {
      apiError: new ApiError(500, 'CONFIGURATION_ERROR', 'The service is misconfigured.', { cause: error }),
      unexpected: true,
    };
  }
  // Loaded here, not with this module: the database driver is loaded by the first request that
  // needs it (src/lib/areas.ts), and only such a request can fail with a database error.
  const { fromDatabaseError } = await import('../db/errors');
  const fromDb = fromDatabaseError(error);
  if (fromDb) return { apiError: fromDb, unexpected: fromDb.status >= 500 };
  return {
    apiError: new ApiError(500, 'INTERNAL_ERROR', 'An unexpected error occurred.', { cause: error }),
    unexpected: true,
  };
}

/** Every failure leaves as problem+json; stacks and driver messages stay in the logs. */
export const onError: ErrorHandler<AppEnv> = async (error, c) => {
  const { apiError, unexpected } = await toApiError(error);
  const requestId = c.get('requestId');
  const logger = c.get('logger') ?? createLogger('error');
  if (unexpected) {
    logger.error('request failed', { code: apiError.code, status: apiError.status, ...errorFields(error) });
  } else {
    logger.debug('request rejected', { code: apiError.code, status: apiError.status, detail: apiError.message });
  }
  return problemResponse(apiError, requestId);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(
    new ApiError(404, 'ROUTE_NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`),
    c.get('requestId'),
  );
