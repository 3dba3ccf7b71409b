import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { insertOutput } from '../agent-work/outputs.queries';
import { FORMAT_FILES } from '../agent-work/outputs.schemas';
import { runToApi, selectRuns, TRANSITIONS, transitionRun, type Step } from '../agent-work/runs.queries';
import type { Database } from '../db/client';
import { outputs, runs, webhookDeliveries } from '../db/schema';
import { ingestPosts } from '../engagement/posts.queries';
import { toApi } from '../lib/serialize';
import type { WebhookEvent } from './webhooks.schemas';

/** What an event's statements did, read from their results once the batch has committed. */
export type Outcome =
  | { status: 'processed'; result: unknown; store?: { key: string; content: string; contentType: string; outputId: string } }
  | { status: 'failed'; responseStatus: number; errorCode: string; error: string };

/** An event's statements (after the delivery is recorded) and how to read their results. */
export interface Effect {
  statements: BatchItem<'pg'>[];
  outcome(results: unknown[]): Outcome;
}

type Settled = {
  status: 'processed' | 'failed';
  response_status: number;
  error_code: string | null;
  error: string | null;
};

const RUN_NOT_FOUND = 'No such run in this client.';

/**
 * The delivery's record settled by the effect, in ONE statement: `effect` (a data-modifying
 * statement returning a row when it did something) runs as a CTE, and the record says processed,
 * or failed with the refusal the REST route would answer: 404 for a run that is not the client's,
 * 409 for a step the run's state does not allow (`refusal`, given the state the run was in).
 */
function settle(db: Database, clientId: string, deliveryId: string, runId: string, effect: SQL, refusal: SQL | null) {
  const did = sql`exists (select 1 from effect)`;
  const found = sql`exists (select 1 from found)`;
  const refused = refusal ?? sql`null`;
  return db.execute<Settled>(sql`
    with effect as (${effect}),
         found as (select status from ${runs} where ${runs.id} = ${runId}::uuid and ${runs.clientId} = ${clientId}::uuid)
    update ${webhookDeliveries} set
      status = (case when ${did} then 'processed' else 'failed' end)::webhook_delivery_status,
      response_status = case when ${did} then 200 when ${found} and (${refused}) is not null then 409 else 404 end,
      error_code = case when ${did} then null when ${found} and (${refused}) is not null then 'INVALID_TRANSITION' else 'RUN_NOT_FOUND' end,
      error = case when ${did} then null when ${found} and (${refused}) is not null then ${refused} else ${RUN_NOT_FOUND} end
    where ${webhookDeliveries.id} = ${deliveryId}::uuid and ${webhookDeliveries.clientId} = ${clientId}::uuid
    returning status, response_status, error_code, error`);
}

function settledOutcome(row: Settled | undefined, processed: () => Outcome): Outcome {
  if (!row) throw new Error('webhook delivery record not found after accepting it');
  if (row.status === 'processed') return processed();
  return { status: 'failed', responseStatus: row.response_status, errorCode: row.error_code ?? 'REFUSED', error: row.error ?? '' };
}

/** A run step, as the REST route takes it (runs.handlers.ts), with the run as it is afterwards. */
function runStep(db: Database, clientId: string, deliveryId: string, runId: string, step: Step, changes: Parameters<typeof transitionRun>[4]): Effect {
  const from = TRANSITIONS[step].from;
  // The REST route's words for a refused step (runs.handlers.ts), with the state the run was in.
  const refusal = sql`${`Cannot ${step} a run that is `} || (select status from found)::text || ${`; ${step} applies to ${from.join(' or ')} runs.`}`;
  return {
    statements: [
      settle(db, clientId, deliveryId, runId, transitionRun(db, clientId, runId, step, changes).getSQL(), refusal),
      selectRuns(db, and(eq(runs.id, runId), eq(runs.clientId, clientId))),
    ],
    outcome: ([settled, run]) =>
      settledOutcome((settled as { rows: Settled[] }).rows[0], () => ({
        status: 'processed',
        result: runToApi((run as Parameters<typeof runToApi>[0][])[0]!),
      })),
  };
}


/**
 * The statements of one event's effect, for the endpoint's client, after its delivery record
 * `deliveryId` (written as processed by accept_webhook_delivery). Each reuses its REST route's query.
 */
export function effectOf(db: Database, clientId: string, deliveryId: string, event: WebhookEvent): Effect {
  switch (event.type) {
    case 'posts.detected': {
      const data = event.data;
      return {
        statements: [ingestPosts(db, clientId, data)],
        outcome: ([summary]) => {
          const row = (summary as { rows: { inserted_posts: unknown[] | null; authors_inserted: number; authors_updated: number }[] }).rows[0];
          const inserted = row?.inserted_posts?.length ?? 0;
          return {
            status: 'processed',
            result: {
              inserted,
              duplicates: data.posts.length - inserted,
              authors_inserted: row?.authors_inserted ?? 0,
              authors_updated: row?.authors_updated ?? 0,
            },
          };
        },
      };
    }
    case 'run.started':
      return runStep(db, clientId, deliveryId, event.data.run_id, 'start', {});
    case 'run.completed': {
      const { tokens_input, tokens_output, model, cost_usd } = event.data;
      const extra = { ...(model !== undefined ? { model } : {}), ...(cost_usd !== undefined ? { cost_usd } : {}) };
      return runStep(db, clientId, deliveryId, event.data.run_id, 'complete', {
        tokensInput: tokens_input,
        tokensOutput: tokens_output,
        ...(Object.keys(extra).length > 0 ? { metadata: sql`${runs.metadata} || ${JSON.stringify(extra)}::jsonb` } : {}),
      });
    }
    case 'run.failed': {
      const { error_message, tokens_input, tokens_output } = event.data;
      return runStep(db, clientId, deliveryId, event.data.run_id, 'fail', {
        errorMessage: error_message,
        ...(tokens_input !== undefined ? { tokensInput: tokens_input } : {}),
        ...(tokens_output !== undefined ? { tokensOutput: tokens_output } : {}),
      });
    }
    case 'run.output': {
      const { run_id: runId, format, title, content } = event.data;
      const id = crypto.randomUUID();
      const file = FORMAT_FILES[format];
      // The record as POST /v1/runs/{id}/outputs makes it; the content goes to R2 once the batch committed.
      const insert = insertOutput({ id, clientId, runId, format, title, content });
      return {
        statements: [
          settle(db, clientId, deliveryId, runId, insert, null),
          db.select().from(outputs).where(and(eq(outputs.id, id), eq(outputs.clientId, clientId))),
        ],
        outcome: ([settled, stored]) =>
          settledOutcome((settled as { rows: Settled[] }).rows[0], () => {
            const output = (stored as (typeof outputs.$inferSelect)[])[0]!;
            return {
              status: 'processed',
              result: toApi(output),
              store: { key: output.objectKey, content, contentType: file.contentType, outputId: output.id },
            };
          }),
      };
    }
  }
}
