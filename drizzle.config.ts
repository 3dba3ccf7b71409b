import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` and `check` use this file; migrations are applied by
// `npm run db:migrate` (scripts/db/migrate.ts), one transaction per migration.
export default defineConfig({
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  dialect: 'postgresql',
  strict: true,
  verbose: true,
});
