import { NeonDbError } from '@neondatabase/serverless';
import type { ApiError } from '../lib/problem';

/**
 * Names the API's answer for violations of specific constraints, by constraint name, for the
 * unique keys (23505) and foreign keys (23503; 23001 for ON DELETE RESTRICT) of a statement. A reference to
 * another tenant's (or no) parent fails its `(client_id, <column>)` key, which is
 * indistinguishable from "no such row here": callers map it to 404, never hinting that the id
 * exists elsewhere. Everything else passes through to the shared database error mapping.
 */
export async function onConstraint<T>(work: Promise<T>, byConstraint: Record<string, () => ApiError>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NeonDbError && (error.code === '23503' || error.code === '23505' || error.code === '23001') && error.constraint) {
      const toError = byConstraint[error.constraint];
      if (toError) throw toError();
    }
    throw error;
  }
}
