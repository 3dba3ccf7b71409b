/**
 * neon-local: a local server speaking Neon's SQL-over-HTTP protocol (what
 * `@neondatabase/serverless`'s neon() / sql.transaction() send), backed by
 * PGlite + pgvector. Built for fidelity in tests and local dev, not speed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientGoneError, PostgresError, type AnalyzeEvent, type StatementResult } from './backend.js';
import { createPgliteBackend } from './pglite-backend.js';
import { ProtocolError, errorToJson, parseSqlRequest, resultToJson } from './protocol.js';

export type { AnalyzeEvent } from './backend.js';

export interface NeonLocalOptions {
  /** Directory holding a persistent database; undefined = in-memory. */
  dataDir?: string;
  /** 0 or undefined = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Artificial delay per POST /sql, to simulate the edge-to-region round trip. */
  latencyMs?: number;
  /** Largest response body; Neon answers a larger one with HTTP 507. Default 64 MiB, as on Neon. */
  maxResponseBytes?: number;
  /**
   * The statement_timeout (ms) every request starts with; a request may SET its own, 0 = none.
   * Default 120 s: a runaway statement ends instead of holding the one connection forever. The
   * server enforces it (PGlite cannot): the request fails with 57014; with a dataDir the statement
   * is stopped and the database reopened, in memory it is stopped, losing the database, only if
   * still running at twice the timeout (see pglite-backend.ts).
   */
  statementTimeoutMs?: number;
  /**
   * Analyze a table after a request that changed more of it than autoanalyze's threshold
   * (autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × reltuples: 50 + 10%), as
   * Neon's autovacuum does. Default true.
   */
  autoanalyze?: boolean;
  /** Called after each such ANALYZE (benchmarks record them). */
  onAnalyze?: (event: AnalyzeEvent) => void;
  /**
   * Real Postgres behind the same protocol. Not implemented: it needs the `pg`
   * package, which is not installed. Passing it throws.
   */
  postgresUrl?: string;
  log?: (line: string) => void;
}

export interface NeonLocalStats {
  /** POST /sql requests received (one per driver call, single or batch). */
  requests: number;
  /** User statements sent to Postgres (excludes BEGIN/COMMIT/reset). */
  queries: number;
}

export interface NeonLocalServer {
  /** http://HOST:PORT */
  url: string;
  /** http://HOST:PORT/sql, for neonConfig.fetchEndpoint */
  sqlEndpoint: string;
  port: number;
  stats(): NeonLocalStats;
  resetStats(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_STATEMENT_TIMEOUT_MS = 120_000;

class PayloadTooLargeError extends Error {}

/** Neon's proxy message for a response over its limit (SqlOverHttpError::ResponseTooLarge). */
class ResponseTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`response is too large (max is ${maxBytes} bytes)`);
  }
}

export async function startNeonLocal(options: NeonLocalOptions = {}): Promise<NeonLocalServer> {
  if (options.postgresUrl !== undefined) {
    throw new Error('neon-local: postgresUrl is not supported yet (needs the `pg` package); use dataDir or in-memory');
  }
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const latencyMs = options.latencyMs ?? 0;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const counters: NeonLocalStats = { requests: 0, queries: 0 };

  const backend = await createPgliteBackend({
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    ...(options.autoanalyze !== undefined ? { autoanalyze: options.autoanalyze } : {}),
    ...(options.onAnalyze !== undefined ? { onAnalyze: options.onAnalyze } : {}),
    onStatement: () => {
      counters.queries += 1;
    },
    log,
  });

  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handling = handle(req, res)
      .catch((error: unknown) => {
        log(`neon-local: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { message: `neon-local internal error: ${String(error)}` });
        else res.destroy();
      })
      // Count the request as in flight until its bytes are flushed, so close() never cuts a response.
      .then(() => finished(res))
      .catch(() => {});
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/_neon_local/health' && req.method === 'GET') return sendJson(res, 200, { ok: true });
    if (path === '/_neon_local/stats' && req.method === 'GET') return sendJson(res, 200, { ...counters });
    if (path === '/_neon_local/stats/reset' && req.method === 'POST') {
      counters.requests = 0;
      counters.queries = 0;
      return sendJson(res, 200, { ...counters });
    }
    // The driver posts to https://<host>/sql; accept any prefix before /sql.
    if (path === '/sql' || path.endsWith('/sql')) {
      if (req.method !== 'POST') return sendJson(res, 405, { message: 'use POST' });
      counters.requests += 1;
      return handleSql(req, res);
    }
    return sendJson(res, 404, { message: `not found: ${path}` });
  }

  async function handleSql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Neon cancels the work of a client that has gone: here queued work is dropped, a batch stops.
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    const control = { signal: clientGone.signal };
    // Delay outside the backend lock so concurrent requests each pay it once, as over a network.
    const delay = latencyMs > 0 ? sleep(latencyMs) : Promise.resolve();
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      await delay;
      return sendJson(res, 413, { message: `request is too large (max is ${MAX_BODY_BYTES} bytes)` });
    }
    await delay;
    try {
      const request = parseSqlRequest(req.headers, body);
      if (request.kind === 'single') {
        const result = await backend.query(request.statement, control);
        return send(res, 200, responseBody(resultToJson(result, request.statement.arrayMode ?? request.arrayMode)));
      }
      let payload = '';
      await backend.batch(request.statements, request.transaction, {
        ...control,
        // Neon builds the response inside the transaction: one too large rolls the batch back.
        beforeCommit: (results: StatementResult[]) => {
          payload = responseBody({
            results: results.map((result, i) => resultToJson(result, request.statements[i]?.arrayMode ?? request.arrayMode)),
          });
        },
      });
      return send(res, 200, payload, echoTransactionHeaders(request.transaction));
    } catch (error) {
      if (error instanceof ClientGoneError) return log('neon-local: dropped the work of a client that has gone');
      if (error instanceof ResponseTooLargeError) return sendJson(res, 507, { message: error.message });
      if (error instanceof PostgresError || error instanceof ProtocolError) {
        return sendJson(res, 400, errorToJson(error));
      }
      throw error;
    }
  }

  /** The JSON response, refused as Neon refuses one over its size limit. */
  function responseBody(body: unknown): string {
    let payload: string;
    try {
      payload = JSON.stringify(body);
    } catch (error) {
      // Longer than a JavaScript string can be: far over any limit.
      if (error instanceof RangeError) throw new ResponseTooLargeError(maxResponseBytes);
      throw error;
    }
    if (Buffer.byteLength(payload) > maxResponseBytes) throw new ResponseTooLargeError(maxResponseBytes);
    return payload;
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // e.g. EADDRINUSE: do not leave PGlite (and a dataDir) open behind a failed start.
    await backend.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`neon-local: listening on ${url} (data: ${options.dataDir ?? 'memory'})`);

  let closing: Promise<void> | undefined;
  return {
    url,
    sqlEndpoint: `${url}/sql`,
    port,
    stats: () => ({ ...counters }),
    resetStats: () => {
      counters.requests = 0;
      counters.queries = 0;
    },
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([...inFlight]);
        // Keep-alive sockets with no request in flight would otherwise hold close() open.
        server.closeAllConnections();
        await stopped;
        await backend.close();
        log('neon-local: closed');
      })();
      return closing;
    },
  };
}

/** Neon echoes the batch transaction settings it applied as response headers. */
function echoTransactionHeaders(tx: { isolationLevel?: string; readOnly: boolean; deferrable: boolean }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (tx.readOnly) headers['neon-batch-read-only'] = 'true';
  if (tx.deferrable) headers['neon-batch-deferrable'] = 'true';
  if (tx.isolationLevel) headers['neon-batch-isolation-level'] = tx.isolationLevel;
  return headers;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining so the 413 can still be written on this connection.
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new PayloadTooLargeError());
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), headers);
}

function send(res: ServerResponse, status: number, payload: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    // Neon sends this on every SQL response.
    'access-control-allow-origin': '*',
    ...headers,
  });
  res.end(payload);
}

