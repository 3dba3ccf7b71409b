/**
 * Backend on PGlite (Postgres in WASM) with pgvector, in a process of its own (pglite-process.mjs).
 *
 * Statements go through PGlite's raw wire protocol (execProtocolRaw) rather than
 * pg.query(): that yields exactly what Neon's proxy sees from Postgres, i.e.
 * raw TEXT values for every type (including arrays of enums created later),
 * full RowDescription metadata and the real command tag, with no PGlite
 * parsers or serializers in between.
 *
 * Where PGlite would be more lenient than Neon, it is made to fail as Neon does:
 * - requests run as Neon's owner role, not as PGlite's superuser (ROLE_SETUP_SQL);
 * - statement_timeout ends a statement (`bounded`): PGlite itself never fires it.
 * And where Neon's autovacuum keeps planner statistics current, the server analyzes a table after a
 * request that changed more of it than autoanalyze's threshold (`autoanalyze`): PGlite has no
 * autovacuum, and a planner that thinks every table empty plans unlike Neon's.
 */
import { fork } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { protocol, type messages } from '@electric-sql/pglite';
import {
  type AnalyzeEvent,
  ClientGoneError,
  POSTGRES_ERROR_FIELDS,
  PostgresError,
  type Backend,
  type FieldInfo,
  type RequestControl,
  type Statement,
  type StatementResult,
  type TransactionOptions,
} from './backend.js';
import { forgetFreshCluster, freshCluster, keepFreshCluster } from './fresh-cluster.js';
import { Mutex } from './mutex.js';

export interface PgliteBackendOptions {
  /** Directory for a persistent cluster; undefined = in-memory. */
  dataDir?: string;
  /** Called once per user statement sent to Postgres (for request stats). */
  onStatement?: () => void;
  /** The statement_timeout every request starts with, in ms; 0 = none. */
  statementTimeoutMs?: number;
  /** Analyze the tables a request changed past autoanalyze's threshold (default true). */
  autoanalyze?: boolean;
  /** Called after each such ANALYZE. */
  onAnalyze?: (event: AnalyzeEvent) => void;
  log?: (line: string) => void;
}

/** The role requests run as: the one Neon creates for a database named neondb. */
export const OWNER_ROLE = 'neondb_owner';

const { serialize } = protocol;

const ISOLATION_SQL: Record<NonNullable<TransactionOptions['isolationLevel']>, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/**
 * Neon's roles, as its compute_ctl creates them (compute_tools/src/sql/create_neon_superuser.sql,
 * spec_apply.rs): `neon_superuser`, and in it the owner role, which is NOT a superuser but may
 * create roles and databases, bypasses row-level security and reads and writes all data. The
 * database belongs to the owner; requests run as it.
 *
 * A data directory from before the owner role existed holds what PGlite's superuser created for
 * earlier requests. It is adopted once, as if the owner had created it: the owner takes over the
 * objects in user schemas (extension members stay with the superuser) and gets ADMIN on the
 * roles, as CREATEROLE gives the role that creates one, so `SET ROLE` to them keeps working.
 * (10 is the bootstrap superuser, 16384 the first user object id.)
 */
const ROLE_SETUP_SQL = `
DO $$
DECLARE
  ddl text;
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${OWNER_ROLE}') THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'neon_superuser') THEN
    CREATE ROLE neon_superuser NOLOGIN CREATEDB CREATEROLE REPLICATION BYPASSRLS IN ROLE pg_read_all_data, pg_write_all_data;
  END IF;
  CREATE ROLE ${OWNER_ROLE} LOGIN INHERIT CREATEDB CREATEROLE REPLICATION BYPASSRLS IN ROLE neon_superuser;
  EXECUTE format('ALTER DATABASE %I OWNER TO ${OWNER_ROLE}', current_database());
  FOR ddl IN
    WITH user_schemas AS (
      SELECT oid, nspname, nspowner FROM pg_namespace WHERE left(nspname, 3) <> 'pg_' AND nspname <> 'information_schema'
    ), extension_members AS (
      SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
    )
    SELECT format('GRANT %I TO ${OWNER_ROLE} WITH ADMIN OPTION', rolname) FROM pg_roles
    WHERE oid >= 16384 AND NOT rolsuper AND rolname NOT IN ('${OWNER_ROLE}', 'neon_superuser')
    UNION ALL
    SELECT format('ALTER SCHEMA %I OWNER TO ${OWNER_ROLE}', nspname) FROM user_schemas
    WHERE nspowner = 10 AND ('pg_namespace'::regclass, oid) NOT IN (SELECT * FROM extension_members)
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO ${OWNER_ROLE}',
                  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                 WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, c.oid::regclass)
    FROM pg_class c JOIN user_schemas s ON s.oid = c.relnamespace
    WHERE c.relowner = 10 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND ('pg_class'::regclass, c.oid) NOT IN (SELECT * FROM extension_members)
      -- A sequence owned by a column goes with its table.
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE c.relkind = 'S' AND d.classid = 'pg_class'::regclass
                        AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO ${OWNER_ROLE}', CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END, p.oid::regprocedure)
    FROM pg_proc p JOIN user_schemas s ON s.oid = p.pronamespace
    WHERE p.proowner = 10 AND ('pg_proc'::regclass, p.oid) NOT IN (SELECT * FROM extension_members)
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO ${OWNER_ROLE}', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype)
    FROM pg_type t JOIN user_schemas s ON s.oid = t.typnamespace
    -- Enums, domains, ranges and standalone composite types; a table's row type goes with the table.
    WHERE t.typowner = 10 AND t.typtype IN ('e', 'd', 'r', 'c')
      AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
      AND ('pg_type'::regclass, t.oid) NOT IN (SELECT * FROM extension_members)
  LOOP
    EXECUTE ddl;
  END LOOP;
END
$$`;

/**
 * What Neon runs when a pooled HTTP connection is returned (neondatabase/neon PR #12681: DISCARD
 * ALL minus DISCARD PLANS), so session state such as SET, temp tables or advisory locks never
 * leaks from one HTTP request to the next. Where Neon returns to its login role (SET SESSION
 * AUTHORIZATION DEFAULT), this asserts the owner role anew: PGlite's one session is logged in as
 * its superuser. Then the statement_timeout a request starts with. First, the request's table
 * statistics are flushed when the reset ends (Postgres flushes them at most once a second, and
 * PGlite has no idle timer to flush the rest later), so `autoanalyze` sees every change.
 */
function sessionResetSql(statementTimeoutMs: number): string {
  return [
    'SELECT pg_stat_force_next_flush()',
    'CLOSE ALL',
    `SET SESSION AUTHORIZATION ${OWNER_ROLE}`,
    'RESET ALL',
    'DEALLOCATE ALL',
    'UNLISTEN *',
    'SELECT pg_advisory_unlock_all()',
    'DISCARD TEMP',
    'DISCARD SEQUENCES',
    `SET statement_timeout = ${statementTimeoutMs}`,
  ].join('; ');
}

/**
 * The tables autovacuum would analyze now (relation_needs_vacanalyze in autovacuum.c): rows changed
 * since the last ANALYZE above autovacuum_analyze_threshold + autovacuum_analyze_scale_factor ×
 * reltuples (50 + 10% by default; a never-analyzed table counts as empty), among the tables the
 * owner role may analyze. Partitioned parents are left out, as autovacuum leaves them.
 */
const ANALYZE_DUE_SQL = `
SELECT format('%I.%I', n.nspname, c.relname), pg_stat_get_mod_since_analyze(c.oid), c.reltuples
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'
  AND pg_has_role(c.relowner, 'USAGE')
  AND pg_stat_get_mod_since_analyze(c.oid) > current_setting('autovacuum_analyze_threshold')::float8
        + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)
ORDER BY 1`;

interface ProtocolOutcome {
  result: StatementResult;
  error: PostgresError | undefined;
  /** Transaction status from ReadyForQuery: I (idle), T (in tx), E (failed tx). */
  status: string;
}

/** The process that runs PGlite. */
interface Connection {
  /** Sends frontend protocol messages; resolves with Postgres' raw reply. */
  exec(message: Uint8Array): Promise<Uint8Array>;
  /** Ends the process at once, even mid-statement: the only way to stop Postgres in WASM. */
  kill(): Promise<void>;
  close(): Promise<void>;
  readonly killed: boolean;
}

export async function createPgliteBackend(options: PgliteBackendOptions = {}): Promise<Backend> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const mutex = new Mutex();
  const onStatement = options.onStatement ?? (() => {});
  const log = options.log ?? (() => {});
  const defaultTimeoutMs = options.statementTimeoutMs ?? 0;
  const resetSql = sessionResetSql(defaultTimeoutMs);
  const autoanalyze = options.autoanalyze ?? true;
  const onAnalyze = options.onAnalyze ?? (() => {});
  let closed = false;

  /** PGlite in a new process, Neon's roles in place and a session as the owner role. */
  async function start(): Promise<Connection> {
    const connection = await openConnection(options.dataDir);
    const [setup] = collect(await connection.exec(serialize.query(`${ROLE_SETUP_SQL}; ${resetSql}`)));
    if (setup.error) {
      await connection.kill();
      throw new Error(`neon-local: setting up the owner role failed: ${setup.error.message}`);
    }
    return connection;
  }

  let current: Promise<Connection> = Promise.resolve(await start());

  /**
   * Waits for a reply, failing at timeoutMs (0 = never) as Postgres' statement_timeout does.
   * Postgres in WASM cannot be interrupted; only stopping its thread ends a statement. With a data
   * directory that is done at once and the database reopened: it keeps committed work only, as
   * after a crash. An in-memory database would be lost, so its statement may still finish (the
   * session is then rolled back and reset before the next request) and is stopped only if it runs
   * past twice the timeout; every later request is then refused with the reason.
   */
  async function bounded(connection: Connection, reply: Promise<Uint8Array>, timeoutMs: number): Promise<Uint8Array> {
    if (timeoutMs <= 0 || (await settlesWithin(reply, timeoutMs))) return reply;
    if (options.dataDir !== undefined) {
      await stop(connection, timeoutMs);
    } else {
      void settlesWithin(reply, timeoutMs).then((settled) => (settled ? undefined : stop(connection, timeoutMs)));
    }
    throw new PostgresError('canceling statement due to statement timeout', { severity: 'ERROR', code: '57014' });
  }

  function stop(connection: Connection, timeoutMs: number): Promise<void> {
    const lost = options.dataDir === undefined;
    log(`neon-local: error: stopping a statement past statement_timeout (${timeoutMs} ms); ${lost ? 'the in-memory database is LOST' : 'reopening the database'}`);
    const stopped = connection.kill();
    // Replaced before the thread is gone, so no waiting request reaches it; reopened after, so
    // two PGlite never share a data directory.
    current = stopped.then(() => {
      if (!lost) return start();
      throw new Error(`neon-local: the in-memory database was lost stopping a statement that ran past statement_timeout (${timeoutMs} ms); restart the server`);
    });
    current.catch(() => {}); // reported to the requests that wait for it
    return stopped;
  }

  /** One request on the connection: its statements, each bounded by the session's statement_timeout. */
  function request(connection: Connection) {
    let status = 'I';
    let timeoutMs = defaultTimeoutMs;
    /** Set while PGlite works on a message, including one that outlived its statement_timeout. */
    let running: Promise<Uint8Array> | undefined;

    /** Sends `message` (one or more protocol exchanges, each ending in ReadyForQuery); their outcomes in order. */
    async function exchange(message: Uint8Array): Promise<[ProtocolOutcome, ...ProtocolOutcome[]]> {
      running = connection.exec(message);
      const outcomes = collect(await bounded(connection, running, timeoutMs));
      running = undefined;
      status = outcomes.at(-1)?.status ?? status;
      return outcomes;
    }

    async function exec(message: Uint8Array): Promise<ProtocolOutcome> {
      return (await exchange(message))[0];
    }

    /** Simple protocol for the server's own control statements (BEGIN, COMMIT, SHOW). */
    async function control(sql: string): Promise<StatementResult> {
      const { result, error } = await exec(serialize.query(sql));
      if (error) throw error;
      return result;
    }

    return {
      control,

      /** Extended protocol, like Neon's proxy (tokio-postgres query_raw_txt): one statement only. */
      async statement(statement: Statement): Promise<StatementResult> {
        onStatement();
        // The statement, then in the same exchange what it may have changed of the session.
        // SHOW takes no snapshot, so it changes nothing for the transaction's later statements;
        // after a failed statement it fails too, and is not read.
        const [outcome, session] = await exchange(
          concat([
            serialize.parse({ text: statement.query }),
            serialize.bind({ values: statement.params }),
            serialize.describe({ type: 'P' }),
            serialize.execute({}),
            serialize.sync(),
            serialize.query('SHOW session_authorization; SHOW statement_timeout'),
          ]),
        );
        const { result, error } = outcome;
        if (error) throw error;
        if (!session || session.error) throw new Error(`neon-local: reading the session after a statement failed: ${session?.error?.message ?? 'no reply'}`);
        const [user, timeout] = session.result.rows.map((row) => row[0]);
        // The session is PGlite's superuser's, so Postgres lets it return to the superuser; the
        // owner role could not on Neon. Failing the statement rolls a batch back; the session
        // reset then asserts the owner role again.
        if (user !== OWNER_ROLE) {
          throw new PostgresError(`permission denied to set session authorization "${user}"`, { severity: 'ERROR', code: '42501' });
        }
        timeoutMs = durationMs(timeout ?? '');
        return result;
      },

      /** Leave the session as a fresh pooled Neon connection would be. */
      async finish(): Promise<void> {
        if (running) status = await running.then((raw) => collect(raw).at(-1)!.status, () => status);
        if (connection.killed) return; // its replacement starts with a fresh session
        if (status !== 'I') await exec(serialize.query('ROLLBACK'));
        const reset = await exec(serialize.query(resetSql));
        if (reset.error) throw new Error(`session reset failed: ${reset.error.message}`);
      },
    };
  }

  /**
   * After a request that may have written: ANALYZE each table changed past the threshold, as
   * autovacuum would between requests. It runs after the answer, before the next request (Neon's
   * autovacuum works beside the requests; here the one connection serialises them).
   */
  async function analyzeChanged(): Promise<void> {
    const connection = await current;
    if (connection.killed) return;
    const run = request(connection);
    const due = await run.control(ANALYZE_DUE_SQL);
    for (const [table, modified, reltuples] of due.rows) {
      const started = performance.now();
      await run.control(`ANALYZE ${table}`);
      const event = { table: table!, modified: Number(modified), reltuples: Number(reltuples), ms: performance.now() - started };
      log(`neon-local: analyzed ${event.table} (${event.modified} rows changed, reltuples ${event.reltuples}) in ${Math.round(event.ms)} ms`);
      onAnalyze(event);
    }
  }

  /** Runs work alone on the connection; answers as soon as it is done, then resets the session before the next. */
  function exclusive<T>(control: RequestControl, work: (run: ReturnType<typeof request>) => Promise<T>, writes = true): Promise<T> {
    if (closed) return Promise.reject(new Error('neon-local backend is closed'));
    return new Promise<T>((resolve, reject) => {
      void mutex.run(async () => {
        if (closed) return reject(new Error('neon-local backend is closed'));
        // Neon cancels what a departed client asked for; work not started yet is simply dropped.
        if (control.signal?.aborted) return reject(new ClientGoneError());
        let run: ReturnType<typeof request> | undefined;
        let committed = false;
        try {
          run = request(await current);
          resolve(await work(run));
          committed = true;
        } catch (error) {
          reject(error);
        }
        try {
          await run?.finish();
          // A rolled-back transaction changes no row as autoanalyze counts them (pgstat counts no
          // changed tuples for an aborted transaction), so only committed work can make a table due.
          if (autoanalyze && writes && committed) await analyzeChanged();
        } catch (error) {
          log(`neon-local: error: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    });
  }

  return {
    query(statement, control = {}) {
      return exclusive(control, (run) => run.statement(statement));
    },

    batch(statements, txOptions, control = {}) {
      return exclusive(control, async (run) => {
        // Any failure leaves the transaction open or failed: finish() rolls it back.
        await run.control(beginSql(txOptions));
        const results: StatementResult[] = [];
        for (const statement of statements) {
          if (control.signal?.aborted) throw new ClientGoneError();
          results.push(await run.statement(statement));
        }
        control.beforeCommit?.(results);
        await run.control('COMMIT');
        return results;
      }, !txOptions.readOnly);
    },

    async close() {
      if (closed) return;
      // Queue behind in-flight work so a persisted dataDir is closed consistently.
      await mutex.run(async () => {
        if (closed) return;
        closed = true;
        const connection = await current.catch(() => undefined);
        await connection?.close();
      });
    },
  };
}

/**
 * PGlite in a new process. In memory it starts from a copy of a fresh cluster when one is kept
 * (fresh-cluster.ts), else it runs initdb and hands the fresh cluster back to be kept. A kept copy
 * that fails to start is forgotten and the start made again with initdb.
 */
async function openConnection(dataDir: string | undefined): Promise<Connection> {
  if (dataDir !== undefined) return openProcess({ dataDir });
  const fresh = await freshCluster();
  if (fresh !== undefined) {
    try {
      return await openProcess({ freshCluster: fresh });
    } catch {
      await forgetFreshCluster();
    }
  }
  let made: Uint8Array | undefined;
  const connection = await openProcess({ keepFreshCluster: true }, (cluster) => (made = cluster));
  if (made) await keepFreshCluster(made);
  return connection;
}

async function openProcess(
  init: { dataDir?: string; freshCluster?: Uint8Array; keepFreshCluster?: boolean },
  onFreshCluster?: (cluster: Uint8Array) => void,
): Promise<Connection> {
  // Plain node on the .mjs file: none of this process's loaders (tsx, vitest) or inspector flags.
  const child = fork(new URL('./pglite-process.mjs', import.meta.url), [], {
    execArgv: [],
    serialization: 'advanced', // structured clone: Uint8Array arrives as Uint8Array
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // As PGlite on the main thread was: an open database alone does not keep the process alive, a
  // statement waiting for its reply does.
  child.unref();
  const waiting = new Map<number, { resolve: (reply: Uint8Array) => void; reject: (error: Error) => void }>();
  const holdOpen = () => (waiting.size > 0 ? child.channel?.ref() : child.channel?.unref());
  holdOpen();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
    holdOpen();
  };
  child.on('error', fail);
  child.on('exit', (code, signal) => fail(new Error(`neon-local: the PGlite process exited (${signal ?? `code ${code}`})`)));
  child.on('message', ({ id, reply, error, freshCluster }: { id: number; reply?: Uint8Array; error?: string; freshCluster?: Uint8Array }) => {
    if (freshCluster) onFreshCluster?.(freshCluster);
    const call = waiting.get(id);
    waiting.delete(id);
    holdOpen();
    if (error === undefined) call?.resolve(reply ?? new Uint8Array());
    else call?.reject(new Error(`PGlite: ${error}`));
  });
  const replyTo = (id: number) =>
    new Promise<Uint8Array>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.set(id, { resolve, reject });
      holdOpen();
    });
  const post = (message: object) => {
    if (!failure) child.send(message, (error) => error && fail(error));
  };
  let lastId = 0;
  const send = (payload: { message: Uint8Array } | { close: true }) => {
    const id = ++lastId;
    const reply = replyTo(id);
    post({ id, ...payload });
    return reply;
  };
  /** Waiting for the process to end keeps this one alive until it has. */
  const ended = async () => {
    if (child.pid === undefined) return; // never started: no exit to wait for
    child.ref();
    await exited;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ended();
  };

  const ready = replyTo(0); // the process's first message: PGlite is up
  post(init);
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  let killed = false;
  return {
    exec: (message) => send({ message }),
    async kill() {
      killed = true;
      fail(new Error('neon-local: the PGlite process was stopped'));
      await stop();
    },
    async close() {
      await send({ close: true });
      await ended();
    },
    get killed() {
      return killed;
    },
  };
}

/** Whether the promise settles (either way) within ms. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

const DURATION_MS: Record<string, number> = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as SHOW prints it ("0", "250ms", "2min") in milliseconds. */
function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|min|h|d)?$/.exec(text);
  if (!match) throw new Error(`neon-local: unexpected duration "${text}"`);
  return Number(match[1]) * (DURATION_MS[match[2] ?? 'ms'] ?? 1);
}

/** Same shape as tokio-postgres' TransactionBuilder, which Neon's proxy uses. */
function beginSql(options: TransactionOptions): string {
  const modes: string[] = [];
  if (options.isolationLevel) modes.push(`ISOLATION LEVEL ${ISOLATION_SQL[options.isolationLevel]}`);
  if (options.readOnly) modes.push('READ ONLY');
  if (options.deferrable) modes.push('DEFERRABLE');
  return ['START TRANSACTION', modes.join(', ')].filter(Boolean).join(' ');
}

/** Postgres' replies, one outcome per exchange (each ends in ReadyForQuery). */
function collect(raw: Uint8Array): [ProtocolOutcome, ...ProtocolOutcome[]] {
  const replies: messages.BackendMessage[] = [];
  new protocol.Parser().parse(raw, (message) => replies.push(message));
  const outcomes: ProtocolOutcome[] = [];
  let start = 0;
  replies.forEach((reply, i) => {
    if (reply.name !== 'readyForQuery') return;
    outcomes.push(outcomeOf(replies.slice(start, i + 1)));
    start = i + 1;
  });
  if (start < replies.length || outcomes.length === 0) outcomes.push(outcomeOf(replies.slice(start)));
  return outcomes as [ProtocolOutcome, ...ProtocolOutcome[]];
}

function outcomeOf(replies: messages.BackendMessage[]): ProtocolOutcome {
  // Several statements (a simple query) append their rows; the fields are the last statement's.
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
