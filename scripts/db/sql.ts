import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { connect, targetFromEnv } from './connection';

/**
 * `npm run -s db:sql -- [--client <slug> [--role viewer]] [--system] ["select …"]`: an SQL console
 * for the database the scripts talk to (the local server of `npm run dev`, or DATABASE_URL).
 * As the owner by default; `--client` runs each statement as that client's tenant (row-level
 * security applies, exactly as for API requests), `--system` on the cross-tenant path. With a
 * statement argument it runs that and exits; otherwise it reads statements ending in `;`.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    client: { type: 'string' },
    role: { type: 'string', default: 'viewer' },
    system: { type: 'boolean', default: false },
  },
});

const sql = connect(targetFromEnv());

type Query = ReturnType<typeof sql>;

async function prelude(): Promise<Query[]> {
  if (values.system) return [sql`select set_config('app.role', 'system', true)`, sql`set local role app_system`];
  if (!values.client) return [];
  const rows = (await sql.transaction([
    sql`set local role app_system`,
    sql`select id from clients where slug = ${values.client}`,
  ])) as [unknown, { id: string }[]];
  const clientId = rows[1][0]?.id;
  if (!clientId) throw new Error(`no client with slug "${values.client}"`);
  return [sql`select set_config('app.client_id', ${clientId}, true), set_config('app.role', ${values.role}, true)`, sql`set local role app_tenant`];
}

async function run(statement: string): Promise<void> {
  const before = await prelude();
  try {
    const results = (await sql.transaction([...before, sql.query(statement) as Query])) as unknown[];
    const rows = results.at(-1) as Record<string, unknown>[];
    if (rows.length > 0) console.table(rows);
    else console.log('(no rows)');
  } catch (error) {
    const e = error as { message?: string; code?: string };
    console.error(`error${e.code ? ` ${e.code}` : ''}: ${e.message ?? String(error)}`);
    process.exitCode = 1;
  }
}

const who = values.system ? 'system' : values.client ? `${values.client} as ${values.role}` : 'owner';
if (positionals.length > 0) {
  await run(positionals.join(' '));
} else {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `sql (${who})> ` });
  let buffer = '';
  rl.prompt();
  for await (const line of rl) {
    buffer += `${line}\n`;
    if (buffer.trimEnd().endsWith(';')) {
      await run(buffer.trim().replace(/;$/, ''));
      buffer = '';
    }
    rl.prompt();
  }
}
