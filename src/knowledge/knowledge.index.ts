import { createRouter } from '../lib/create-router';
import * as handlers from './knowledge.handlers';
import * as routes from './knowledge.routes';

export const knowledgeRouter = createRouter()
  .openapi(routes.listKnowledgeBases, handlers.list)
  .openapi(routes.createKnowledgeBase, handlers.create)
  .openapi(routes.getKnowledgeBase, handlers.get)
  .openapi(routes.updateKnowledgeBase, handlers.update)
  .openapi(routes.deleteKnowledgeBase, handlers.remove)
  .openapi(routes.ingestChunks, handlers.ingest)
  .openapi(routes.listChunks, handlers.listAll)
  .openapi(routes.deleteChunk, handlers.removeOne)
  .openapi(routes.deleteAllChunks, handlers.removeAll)
  .openapi(routes.searchKnowledge, handlers.search);
