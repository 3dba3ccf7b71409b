import { generateKeyPairSync } from 'node:crypto';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** Test-only signing key; test/helpers/tokens.ts signs with the same value from the Worker's env. */
const TEST_JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/**
 * A per-run ES256 key pair standing in for a production identity provider: the Worker gets the
 * public JWKS, the tests get the private key (to sign valid ES256 tokens and to attempt
 * algorithm confusion with the public key).
 */
const identityProvider = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = { ...identityProvider.publicKey.export({ format: 'jwk' }), kid: 'test-idp-1', alg: 'ES256', use: 'sig' };
const privateJwk = { ...identityProvider.privateKey.export({ format: 'jwk' }), kid: 'test-idp-1', alg: 'ES256' };

/** A per-run RS256 key pair standing in for the Cloudflare Access team's signing key (the review desk's sign-in). */
const access = generateKeyPairSync('rsa', { modulusLength: 2048 });
const accessPublicJwk = { ...access.publicKey.export({ format: 'jwk' }), kid: 'test-access-1', alg: 'RS256', use: 'sig' };
const accessPrivateJwk = { ...access.privateKey.export({ format: 'jwk' }), kid: 'test-access-1', alg: 'RS256' };

/**
 * Worker test files run in this many lanes at once: each lane is a workerd runtime with a database of
 * its own (test/global-setup.ts), and runs its files one at a time, so round-trip counts read from
 * the lane's server stay exact and a file's cleanup never meets another file's rows.
 */
const WORKER_LANES = 2;
process.env.WORKER_LANES = String(WORKER_LANES);
/** Runtimes started so far: each takes the next lane's database. */
let runtimes = 0;

export default defineConfig({
  test: {
    projects: [
      // The review desk and the reference page in headless Chromium, against `wrangler dev` on the local stack.
      './test/browser/vitest.config.ts',
      {
        // Dev tooling that runs in Node: the local Neon-compatible server and the scripts.
        test: {
          name: 'tools',
          environment: 'node',
          // Two files at a time (each starts its own servers; much of their time is waiting on
          // timeouts and latency), after the worker project: projects whose maxWorkers differ run
          // in separate groups.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          include: ['test/neon-local/**/*.test.ts', 'test/scripts/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The Worker, inside workerd, against the local database with the real migrations.
        plugins: [
          cloudflareTest(({ inject }) => {
            const endpoints = inject('neonSqlEndpoints');
            const lane = runtimes++ % endpoints.length;
            return {
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  ENVIRONMENT: 'test',
                  DATABASE_URL: 'postgresql://app:app@localhost/neondb',
                  NEON_FETCH_ENDPOINT: endpoints[lane]!,
                  LOG_LEVEL: 'warn',
                  JWT_SECRET: TEST_JWT_SECRET,
                  JWT_JWKS: JSON.stringify({ keys: [publicJwk] }),
                  TEST_IDP_PRIVATE_JWK: JSON.stringify(privateJwk),
                  // Webhook endpoints' secrets derive from it (test/worker/webhooks/ reads it from the Worker's env).
                  WEBHOOK_SIGNING_KEY: 'test-webhook-key-0123456789abcdef0123456789',
                  // The chat receivers' secrets (test/worker/webhooks/chat-channels.test.ts signs with them).
                  SLACK_SIGNING_SECRET: 'test-slack-signing-secret',
                  TELEGRAM_WEBHOOK_SECRET: 'test-telegram-secret-token',
                  // The review desk behind Cloudflare Access (test/worker/desk/ signs assertions with the private key).
                  ACCESS_TEAM_DOMAIN: 'https://edge-data-api-test.cloudflareaccess.com',
                  ACCESS_AUD: 'test-access-application-aud',
                  ACCESS_JWKS: JSON.stringify({ keys: [accessPublicJwk] }),
                  TEST_ACCESS_PRIVATE_JWK: JSON.stringify(accessPrivateJwk),
                },
              },
            };
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['./test/global-setup.ts'],
          // WORKER_LANES runtimes at once, each with its own database and its files one at a time.
          maxWorkers: WORKER_LANES,
          // A runtime serves file after file: a fresh one per file cost ~3.5 s each, about half the
          // suite's time (370 s → 203 s when measured).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
