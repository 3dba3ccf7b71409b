import { z } from 'zod';

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

/** Bindings and secrets of the Worker, validated once per isolate at the edge of the Worker. */
export const envSchema = z
  .object({
    ENVIRONMENT: z.enum(['development', 'test', 'production']).default('production'),
    DATABASE_URL: postgresUrl,
    /** SQL-over-HTTP endpoint override for the local Neon-compatible server (development and tests only). */
    NEON_FETCH_ENDPOINT: z.string().url().optional().or(z.literal('').transform(() => undefined)),
    /** Deadline for one database round trip, in milliseconds. */
    DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.ENVIRONMENT === 'production' && env.NEON_FETCH_ENDPOINT) {
      ctx.addIssue({
        code: 'custom',
        path: ['NEON_FETCH_ENDPOINT'],
        message: 'must not be set in production: the driver talks to Neon directly',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** What Cloudflare hands the Worker: raw strings and bindings before validation. */
export type RawEnv = Record<string, unknown>;

const parsed = new WeakMap<object, Env>();

export class InvalidEnvError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid Worker configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidEnvError';
  }
}

/** Parses the env once per env object (one per isolate) and caches the result. */
export function loadEnv(raw: RawEnv): Env {
  const cached = parsed.get(raw);
  if (cached) return cached;
  const result = envSchema.safeParse(raw);
  if (!result.success) {
    throw new InvalidEnvError(
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  parsed.set(raw, result.data);
  return result.data;
}
