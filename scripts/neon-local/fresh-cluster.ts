/**
 * A fresh cluster: the data directory PGlite's initdb makes, before any request. An in-memory
 * database starts from a copy of it (PGlite's `loadDataDir`, as its own clone() does) instead of
 * running initdb again, the larger part of a start. It is kept in this process and in a file in
 * the system's temporary directory, so that every process starting a server (each test file, a
 * dev server) pays initdb once between them. The file is named after what made it: the PGlite and
 * pgvector builds (versions, and the size and time of their files), so another build makes its own.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** What identifies the builds: each package's version and its dist files' sizes and times. */
async function buildKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    const dist = dirname(require.resolve(name));
    const pkg = JSON.parse(await readFile(join(dist, '..', 'package.json'), 'utf8')) as { version: string };
    hash.update(`${name}@${pkg.version}`);
    for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm', 'vector.tar.gz']) {
      const info = await stat(join(dist, file)).catch(() => undefined);
      if (info) hash.update(`${file}:${info.size}:${info.mtimeMs}`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

let file: Promise<string> | undefined;

/** Where the fresh cluster of these builds is kept on disk. */
export const freshClusterFile = () => (file ??= buildKey().then((key) => join(tmpdir(), 'neon-local', `fresh-cluster-${key}.tar`)));

let kept: Uint8Array | undefined;

/** The fresh cluster, if one was kept (in this process, else on disk); undefined: initdb has to run. */
export async function freshCluster(): Promise<Uint8Array | undefined> {
  if (kept) return kept;
  try {
    const bytes = await readFile(await freshClusterFile());
    kept ??= new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch {
    // None kept yet.
  }
  return kept;
}

/**
 * Keeps the fresh cluster a start just made (written to a new file, then renamed: never half a file),
 * and removes those kept for other builds (each is ~40 MB; a new install makes a new build key).
 */
export async function keepFreshCluster(bytes: Uint8Array): Promise<void> {
  kept = bytes;
  try {
    const path = await freshClusterFile();
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.${Date.now()}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path);
    const others = (await readdir(dirname(path))).filter((name) => /^fresh-cluster-[0-9a-f]+\.tar$/.test(name) && join(dirname(path), name) !== path);
    await Promise.all(others.map((name) => rm(join(dirname(path), name), { force: true })));
  } catch {
    // Not kept on disk: the next process runs initdb itself.
  }
}

/** Forgets a fresh cluster a start could not use, so the next start runs initdb. */
export async function forgetFreshCluster(): Promise<void> {
  kept = undefined;
  await rm(await freshClusterFile(), { force: true }).catch(() => {});
}
