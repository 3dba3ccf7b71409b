import { NeonDbError } from '@neondatabase/serverless';
import { ApiError } from '../lib/problem';

const RETRY_AFTER_SECONDS = '2';

function unavailable(detail: string, cause: unknown): ApiError {
  return new ApiError(503, 'DATABASE_UNAVAILABLE', detail, {
    headers: { 'retry-after': RETRY_AFTER_SECONDS },
    cause,
  });
}

/**
 * Maps a failure of the database driver to the API's error. Constraint violations and data
 * exceptions (a value Postgres cannot take) become client errors with a stable code; transport
 * failures and timeouts become 503 with `Retry-After` (a request is one transaction, so nothing
 * was half-written).
 * Returns undefined for errors that did not come from the database.
 */
export function fromDatabaseError(error: unknown): ApiError | undefined {
  if (!(error instanceof NeonDbError)) return undefined;
  switch (error.code) {
    case undefined:
      // No SQLSTATE: the request never reached Postgres (network, deadline, HTTP 5xx).
      return unavailable('The database did not answer in time; retry shortly.', error);
    case '23505':
      return new ApiError(409, 'CONFLICT', 'A resource with the same unique key already exists.', { cause: error });
    case '23503':
    case '23001': // ON DELETE RESTRICT refusal (PostgreSQL 18 reports it as restrict_violation)
      return new ApiError(409, 'REFERENCE_CONFLICT', 'A referenced resource does not exist or is still in use.', { cause: error });
    case '23514':
    case '23502':
    case '54000': // a value beyond a size limit (e.g. an array or an index row too large)
    case '54001': // a value nested too deeply for Postgres to process
      return constraintViolation(error);
    case '21000': // one statement touching the same row twice, e.g. a bulk upsert naming a key twice
      return new ApiError(422, 'DUPLICATE_IN_BATCH', 'The request names the same item more than once.', { cause: error });
    case '40001':
    case '40P01':
      return unavailable('The transaction conflicted with a concurrent one; retry shortly.', error);
    case '57014':
    case '57P01':
    case '57P03':
    case '53300':
    case '08000':
    case '08003':
    case '08006':
      return unavailable('The database is temporarily unavailable; retry shortly.', error);
    default:
      // Class 22, data exception: a value Postgres cannot take or compute with — out of range
      // (22003, 22008), malformed (22007, 22P02), a bad time zone offset (22009), a NUL
      // character (22021, 22P05), too long (22001), … Always the request's data, never a 500.
      return error.code.startsWith('22') ? constraintViolation(error) : undefined;
  }
}

function constraintViolation(cause: NeonDbError): ApiError {
  return new ApiError(422, 'CONSTRAINT_VIOLATION', 'The request violates a data constraint.', { cause });
}

/**
 * Runs database work and answers specific unique-key (23505) and foreign-key (23503, 23001)
 * violations with the caller's errors, by constraint name. A reference to another tenant's (or
 * no) parent fails its `(client_id, <column>)` key, indistinguishable from "no such row here":
 * callers map it to 404, never hinting that the id exists elsewhere. Everything else goes on to
 * the shared mapping above.
 */
export async function onConstraint<T>(work: Promise<T>, byConstraint: Record<string, () => ApiError>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NeonDbError && ['23503', '23505', '23001'].includes(error.code ?? '') && error.constraint) {
      const toError = byConstraint[error.constraint];
      if (toError) throw toError();
    }
    throw error;
  }
}
