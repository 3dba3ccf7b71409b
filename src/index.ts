import { createLazyFetch } from './lib/areas';
import type { Bindings } from './lib/types';

export default {
  // Each area of the API is built on its first request; the whole API (src/app.ts) for any other path.
  fetch: createLazyFetch(() => import('./app').then((m) => m.createApp())),
  // Cron Triggers (wrangler.toml): the retention job, loaded only when a trigger fires.
  async scheduled(controller, env) {
    const { runScheduled } = await import('./jobs/scheduled');
    await runScheduled(controller.scheduledTime, env);
  },
} satisfies ExportedHandler<Bindings>;
