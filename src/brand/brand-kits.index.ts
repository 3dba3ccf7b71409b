import { createRouter } from '../lib/create-router';
import * as handlers from './brand-kits.handlers';
import * as routes from './brand-kits.routes';

export const brandKitsRouter = createRouter()
  .openapi(routes.listBrandKits, handlers.list)
  .openapi(routes.createBrandKit, handlers.create)
  // Before `{id}`, so that `default` is not read as a kit's id.
  .openapi(routes.getDefaultBrandKit, handlers.getDefault)
  .openapi(routes.getBrandKit, handlers.get)
  .openapi(routes.updateBrandKit, handlers.update)
  .openapi(routes.deleteBrandKit, handlers.remove)
  .openapi(routes.makeDefaultBrandKit, handlers.makeDefault);
