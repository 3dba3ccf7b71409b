import { existsSync, readFileSync } from 'node:fs';
import { neon, neonConfig, type NeonQueryFunction } from '@neondatabase/serverless';

export interface DatabaseTarget {
  databaseUrl: string;
  /** Set for the local server; unset for Neon, whose endpoint the driver derives from the URL. */
  fetchEndpoint?: string | undefined;
}

/** Reads KEY=VALUE lines of a .dev.vars file (development tooling only; the Worker never does this). */
export function readDevVars(path = '.dev.vars'): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] && !line.trimStart().startsWith('#')) vars[match[1]] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return vars;
}

/** The database the scripts talk to: the process env first, then .dev.vars (the local server). */
export function targetFromEnv(): DatabaseTarget {
  const devVars = readDevVars();
  const databaseUrl = process.env.DATABASE_URL ?? devVars.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set (export it, or create .dev.vars from .dev.vars.example)');
  }
  const fetchEndpoint = process.env.DATABASE_URL
    ? process.env.NEON_FETCH_ENDPOINT || undefined
    : devVars.NEON_FETCH_ENDPOINT || undefined;
  return { databaseUrl, fetchEndpoint };
}

export function connect(target: DatabaseTarget): NeonQueryFunction<false, false> {
  if (target.fetchEndpoint) neonConfig.fetchEndpoint = target.fetchEndpoint;
  return neon(target.databaseUrl);
}
