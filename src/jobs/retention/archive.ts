/** Archive objects: bytes, their SHA-256, and the inverse for `retention:restore`. */

/** The part of an R2 bucket the retention job uses (R2Bucket satisfies it; so does a test double). */
export interface ArchiveBucket {
  put(key: string, value: Uint8Array | string, options?: { httpMetadata?: { contentType?: string }; customMetadata?: Record<string, string> }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  delete(key: string): Promise<void>;
}

export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function gunzip(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const stream = new Blob([bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The columns of a KPI archive (CSV), in order; values are Postgres' text output. */
export const KPI_CSV_COLUMNS = ['id', 'client_id', 'date', 'platform', 'metric_type', 'metric_name', 'value', 'created_at', 'updated_at'] as const;

/** RFC 4180 fields of one line (quotes doubled inside quoted fields); an empty unquoted field is null. */
export function parseCsvLine(line: string): (string | null)[] {
  const fields: (string | null)[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted CSV field');
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(end === i ? null : line.slice(i, end));
      i = end;
    }
    if (line[i] !== ',') break;
    i++;
  }
  return fields;
}

/** The manifest stored beside each archive object (`<key>.manifest.json`) and as the pending marker. */
export interface Manifest {
  object_key: string;
  dataset: 'posts' | 'kpi_metrics' | 'audit_logs';
  client_id: string;
  /** The top-level ids the object holds (posts, KPI rows or audit rows). */
  ids: string[];
  /** Rows per table the purge deletes with them (children of posts included). */
  counts: Record<string, number>;
  sha256: string;
  bytes: number;
  cutoff: string;
  oldest: string;
  newest: string;
  /** SHA-256 of the archived lines as the database renders them: the delete checks it is unchanged. */
  fingerprint: string;
}
