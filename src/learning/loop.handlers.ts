import { and, eq, gte, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { tenantPrincipal } from '../auth/principal';
import { onConstraint } from '../db/errors';
import { learningEvents, randomizedExperiments, segmentedWeights, weightAdjustmentLogs } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import type {
  createLearningEvent,
  createRandomizedExperiment,
  createWeightAdjustment,
  evaluateLearningEvent,
  getSegmentedWeight,
  listLearningEvents,
  listRandomizedExperiments,
  listSegmentedWeights,
  listWeightAdjustments,
  putSegmentedWeight,
} from './loop.routes';

// Weight adjustments -------------------------------------------------------------------------

export const createAdjustment: AppRouteHandler<typeof createWeightAdjustment> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .insert(weightAdjustmentLogs)
      .values({
        clientId,
        date: input.date,
        action: input.action,
        reason: input.reason,
        validSegments: input.valid_segments ?? 0,
        totalSegments: input.total_segments ?? 0,
        sampleSizes: input.sample_sizes ?? {},
        oldWeights: input.old_weights,
        newWeights: input.new_weights,
        predictedImprovement: input.predicted_improvement ?? null,
      })
      .returning(),
  ]);
  if (!rows[0]) throw new Error('weight adjustment insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const listAdjustments: AppRouteHandler<typeof listWeightAdjustments> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(weightAdjustmentLogs.createdAt, weightAdjustmentLogs.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(weightAdjustmentLogs)
        .where(
          and(
            eq(weightAdjustmentLogs.clientId, clientId),
            query.from ? gte(weightAdjustmentLogs.date, query.from) : undefined,
            query.to ? lte(weightAdjustmentLogs.date, query.to) : undefined,
            query.action ? eq(weightAdjustmentLogs.action, query.action) : undefined,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

// Learning events ----------------------------------------------------------------------------

const eventNotFound = () => new ApiError(404, 'LEARNING_EVENT_NOT_FOUND', 'No such learning event in this client.');

export const createEvent: AppRouteHandler<typeof createLearningEvent> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [rows] = await c.var.tenant.run((db) => [
    db
      .insert(learningEvents)
      .values({
        clientId,
        date: input.date,
        adjustmentType: input.adjustment_type,
        adjustment: input.adjustment,
        predictedImprovement: input.predicted_improvement ?? null,
        baselinePerformance: input.baseline_performance ?? null,
      })
      .returning(),
  ]);
  if (!rows[0]) throw new Error('learning event insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const listEvents: AppRouteHandler<typeof listLearningEvents> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(learningEvents.createdAt, learningEvents.id, query.cursor);
  const evaluated: SQL | undefined =
    query.evaluated === true ? isNotNull(learningEvents.evaluatedAt) : query.evaluated === false ? isNull(learningEvents.evaluatedAt) : undefined;
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(learningEvents)
        .where(
          and(
            eq(learningEvents.clientId, clientId),
            query.from ? gte(learningEvents.date, query.from) : undefined,
            query.to ? lte(learningEvents.date, query.to) : undefined,
            query.adjustment_type ? eq(learningEvents.adjustmentType, query.adjustment_type) : undefined,
            evaluated,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const evaluateEvent: AppRouteHandler<typeof evaluateLearningEvent> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const match = and(eq(learningEvents.id, id), eq(learningEvents.clientId, clientId));
  // Once only, enforced by the UPDATE's guard (evaluated_at IS NULL) on the row it locks; the
  // select in the same transaction tells "not there" (404) from "already evaluated" (409).
  const [changed, rows] = await c.var.tenant.run((db) => [
    db
      .update(learningEvents)
      .set({
        actualImprovement: input.actual_improvement,
        accuracy: input.accuracy,
        evaluatedAt: input.evaluated_at !== undefined ? sql`${input.evaluated_at}::timestamptz` : sql`now()`,
      })
      .where(and(match, isNull(learningEvents.evaluatedAt)))
      .returning({ id: learningEvents.id }),
    db.select().from(learningEvents).where(match),
  ]);
  if (!rows[0]) throw eventNotFound();
  if (changed.length === 0) throw new ApiError(409, 'ALREADY_EVALUATED', 'This learning event was already evaluated.');
  return c.json(toApi(rows[0]), 200);
};

// Randomized experiments ---------------------------------------------------------------------

const decisionReference = {
  randomized_experiments_decision_id_fkey: () =>
    new ApiError(404, 'DECISION_NOT_FOUND', 'No such decision in this client.', {
      errors: [{ path: 'body.decision_id', message: 'no such decision' }],
    }),
};

export const createRandomized: AppRouteHandler<typeof createRandomizedExperiment> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const [rows] = await onConstraint(
    c.var.tenant.run((db) => [
      db
        .insert(randomizedExperiments)
        .values({
          clientId,
          decisionId: input.decision_id,
          predictedMode: input.predicted_mode,
          actualMode: input.actual_mode,
          predictedOutcome: input.predicted_outcome ?? null,
          actualOutcome: input.actual_outcome ?? null,
        })
        .returning(),
    ]),
    decisionReference,
  );
  if (!rows[0]) throw new Error('randomized experiment insert returned no row');
  return c.json(toApi(rows[0]), 201);
};

export const listRandomized: AppRouteHandler<typeof listRandomizedExperiments> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(randomizedExperiments.createdAt, randomizedExperiments.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(randomizedExperiments)
        .where(
          and(
            eq(randomizedExperiments.clientId, clientId),
            query.decision_id ? eq(randomizedExperiments.decisionId, query.decision_id) : undefined,
            query.predicted_mode ? eq(randomizedExperiments.predictedMode, query.predicted_mode) : undefined,
            query.actual_mode ? eq(randomizedExperiments.actualMode, query.actual_mode) : undefined,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

// Segmented weights --------------------------------------------------------------------------

export const putWeights: AppRouteHandler<typeof putSegmentedWeight> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const values = {
    sssWeight: input.sss_weight,
    arsWeight: input.ars_weight,
    evsWeight: input.evs_weight,
    trsWeight: input.trs_weight,
    ...(input.sample_size !== undefined ? { sampleSize: input.sample_size } : {}),
    ...(input.performance !== undefined ? { performance: input.performance } : {}),
  };
  const t = segmentedWeights;
  const changed: SQL[] = [
    sql`${t.sssWeight} is distinct from excluded.sss_weight`,
    sql`${t.arsWeight} is distinct from excluded.ars_weight`,
    sql`${t.evsWeight} is distinct from excluded.evs_weight`,
    sql`${t.trsWeight} is distinct from excluded.trs_weight`,
    ...(input.sample_size !== undefined ? [sql`${t.sampleSize} is distinct from excluded.sample_size`] : []),
    ...(input.performance !== undefined ? [sql`${t.performance} is distinct from excluded.performance`] : []),
  ];
  const match = and(eq(t.clientId, clientId), eq(t.segmentType, input.segment_type), eq(t.segmentKey, input.segment_key));
  // One upsert statement (no read-then-write); an update that changes nothing is skipped. The
  // select that follows in the same transaction reads the row as it now is.
  const [written, rows] = await c.var.tenant.run((db) => [
    db
      .insert(t)
      .values({ clientId, segmentType: input.segment_type, segmentKey: input.segment_key, ...values })
      .onConflictDoUpdate({ target: [t.clientId, t.segmentType, t.segmentKey], set: values, setWhere: sql.join(changed, sql` or `) })
      .returning({ inserted: sql<boolean>`(xmax = 0)` }),
    db.select().from(t).where(match),
  ]);
  if (!rows[0]) throw new Error('segmented weight upsert left no row');
  return written[0]?.inserted ? c.json(toApi(rows[0]), 201) : c.json(toApi(rows[0]), 200);
};

export const listWeights: AppRouteHandler<typeof listSegmentedWeights> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(segmentedWeights.createdAt, segmentedWeights.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(segmentedWeights)
        .where(
          and(
            eq(segmentedWeights.clientId, clientId),
            query.segment_type ? eq(segmentedWeights.segmentType, query.segment_type) : undefined,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const getWeights: AppRouteHandler<typeof getSegmentedWeight> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { segment_type, segment_key } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(segmentedWeights)
        .where(
          and(eq(segmentedWeights.clientId, clientId), eq(segmentedWeights.segmentType, segment_type), eq(segmentedWeights.segmentKey, segment_key)),
        ),
    ],
    { readOnly: true },
  );
  if (!rows[0]) throw new ApiError(404, 'SEGMENTED_WEIGHT_NOT_FOUND', 'No weights for this segment in this client.');
  return c.json(toApi(rows[0]), 200);
};
