import { createSystemExecutor } from '../db/executor';
import { loadEnv } from '../env';
import { createLogger, errorFields } from '../lib/logger';
import type { Bindings } from '../lib/types';
import { runRetention, type RetentionSummary } from './retention/retention';

/**
 * The Cron Trigger's work (wrangler.toml `[triggers]`): seed 003's retention on the explicit system
 * path — a system executor made here, never from a token — with the trigger's own time as `now`.
 */
export async function runScheduled(scheduledTime: number, env: Bindings): Promise<RetentionSummary> {
  const config = loadEnv(env);
  const logger = createLogger(config.LOG_LEVEL, { job: 'retention' });
  try {
    const summary = await runRetention(createSystemExecutor(config), new Date(scheduledTime), { bucket: env.OBJECTS });
    const { batches, ...figures } = summary;
    logger.info('retention run', { ...figures, objects: batches.map((b) => b.object_key) });
    if (summary.errors.length > 0) logger.warn('retention batches failed; the next run retries them', { errors: summary.errors });
    return summary;
  } catch (error) {
    logger.error('retention run failed', errorFields(error));
    throw error;
  }
}
