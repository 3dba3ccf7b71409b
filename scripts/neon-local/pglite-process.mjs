/**
 * PGlite in a process of its own (started by pglite-backend.ts with an IPC channel).
 *
 * Postgres compiled to WebAssembly runs synchronously and cannot be interrupted: it has no
 * signals, so its own statement_timeout never fires. Outside the server's process, the HTTP server
 * stays responsive while a statement runs (it notices clients that have gone) and can end a runaway
 * statement by killing this process.
 *
 * A process, not a worker thread: every thread of a process shares V8's registry of executable
 * (JIT and WebAssembly) code pages, and several PGlite instances compiled, freed or terminated in
 * threads of one process race it; Node then aborts the whole process with a V8 CHECK
 * ("jit_page_->allocations_.erase(addr) == 1", nodejs/node#64500). One PGlite per process, never
 * freed before the process ends, has nothing to race.
 *
 * Plain JavaScript: Node loads this file itself, outside tsx and vitest, on any Node version.
 *
 * Messages in: first { dataDir?, freshCluster?, keepFreshCluster? }, then { id, message } (frontend
 * protocol bytes) or { id, close: true }.
 * Messages out: { id: 0, freshCluster? } once ready; { id, reply } (backend protocol bytes),
 * { id, error }, { id } after close.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

// The server is gone (ended, crashed or killed): so is its database.
process.on('disconnect', () => process.exit(0));

/** @param {unknown} message */
const send = (message) => process.send?.(message);

/** PGlite, opened as the first message says. */
async function open({ dataDir, freshCluster, keepFreshCluster }) {
  // An in-memory database starts from a copy of a fresh cluster when the backend has one (as
  // PGlite's own clone() does): initdb, most of a start's cost, ran once for it. Otherwise initdb
  // runs here and, when asked, the fresh cluster is handed back for the next start.
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
  return { pg, fresh };
}

/** @param {unknown} error */
const describe = (error) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

let opened;
try {
  opened = await open(await new Promise((resolve) => process.once('message', resolve)));
} catch (error) {
  // Told to the server (a kept fresh cluster that does not start is then forgotten), not printed here.
  process.send?.({ id: 0, error: describe(error) }, () => process.exit(1));
  await new Promise(() => {}); // until the message is out
}
const { pg, fresh } = opened;

process.on('message', async ({ id, message, close }) => {
  try {
    if (close) {
      await pg.close();
      send({ id });
      process.disconnect();
      return;
    }
    send({ id, reply: await pg.execProtocolRaw(message) });
  } catch (error) {
    send({ id, error: describe(error) });
  }
});
send({ id: 0, freshCluster: fresh });
