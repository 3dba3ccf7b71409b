import { sql } from 'drizzle-orm';
import { FORMAT_FILES, PREVIEW_CHARACTERS, type OutputFormat } from './outputs.schemas';

/** The first `PREVIEW_CHARACTERS` characters (code points, as Postgres counts them). */
function previewOf(content: string): string {
  let preview = '';
  let count = 0;
  for (const character of content) {
    if (count++ === PREVIEW_CHARACTERS) break;
    preview += character;
  }
  return preview;
}

export interface NewOutput {
  id: string;
  clientId: string;
  runId: string;
  format: OutputFormat;
  title?: string | null | undefined;
  content: string;
}

/**
 * The insert of an output's record (REST and the `run.output` webhook). The object key lives under
 * the client's storage prefix, which only the database knows: the insert builds it from
 * `clients.storage_prefix` (insert … select from the run joined with its client), so learning it
 * costs no extra round trip, and a run that is not this client's inserts nothing (`returning id`
 * is then empty), so nothing is ever uploaded for it.
 */
export function insertOutput(output: NewOutput) {
  const file = FORMAT_FILES[output.format];
  const size = new TextEncoder().encode(output.content).byteLength;
  return sql`
    insert into outputs (id, client_id, run_id, object_key, format, title, preview, size_bytes)
    select ${output.id}::uuid, r.client_id, r.id, cl.storage_prefix || ${`outputs/${output.id}.${file.extension}`}::text,
           ${output.format}::output_format, ${output.title ?? null}::text, ${previewOf(output.content)}::text, ${size}::int
    from runs r
    join clients cl on cl.id = r.client_id
    where r.id = ${output.runId}::uuid and r.client_id = ${output.clientId}::uuid
    returning id`;
}
