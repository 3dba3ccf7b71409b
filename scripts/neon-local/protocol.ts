/**
 * Neon SQL-over-HTTP wire format: request parsing and response shaping,
 * following Neon's proxy (proxy/src/serverless/sql_over_http.rs and json.rs).
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  POSTGRES_ERROR_FIELDS,
  PostgresError,
  type IsolationLevel,
  type Statement,
  type StatementResult,
  type TransactionOptions,
} from './backend.js';

/** A malformed request (bad JSON, bad header): HTTP 400 without a database error. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * SQLSTATE sent with ProtocolError. Neon itself sends an empty code for these;
 * protocol_violation gives callers something meaningful to branch on.
 */
export const PROTOCOL_ERROR_CODE = '08P01';

/**
 * Neon's proxy binds parameters with tokio-postgres, which writes their count as an Int16
 * (postgres-protocol's write_counted): more than 32,767 cannot be sent, although Postgres itself
 * reads the count as unsigned. Neon answers HTTP 400 with tokio-postgres' message.
 */
export const MAX_BIND_PARAMETERS = 32_767;

export interface RequestedStatement extends Statement {
  /** Per-statement override of the Neon-Array-Mode header. */
  arrayMode: boolean | undefined;
}

export type SqlRequest =
  | { kind: 'single'; statement: RequestedStatement; arrayMode: boolean; transaction: TransactionOptions }
  | { kind: 'batch'; statements: RequestedStatement[]; arrayMode: boolean; transaction: TransactionOptions };

const ISOLATION_LEVELS: readonly IsolationLevel[] = ['ReadUncommitted', 'ReadCommitted', 'RepeatableRead', 'Serializable'];

/** Neon treats a boolean header as set only when it is exactly "true". */
function headerIsTrue(headers: IncomingHttpHeaders, name: string): boolean {
  return headers[name] === 'true';
}

export function parseSqlRequest(headers: IncomingHttpHeaders, body: string): SqlRequest {
  // Neon validates the isolation header for every request, single or batch.
  const isolationHeader = headers['neon-batch-isolation-level'];
  let isolationLevel: IsolationLevel | undefined;
  if (isolationHeader !== undefined) {
    isolationLevel = ISOLATION_LEVELS.find((level) => level === isolationHeader);
    if (!isolationLevel) throw new ProtocolError('invalid isolation level');
  }
  const transaction: TransactionOptions = {
    ...(isolationLevel ? { isolationLevel } : {}),
    readOnly: headerIsTrue(headers, 'neon-batch-read-only'),
    deferrable: headerIsTrue(headers, 'neon-batch-deferrable'),
  };
  const arrayMode = headerIsTrue(headers, 'neon-array-mode');

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    throw new ProtocolError(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(payload)) throw new ProtocolError('request body must be a JSON object');

  // Like Neon's untagged Payload enum: a "query" makes it single, else "queries" a batch.
  if ('query' in payload) {
    return { kind: 'single', statement: parseStatement(payload, 'body'), arrayMode, transaction };
  }
  if ('queries' in payload) {
    const { queries } = payload;
    if (!Array.isArray(queries)) throw new ProtocolError('"queries" must be an array');
    const statements = queries.map((entry: unknown, i) => {
      if (!isObject(entry)) throw new ProtocolError(`queries[${i}] must be an object`);
      return parseStatement(entry, `queries[${i}]`);
    });
    return { kind: 'batch', statements, arrayMode, transaction };
  }
  throw new ProtocolError('request body must have a "query" string or a "queries" array');
}

function parseStatement(data: Record<string, unknown>, where: string): RequestedStatement {
  const { query, params = [], arrayMode } = data;
  if (typeof query !== 'string') throw new ProtocolError(`${where}: "query" must be a string`);
  if (!Array.isArray(params)) throw new ProtocolError(`${where}: "params" must be an array`);
  if (arrayMode !== undefined && typeof arrayMode !== 'boolean') {
    throw new ProtocolError(`${where}: "arrayMode" must be a boolean`);
  }
  if (params.length > MAX_BIND_PARAMETERS) {
    throw new ProtocolError('error encoding message to server: value too large to transmit');
  }
  return { query, params: params.map((value: unknown) => paramToText(value)), arrayMode };
}

/** Neon's json_to_pg_text: the driver sends strings/null, other JSON is converted leniently. */
function paramToText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return arrayToPgLiteral(value);
  return JSON.stringify(value);
}

function arrayToPgLiteral(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return `{${value.map((item: unknown) => arrayToPgLiteral(item) ?? 'NULL').join(',')}}`;
  if (isObject(value)) return JSON.stringify(JSON.stringify(value));
  // Strings are JSON-quoted, which doubles as Postgres array-element quoting.
  return JSON.stringify(value);
}

export function resultToJson(result: StatementResult, arrayMode: boolean): Record<string, unknown> {
  const names = result.fields.map((field) => field.name);
  return {
    fields: result.fields.map((field) => ({ ...field, format: 'text' })),
    command: result.command,
    rowCount: result.rowCount,
    rows: arrayMode
      ? result.rows
      : result.rows.map((row) => Object.fromEntries(row.map((value, i) => [names[i] ?? `?column?`, value]))),
    rowAsArray: arrayMode,
  };
}

/** The JSON body Neon sends with HTTP 400; the driver copies these keys onto NeonDbError. */
export function errorToJson(error: PostgresError | ProtocolError): Record<string, unknown> {
  const body: Record<string, unknown> = { message: error.message };
  for (const key of POSTGRES_ERROR_FIELDS) {
    body[key] = error instanceof PostgresError ? (error.fields[key] ?? null) : null;
  }
  if (error instanceof ProtocolError) body['code'] = PROTOCOL_ERROR_CODE;
  return body;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
