import { z } from '@hono/zod-openapi';

export const IdParamSchema = z.object({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' }, example: '7d0f7c1e-4a5b-4c61-9a8e-2b3f4c5d6e7f' }),
});

export const Timestamp = z.string().datetime({ offset: true });

/** A 0..1 score (seed 003). */
export const Score = z.number().min(0).max(1);

/** Bodies reject unknown fields: a typo must fail loudly, not be ignored. */
export const body = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();

export const jsonBody = <T extends z.ZodTypeAny>(schema: T, description?: string) => ({
  required: true,
  content: { 'application/json': { schema } },
  ...(description ? { description } : {}),
});

export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
