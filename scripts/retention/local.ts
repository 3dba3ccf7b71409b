import { getPlatformProxy } from 'wrangler';
import type { ArchiveBucket } from '../../src/jobs/retention/archive';

/**
 * The local R2 bucket `wrangler dev` uses (`.wrangler/state`), for the retention scripts. Against
 * production, copy an object out with `wrangler r2 object get <bucket>/<key> --remote --file <path>`
 * and restore that file (`--file`).
 */
export async function localBucket(): Promise<{ bucket: ArchiveBucket; dispose(): Promise<void> }> {
  const proxy = await getPlatformProxy<{ OBJECTS: ArchiveBucket }>({ persist: true });
  return { bucket: proxy.env.OBJECTS, dispose: () => proxy.dispose() };
}
