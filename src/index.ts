import { createLazyFetch } from './lib/areas';
import type { Bindings } from './lib/types';

export default {
  // Each area of the API is built on its first request; the whole API (src/app.ts) for any other path.
  fetch: createLazyFetch(() => import('./app').then((m) => m.createApp())),
} satisfies ExportedHandler<Bindings>;
