/**
 * Backend on PGlite (Postgres in WASM) with pgvector.
 *
 * Statements go through PGlite's raw wire protocol (execProtocol) rather than
 * pg.query(): that yields exactly what Neon's proxy sees from Postgres, i.e.
 * raw TEXT values for every type (including arrays of enums created later),
 * full RowDescription metadata and the real command tag, with no PGlite
 * parsers or serializers in between.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite, protocol, type messages } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import {
  POSTGRES_ERROR_FIELDS,
  PostgresError,
  type Backend,
  type FieldInfo,
  type Statement,
  type StatementResult,
  type TransactionOptions,
} from './backend.js';
import { Mutex } from './mutex.js';

export interface PgliteBackendOptions {
  /** Directory for a persistent cluster; undefined = in-memory. */
  dataDir?: string;
  /** Called once per user statement sent to Postgres (for request stats). */
  onStatement?: () => void;
}

const { serialize } = protocol;

const ISOLATION_SQL: Record<NonNullable<TransactionOptions['isolationLevel']>, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/**
 * What Neon runs when a pooled HTTP connection is returned (neondatabase/neon
 * PR #12681: DISCARD ALL minus DISCARD PLANS), so session state such as SET,
 * temp tables or advisory locks never leaks from one HTTP request to the next.
 */
const SESSION_RESET_SQL = [
  'CLOSE ALL',
  'SET SESSION AUTHORIZATION DEFAULT',
  'RESET ALL',
  'DEALLOCATE ALL',
  'UNLISTEN *',
  'SELECT pg_advisory_unlock_all()',
  'DISCARD TEMP',
  'DISCARD SEQUENCES',
].join('; ');

interface ProtocolOutcome {
  result: StatementResult;
  error: PostgresError | undefined;
  /** Transaction status from ReadyForQuery: I (idle), T (in tx), E (failed tx). */
  status: string;
}

export async function createPgliteBackend(options: PgliteBackendOptions = {}): Promise<Backend> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const pg = await PGlite.create(options.dataDir ?? 'memory://', { extensions: { vector } });
  const mutex = new Mutex();
  const onStatement = options.onStatement ?? (() => {});
  let closed = false;

  async function send(message: Uint8Array): Promise<ProtocolOutcome> {
    const { messages: replies } = await pg.execProtocol(message, { throwOnError: false });
    return collect(replies);
  }

  /** Extended protocol, like Neon's proxy (tokio-postgres query_raw_txt): one statement only. */
  function runStatement(statement: Statement): Promise<ProtocolOutcome> {
    onStatement();
    return send(
      concat([
        serialize.parse({ text: statement.query }),
        serialize.bind({ values: statement.params }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
  }

  /** Simple protocol for the server's own control statements (BEGIN, COMMIT, reset). */
  function runControl(sql: string): Promise<ProtocolOutcome> {
    return send(serialize.query(sql));
  }

  /** Leave the single connection as a fresh pooled Neon connection would be. */
  async function cleanUp(status: string): Promise<void> {
    if (status !== 'I') await runControl('ROLLBACK');
    const reset = await runControl(SESSION_RESET_SQL);
    if (reset.error) throw new Error(`session reset failed: ${reset.error.message}`);
  }

  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('neon-local backend is closed'));
    return mutex.run(work);
  }

  return {
    query(statement) {
      return exclusive(async () => {
        let status = 'I';
        try {
          const outcome = await runStatement(statement);
          status = outcome.status;
          if (outcome.error) throw outcome.error;
          return outcome.result;
        } finally {
          await cleanUp(status);
        }
      });
    },

    batch(statements, txOptions) {
      return exclusive(async () => {
        let status = 'I';
        try {
          const begin = await runControl(beginSql(txOptions));
          status = begin.status;
          if (begin.error) throw begin.error;
          const results: StatementResult[] = [];
          for (const statement of statements) {
            const outcome = await runStatement(statement);
            status = outcome.status;
            if (outcome.error) throw outcome.error;
            results.push(outcome.result);
          }
          const commit = await runControl('COMMIT');
          status = commit.status;
          if (commit.error) throw commit.error;
          return results;
        } finally {
          // Any failure leaves status T/E: cleanUp rolls back before resetting.
          await cleanUp(status);
        }
      });
    },

    async close() {
      if (closed) return;
      // Queue behind in-flight work so a persisted dataDir is closed consistently.
      await mutex.run(async () => {
        closed = true;
        await pg.close();
      });
    },
  };
}

/** Same shape as tokio-postgres' TransactionBuilder, which Neon's proxy uses. */
function beginSql(options: TransactionOptions): string {
  const modes: string[] = [];
  if (options.isolationLevel) modes.push(`ISOLATION LEVEL ${ISOLATION_SQL[options.isolationLevel]}`);
  if (options.readOnly) modes.push('READ ONLY');
  if (options.deferrable) modes.push('DEFERRABLE');
  return ['START TRANSACTION', modes.join(', ')].filter(Boolean).join(' ');
}

function collect(replies: messages.BackendMessage[]): ProtocolOutcome {
  const result: StatementResult = { fields: [], rows: [], command: '', rowCount: null };
  let error: PostgresError | undefined;
  let status = 'I';
  for (const reply of replies) {
    switch (reply.name) {
      case 'rowDescription':
        result.fields = (reply as messages.RowDescriptionMessage).fields.map(toFieldInfo);
        break;
      case 'dataRow':
        result.rows.push((reply as messages.DataRowMessage).fields);
        break;
      case 'commandComplete':
        Object.assign(result, parseCommandTag((reply as messages.CommandCompleteMessage).text));
        break;
      case 'error':
        // Keep the first error: later ones (if any) are consequences of it.
        error ??= toPostgresError(reply as messages.DatabaseError);
        break;
      case 'readyForQuery':
        status = (reply as messages.ReadyForQueryMessage).status;
        break;
      default:
        // parseComplete, bindComplete, noData, emptyQuery, notice, parameterStatus: nothing to report.
        break;
    }
  }
  return { result, error, status };
}

function toFieldInfo(field: messages.Field): FieldInfo {
  return {
    name: field.name,
    tableID: field.tableID,
    columnID: field.columnID,
    dataTypeID: field.dataTypeID,
    dataTypeSize: field.dataTypeSize,
    dataTypeModifier: field.dataTypeModifier,
  };
}

/** Mirrors Neon's parse_command_tag: "INSERT 0 2" -> 2, "CREATE TABLE" -> null. */
export function parseCommandTag(tag: string): { command: string; rowCount: number | null } {
  const space = tag.indexOf(' ');
  if (space === -1) return { command: tag, rowCount: null };
  const command = tag.slice(0, space);
  let countText = tag.slice(space + 1);
  if (command === 'INSERT') {
    const oidEnd = countText.indexOf(' ');
    if (oidEnd === -1) return { command, rowCount: null };
    countText = countText.slice(oidEnd + 1);
  }
  return { command, rowCount: /^\d+$/.test(countText) ? Number(countText) : null };
}

function toPostgresError(error: messages.DatabaseError): PostgresError {
  const fields: PostgresError['fields'] = {};
  for (const key of POSTGRES_ERROR_FIELDS) {
    const value = error[key];
    if (value !== undefined) fields[key] = value;
  }
  return new PostgresError(error.message, fields);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
