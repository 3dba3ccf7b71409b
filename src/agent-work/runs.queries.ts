import { and, asc, eq, getTableColumns, inArray, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { outputs, runs, skills, type Output, type Run } from '../db/schema';
import { capped, MAX_EMBEDDED_ITEMS } from '../lib/pagination';
import { toApi } from '../lib/serialize';

export type RunStatus = Run['status'];

/** Runs with the name of their skill, for responses. */
export function selectRuns(db: Database, where: SQL | undefined) {
  return db
    .select({ ...getTableColumns(runs), skill: skills.name })
    .from(runs)
    .innerJoin(skills, eq(skills.id, runs.skillId))
    .where(where);
}

export type RunRow = Awaited<ReturnType<typeof selectRuns>>[number];

/**
 * Outputs of the runs `runIds` selects (a subquery or one id), oldest first: at most
 * `MAX_EMBEDDED_ITEMS + 1` per run, the one beyond the cap only telling that there are more.
 */
export function selectOutputsOf(db: Database, clientId: string, runIds: SQLWrapper | string) {
  const ranked = db
    .select({
      ...getTableColumns(outputs),
      position: sql<number>`row_number() over (partition by ${outputs.runId} order by ${outputs.createdAt}, ${outputs.id})`.as('position'),
    })
    .from(outputs)
    .where(and(eq(outputs.clientId, clientId), typeof runIds === 'string' ? eq(outputs.runId, runIds) : inArray(outputs.runId, runIds)))
    .as('ranked');
  return db
    .select()
    .from(ranked)
    .where(lte(ranked.position, MAX_EMBEDDED_ITEMS + 1))
    .orderBy(asc(ranked.createdAt), asc(ranked.id));
}

type RankedOutput = Output & { position: number };

export function groupByRun(rows: RankedOutput[]): Map<string, RankedOutput[]> {
  const byRun = new Map<string, RankedOutput[]>();
  for (const row of rows) {
    const list = byRun.get(row.runId);
    if (list) list.push(row);
    else byRun.set(row.runId, [row]);
  }
  return byRun;
}

export const runToApi = (row: RunRow) => toApi(row);
/** A run with its oldest `MAX_EMBEDDED_ITEMS` outputs, and whether it has more. */
export const runWithOutputs = (row: RunRow, rows: RankedOutput[]) => {
  const { items, hasMore } = capped(rows, ({ position: _, ...output }) => toApi(output));
  return { ...toApi(row), outputs: items, has_more_outputs: hasMore };
};

/**
 * The state machine: each step names the states it leaves from and what it sets. Enforced by
 * the UPDATE's own WHERE, so an invalid step changes nothing without a read before the write.
 */
export const TRANSITIONS = {
  start: { from: ['queued'], to: 'running' },
  complete: { from: ['running'], to: 'completed' },
  fail: { from: ['running'], to: 'failed' },
  cancel: { from: ['queued', 'running'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly RunStatus[]; to: RunStatus }>;

export type Step = keyof typeof TRANSITIONS;

/** One guarded UPDATE: changes the run only if it is this client's and in a state the step leaves from. */
export function transitionRun(db: Database, clientId: string, id: string, step: Step, changes: PgUpdateSetSource<typeof runs>) {
  const { from, to } = TRANSITIONS[step];
  const now = sql`now()`;
  const timestamps = to === 'running' ? { startedAt: now } : { completedAt: now };
  return db
    .update(runs)
    .set({ ...changes, ...timestamps, status: to })
    .where(and(eq(runs.id, id), eq(runs.clientId, clientId), inArray(runs.status, [...from])))
    .returning({ id: runs.id });
}
