/** Where `npm run dev` keeps its database and which ports it uses (override with env). */
export const LOCAL_DATA_DIR = process.env.LOCAL_DATA_DIR ?? '.data/pglite';
export const LOCAL_DB_PORT = Number(process.env.NEON_LOCAL_PORT ?? 4444);
export const API_PORT = Number(process.env.PORT ?? 8787);
