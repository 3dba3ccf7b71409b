import { createRouter } from '../lib/create-router';
import * as outputs from './outputs.handlers';
import * as outputRoutes from './outputs.routes';
import * as runs from './runs.handlers';
import * as runRoutes from './runs.routes';
import * as skills from './skills.handlers';
import * as skillRoutes from './skills.routes';

/** Skills (global catalog), runs and their state machine, outputs (content in R2), feedback. */
export const agentWorkRouter = createRouter()
  .openapi(skillRoutes.listSkills, skills.list)
  .openapi(skillRoutes.createSkill, skills.create)
  .openapi(skillRoutes.getSkill, skills.get)
  .openapi(skillRoutes.updateSkill, skills.update)
  .openapi(skillRoutes.skillFeedbackSummary, skills.feedbackSummary)
  .openapi(runRoutes.createRun, runs.create)
  .openapi(runRoutes.listRuns, runs.list)
  .openapi(runRoutes.getRun, runs.get)
  .openapi(runRoutes.startRun, runs.start)
  .openapi(runRoutes.completeRun, runs.complete)
  .openapi(runRoutes.failRun, runs.fail)
  .openapi(runRoutes.cancelRun, runs.cancel)
  .openapi(outputRoutes.createOutput, outputs.create)
  .openapi(outputRoutes.getOutput, outputs.get)
  .openapi(outputRoutes.getOutputContent, outputs.content)
  .openapi(outputRoutes.createFeedback, outputs.createReview)
  .openapi(outputRoutes.getFeedback, outputs.getReview);
