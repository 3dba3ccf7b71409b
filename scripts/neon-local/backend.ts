/**
 * What the HTTP layer needs from a database. PGlite implements it today; a
 * real-Postgres implementation (e.g. with `pg`) would plug in here.
 */

/** One statement as Neon receives it: text params, already serialised by the driver. */
export interface Statement {
  query: string;
  params: (string | null)[];
}

/** Column metadata as in the Postgres RowDescription message. */
export interface FieldInfo {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
}

export interface StatementResult {
  fields: FieldInfo[];
  /** Raw Postgres text output, one array per row. */
  rows: (string | null)[][];
  /** First word of the command tag ("SELECT", "INSERT", "CREATE"...), "" for an empty query. */
  command: string;
  /** Count from the command tag, null when the tag has none (DDL, BEGIN...). */
  rowCount: number | null;
}

export type IsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';

export interface TransactionOptions {
  isolationLevel?: IsolationLevel;
  readOnly: boolean;
  deferrable: boolean;
}

/** A table the server analyzed after a request changed more of it than autoanalyze's threshold. */
export interface AnalyzeEvent {
  /** Schema-qualified name. */
  table: string;
  /** Rows inserted, updated or deleted since its last ANALYZE (`n_mod_since_analyze`). */
  modified: number;
  /** `pg_class.reltuples` before the ANALYZE (-1: never analyzed). */
  reltuples: number;
  ms: number;
}

/** What the HTTP layer tells the backend about one request. */
export interface RequestControl {
  /** Aborted when the client has gone: work not yet started is dropped, a batch stops. */
  signal?: AbortSignal;
  /** Batch only: runs before COMMIT; throwing rolls the batch back (Neon builds its response inside the transaction). */
  beforeCommit?: (results: StatementResult[]) => void;
}

export interface Backend {
  /** Run one statement in autocommit mode. Throws PostgresError on a database error. */
  query(statement: Statement, control?: RequestControl): Promise<StatementResult>;
  /** Run all statements in one transaction; any failure rolls it all back and throws. */
  batch(statements: Statement[], options: TransactionOptions, control?: RequestControl): Promise<StatementResult[]>;
  /** Wait for in-flight work, then release the database. */
  close(): Promise<void>;
}

/** The request's client disconnected before its work was done; nobody is left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('client has gone');
    this.name = 'ClientGoneError';
  }
}

/** The ErrorResponse fields the Neon driver copies onto NeonDbError. */
export const POSTGRES_ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

export type PostgresErrorField = (typeof POSTGRES_ERROR_FIELDS)[number];

/** A database-reported error (Postgres ErrorResponse), as opposed to a server fault. */
export class PostgresError extends Error {
  readonly fields: Partial<Record<PostgresErrorField, string>>;

  constructor(message: string, fields: Partial<Record<PostgresErrorField, string>>) {
    super(message);
    this.name = 'PostgresError';
    this.fields = fields;
  }
}
