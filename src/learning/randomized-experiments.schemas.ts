import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../lib/pagination';
import { body, Score, Timestamp } from '../lib/schemas';

import { OperationalModeSchema } from '../lib/enums';

export const RandomizedExperimentSchema = z
  .object({
    id: z.string().uuid(),
    client_id: z.string().uuid(),
    decision_id: z.string().uuid(),
    predicted_mode: OperationalModeSchema,
    actual_mode: OperationalModeSchema,
    predicted_outcome: z.number().nullable(),
    actual_outcome: z.number().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('RandomizedExperiment');

export const CreateRandomizedExperimentSchema = body({
  decision_id: z.string().uuid().openapi({ description: 'A decision of this client.' }),
  predicted_mode: OperationalModeSchema.openapi({ description: 'The mode the model would have chosen.' }),
  actual_mode: OperationalModeSchema.openapi({ description: 'The mode drawn at random and used.' }),
  predicted_outcome: Score.nullable().optional().openapi({ description: 'Predicted outcome score, 0..1.' }),
  actual_outcome: Score.nullable().optional().openapi({ description: 'Observed outcome score, 0..1.' }),
}).openapi('CreateRandomizedExperiment');

export const RandomizedExperimentListQuerySchema = PageQuerySchema.extend({
  decision_id: z.string().uuid().optional(),
  predicted_mode: OperationalModeSchema.optional(),
  actual_mode: OperationalModeSchema.optional(),
});

export const RandomizedExperimentPageSchema = pageSchema(RandomizedExperimentSchema, 'RandomizedExperimentPage');
