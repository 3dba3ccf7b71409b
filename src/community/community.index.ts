import { createRouter } from '../lib/create-router';
import * as champions from './champions.handlers';
import * as championRoutes from './champions.routes';
import * as competitors from './competitors.handlers';
import * as competitorRoutes from './competitors.routes';
import * as mentions from './mentions.handlers';
import * as mentionRoutes from './mentions.routes';

/** Competitive intelligence and community advocacy: competitors, competitive mentions, champions. */
export const communityRouter = createRouter()
  .openapi(competitorRoutes.listCompetitors, competitors.list)
  .openapi(competitorRoutes.createCompetitor, competitors.create)
  .openapi(competitorRoutes.getCompetitor, competitors.get)
  .openapi(competitorRoutes.updateCompetitor, competitors.update)
  .openapi(competitorRoutes.deleteCompetitor, competitors.remove)
  .openapi(mentionRoutes.createCompetitiveMention, mentions.create)
  .openapi(mentionRoutes.listCompetitiveMentions, mentions.list)
  .openapi(championRoutes.upsertCommunityChampion, champions.upsert)
  .openapi(championRoutes.listCommunityChampions, champions.list)
  .openapi(championRoutes.getCommunityChampion, champions.get)
  .openapi(championRoutes.markDmSent, champions.dmSent)
  .openapi(championRoutes.recordDmResponse, champions.dmResponse)
  .openapi(championRoutes.markSampleSent, champions.sampleSent)
  .openapi(championRoutes.markConverted, champions.converted)
  .openapi(championRoutes.setAdvocateStatus, champions.advocateStatus);
