/**
 * PGlite in a worker thread (started by pglite-backend.ts).
 *
 * Postgres compiled to WebAssembly runs synchronously on its thread and cannot be interrupted:
 * it has no signals, so its own statement_timeout never fires. Off the main thread, the HTTP
 * server stays responsive while a statement runs (it notices clients that have gone) and can end
 * a runaway statement by terminating this thread.
 *
 * Plain JavaScript: Node loads a worker's file itself, outside tsx and vitest, on any Node version.
 *
 * Messages in: { id, message } (frontend protocol bytes) or { id, close: true }.
 * Messages out: { id: 0, freshCluster? } once ready; { id, reply } (backend protocol bytes), { id, error }, { id } after close.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

// An in-memory database starts from a copy of a fresh cluster when the backend has one (as PGlite's
// own clone() does): initdb, most of a start's cost, ran once for it. Otherwise initdb runs here and,
// when asked, the fresh cluster is handed back for the next start.
const { dataDir, freshCluster, keepFreshCluster } = workerData;
const pg = await PGlite.create(dataDir ?? 'memory://', {
  extensions: { vector },
  ...(freshCluster ? { loadDataDir: new Blob([freshCluster]) } : {}),
});
const fresh = !freshCluster && keepFreshCluster ? new Uint8Array(await (await pg.dumpDataDir('none')).arrayBuffer()) : undefined;

// On Neon the owner role may CREATE EXTENSION vector. PGlite ships it untrusted (superuser only);
// marking it trusted lets the owner, which has CREATE on its database, create it as on Neon.
const control = '/pglite/share/postgresql/extension/vector.control';
const text = pg.Module.FS.readFile(control, { encoding: 'utf8' });
if (!/^trusted\s*=/m.test(text)) pg.Module.FS.writeFile(control, `${text}\ntrusted = true\n`);

parentPort.on('message', async ({ id, message, close }) => {
  try {
    if (close) {
      await pg.close();
      parentPort.postMessage({ id });
      return;
    }
    // A copy that owns its buffer, so it can be transferred without touching PGlite's memory.
    const reply = (await pg.execProtocolRaw(message)).slice();
    parentPort.postMessage({ id, reply }, [reply.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
parentPort.postMessage({ id: 0, freshCluster: fresh }, fresh ? [fresh.buffer] : []);
