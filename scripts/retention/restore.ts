import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/neon-http';
import { sha256Hex, type Manifest } from '../../src/jobs/retention/archive';
import { archiveRows, datasetOfKey, restoreStatements } from '../../src/jobs/retention/restore';
import { manifestKey } from '../../src/jobs/retention/retention';
import { connect, targetFromEnv } from '../db/connection';
import { localBucket } from './local';

/**
 * `npm run retention:restore -- <object key> [--file <downloaded object>]`: puts the rows of one
 * archive back into the database at DATABASE_URL (or .dev.vars), exactly as they were, in one
 * transaction as the owner role (the one `db:migrate` uses). Rows still present are left alone.
 * The object comes from the local R2 bucket of `wrangler dev`, or from `--file` (production:
 * `wrangler r2 object get edge-data-api-objects/<key> --remote --file <path>`).
 */
async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { file: { type: 'string' } } });
  const key = positionals[0];
  if (!key) throw new Error('usage: npm run retention:restore -- <object key> [--file <path>]');
  const dataset = datasetOfKey(key);

  let bytes: Uint8Array;
  let manifest: Manifest | undefined;
  if (values.file) {
    bytes = new Uint8Array(readFileSync(values.file));
  } else {
    const { bucket, dispose } = await localBucket();
    try {
      const object = await bucket.get(key);
      if (!object) throw new Error(`no object ${key} in the local bucket`);
      bytes = new Uint8Array(await object.arrayBuffer());
      const stored = await bucket.get(manifestKey(key));
      if (stored) manifest = JSON.parse(new TextDecoder().decode(await stored.arrayBuffer())) as Manifest;
    } finally {
      await dispose();
    }
  }
  if (manifest && manifest.sha256 !== (await sha256Hex(bytes))) throw new Error('the object does not match its manifest (SHA-256)');

  const tables = await archiveRows(dataset, bytes);
  const sql = connect(targetFromEnv());
  const db = drizzle({ client: sql });
  const results = await db.batch(restoreStatements(tables).map((s) => db.execute(s)) as unknown as [BatchItem<'pg'>, ...BatchItem<'pg'>[]]);
  for (const result of results.slice(1)) {
    const row = (result as unknown as { rows: { table: string; archived: number; restored: number }[] }).rows[0]!;
    console.log(`${row.table}: ${row.restored} of ${row.archived} archived rows restored${row.restored < row.archived ? ' (the rest were present)' : ''}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
