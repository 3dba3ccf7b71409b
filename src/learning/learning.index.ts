import { createRouter } from '../lib/create-router';
import * as experiments from './experiments.handlers';
import * as experimentRoutes from './experiments.routes';
import * as kpi from './kpi.handlers';
import * as kpiRoutes from './kpi.routes';
import * as loop from './loop.handlers';
import * as loopRoutes from './loop.routes';

/** Analytics and the learning loop: KPI metrics, experiments, weights, learning events. */
export const learningRouter = createRouter()
  .openapi(kpiRoutes.bulkUpsertKpiMetrics, kpi.bulkUpsert)
  .openapi(kpiRoutes.getKpiSeries, kpi.series)
  .openapi(experimentRoutes.listExperiments, experiments.list)
  .openapi(experimentRoutes.createExperiment, experiments.create)
  .openapi(experimentRoutes.getExperiment, experiments.get)
  .openapi(experimentRoutes.updateExperiment, experiments.update)
  .openapi(experimentRoutes.deleteExperiment, experiments.remove)
  .openapi(experimentRoutes.startExperiment, experiments.start)
  .openapi(experimentRoutes.stopExperiment, experiments.stop)
  .openapi(experimentRoutes.concludeExperiment, experiments.conclude)
  .openapi(loopRoutes.createWeightAdjustment, loop.createAdjustment)
  .openapi(loopRoutes.listWeightAdjustments, loop.listAdjustments)
  .openapi(loopRoutes.createLearningEvent, loop.createEvent)
  .openapi(loopRoutes.listLearningEvents, loop.listEvents)
  .openapi(loopRoutes.evaluateLearningEvent, loop.evaluateEvent)
  .openapi(loopRoutes.createRandomizedExperiment, loop.createRandomized)
  .openapi(loopRoutes.listRandomizedExperiments, loop.listRandomized)
  .openapi(loopRoutes.putSegmentedWeight, loop.putWeights)
  .openapi(loopRoutes.listSegmentedWeights, loop.listWeights)
  .openapi(loopRoutes.getSegmentedWeight, loop.getWeights);
