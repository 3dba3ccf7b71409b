import { z } from 'zod';

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

/** A JSON Web Key Set given inline. */
const jwksDocument = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    try {
      const parsed = JSON.parse(value) as { keys?: unknown };
      if (!Array.isArray(parsed.keys)) throw new Error('no keys array');
      return parsed as { keys: Record<string, unknown>[] };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set ({"keys": [...]})' });
      return z.NEVER;
    }
  });

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
    /** HS256 key: verifies development tokens and signs the short-lived tokens of API-key exchange. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters of random data'),
    JWT_ISSUER: z.string().min(1).default('edge-data-api'),
    JWT_AUDIENCE: z.string().min(1).default('edge-data-api'),
    /** Production identity provider keys (ES256/RS256/EdDSA): an inline JWKS document or its URL. */
    JWT_JWKS: jwksDocument,
    JWT_JWKS_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
    /** Lifetime of tokens minted by POST /v1/auth/token, in seconds (at most 15 minutes). */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(900),
    /** The longest lifetime (`exp - iat`) a token may have, in seconds (default 24 hours). */
    TOKEN_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).default(86_400),
    /**
     * Key the signing secret of every webhook endpoint is derived from (src/webhooks/signing.ts).
     * Unset: endpoints cannot be created and signed deliveries answer 503.
     */
    WEBHOOK_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters of random data').optional().or(z.literal('').transform(() => undefined)),
    /** Slack app's signing secret: verifies `POST /hooks/slack`. Unset: that receiver answers 503. */
    SLACK_SIGNING_SECRET: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
    /** The `secret_token` given to Telegram's `setWebhook`: checked on `POST /hooks/telegram`. Unset: 503. */
    TELEGRAM_WEBHOOK_SECRET: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
    /**
     * The review desk's sign-in in production: the Cloudflare Access team domain
     * (`https://<team>.cloudflareaccess.com`) and the Access application's audience tag. Unset: the
     * desk signs no one in (outside development, where it offers the seeded members).
     */
    ACCESS_TEAM_DOMAIN: z.string().url().optional().or(z.literal('').transform(() => undefined)),
    ACCESS_AUD: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
    /** Access signing keys given inline (a JWKS document) instead of fetched from the team's certs URL. */
    ACCESS_JWKS: jwksDocument,
    /** Whether the identity provider (JWKS) may issue `system` tokens. Off unless set to "true". */
    JWT_JWKS_ALLOW_SYSTEM: z
      .enum(['true', 'false', ''])
      .optional()
      .transform((value) => value === 'true'),
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
