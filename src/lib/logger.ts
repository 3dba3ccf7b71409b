const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** The one place the API writes log lines; Workers Logs and `wrangler tail` keep the console level. */
const SINKS = { debug: console.debug, info: console.info, warn: console.warn, error: console.error } as const;
export type LogLevel = keyof typeof LEVELS;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line, so Workers Logs and `wrangler tail` can filter on fields. */
export function createLogger(level: LogLevel, base: Record<string, unknown> = {}): Logger {
  const threshold = LEVELS[level];
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < threshold) return;
    const line = JSON.stringify({ level: lvl, msg, time: new Date().toISOString(), ...base, ...fields });
    SINKS[lvl](line);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** Error fields safe to log: name, message, SQLSTATE and stack stay server-side, never in responses. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const withCode = error as Error & { code?: unknown };
  return {
    error: { name: error.name, message: error.message, code: withCode.code, stack: error.stack },
  };
}
