import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({
      status: z.literal('ok'),
      latency_ms: z.number().int().nonnegative().openapi({ description: 'Round trip from the Worker to Postgres.' }),
      server_time: z.string().datetime(),
    }),
    migrations: z.object({
      applied: z.string().nullable().openapi({ description: 'Tag of the last migration applied to the database.' }),
      expected: z.string().nullable().openapi({ description: 'Tag of the newest migration this build knows.' }),
      pending: z.number().int().nonnegative().openapi({ description: 'Migrations of this build not yet applied.' }),
    }),
  })
  .openapi('Health');

export const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Liveness and database check',
  description:
    'Checks the database with one round trip and reports its latency and the last applied migration. ' +
    'Answers 503 when the database is unreachable or not migrated.',
  responses: {
    200: { description: 'The API and its database are up.', content: { 'application/json': { schema: HealthSchema } } },
    ...problemResponses(503),
  },
});
