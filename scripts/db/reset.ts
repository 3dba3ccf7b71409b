import { rmSync } from 'node:fs';
import { LOCAL_DATA_DIR, LOCAL_DB_PORT } from '../dev-config';

/** Deletes the local development database; the next `npm run dev` migrates and seeds a fresh one. */
async function main() {
  const running = await fetch(`http://127.0.0.1:${LOCAL_DB_PORT}/_neon_local/health`).then(
    () => true,
    () => false,
  );
  if (running) {
    console.error('The local database is running (npm run dev): stop it first, then run db:reset again.');
    process.exit(1);
  }
  rmSync(LOCAL_DATA_DIR, { recursive: true, force: true });
  console.log(`Removed ${LOCAL_DATA_DIR}; the next \`npm run dev\` starts from an empty database.`);
}

await main();
