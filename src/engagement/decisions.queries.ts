import { sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { Database } from '../db/client';
import type { CreateDecisionSchema } from './decisions.schemas';

export type DecisionInsertResult = {
  post_found: boolean;
  experiment_found: boolean;
  inserted: number;
};

/**
 * Inserts a decision for a post of this client in ONE statement, only if the post and the
 * experiment (when named) are this client's; the result says which one was missing. Another
 * tenant's experiment is invisible here (row-level security) and the composite foreign key
 * would refuse it anyway.
 */
export function insertDecision(db: Database, clientId: string, postId: string, id: string, input: z.infer<typeof CreateDecisionSchema>) {
  const experimentId = input.experiment_id ?? null;
  return db.execute<DecisionInsertResult>(sql`
    with post as (
      select id from posts where id = ${postId}::uuid and client_id = ${clientId}::uuid
    ),
    experiment as (
      select id from experiments where id = ${experimentId}::uuid and client_id = ${clientId}::uuid
    ),
    inserted as (
      insert into decisions (id, client_id, post_id, sss_score, ars_score, evs_score, trs_score, composite_score,
                             mode, archetype, safety_flags, signals, temporal_context, competitor_detected, is_power_user,
                             experiment_id, experiment_variant, is_randomized_experiment, predicted_mode)
      select ${id}::uuid, ${clientId}::uuid, post.id, ${input.sss_score}, ${input.ars_score}, ${input.evs_score},
             ${input.trs_score}, ${input.composite_score}, ${input.mode}::operational_mode, ${input.archetype}::archetype,
             array(select jsonb_array_elements_text(${JSON.stringify(input.safety_flags ?? [])}::jsonb)),
             ${JSON.stringify(input.signals ?? {})}::jsonb,
             ${input.temporal_context ? JSON.stringify(input.temporal_context) : null}::jsonb,
             ${input.competitor_detected ?? false}, ${input.is_power_user ?? false},
             ${experimentId}::uuid, ${input.experiment_variant ?? null}::experiment_variant,
             ${input.is_randomized_experiment ?? false}, ${input.predicted_mode ?? null}::operational_mode
      from post
      where ${experimentId}::uuid is null or exists (select 1 from experiment)
      returning id
    )
    select exists (select 1 from post) as post_found,
           (${experimentId}::uuid is null or exists (select 1 from experiment)) as experiment_found,
           (select count(*)::int from inserted) as inserted`);
}
