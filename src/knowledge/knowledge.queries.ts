import { sql, type SQL } from 'drizzle-orm';

/**
 * The knowledge area's raw SQL: the bulk upsert and the three search shapes. Kept free of Worker
 * types so the benchmark (bench/vector-search.ts) and the EXPLAIN test run exactly these.
 */

/** RRF constant of reciprocal rank fusion (Cormack et al.): score = Σ 1 / (RRF_K + rank). */
export const RRF_K = 60;
/**
 * hnsw.ef_search for API searches (pgvector's default is 40): the candidate list of the graph
 * walk. Raised for recall (see bench/results/vector-search.json: recall@10 0.85 → 0.97 at 100k
 * chunks); never below the rows wanted. Not higher: pgvector's cost estimate grows with it, and at
 * 200 the planner already preferred the exact scan (~40× slower) for a 50k-chunk tenant.
 */
export const EF_SEARCH = 100;

/** Candidates per side of a hybrid search: the top-N of the vector and of the text ranking. */
export function hybridCandidates(k: number): number {
  return Math.min(100, Math.max(40, 4 * k));
}

/**
 * First statement of every search batch: pgvector (≥ 0.8) iterative index scans, so rows the
 * filters drop (tenant, knowledge bases, tags) are replaced by further neighbours until `k` rows
 * pass (relaxed order: results are re-sorted by the caller's query); and the graph walk's width.
 * Both are transaction-local.
 */
export function searchSettings(rowsWanted: number): SQL {
  const ef = Math.max(EF_SEARCH, rowsWanted);
  return sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(ef)}, true)`;
}

export interface SearchScope {
  clientId: string;
  knowledgeBaseIds?: string[] | undefined;
  tags?: string[] | undefined;
}

/**
 * Rows of `c` (knowledge_chunks) a search may return: this client's (RLS enforces it as well),
 * in its active knowledge bases (optionally only the ones named), optionally with a tag. The
 * knowledge-base set is an uncorrelated ARRAY(subquery), evaluated once (an InitPlan) and applied
 * as a plain filter, so the vector query keeps its HNSW index scan.
 */
function scope(s: SearchScope): SQL {
  const kbFilter = s.knowledgeBaseIds ? sql` and kb.id = any(${sql.param(s.knowledgeBaseIds)}::uuid[])` : sql``;
  const tagFilter = s.tags ? sql` and c.metadata -> 'tags' ?| ${sql.param(s.tags)}::text[]` : sql``;
  return sql`c.client_id = ${s.clientId}
    and c.knowledge_base_id = any(array(select kb.id from knowledge_bases kb where kb.client_id = ${s.clientId} and kb.is_active${kbFilter}))${tagFilter}`;
}

const HIT_COLUMNS = sql.raw('c.id, c.knowledge_base_id, c.chunk_index, c.content, c.embedding_model, c.token_count, c.metadata');

/**
 * Nearest neighbours by cosine distance: `ORDER BY embedding <=> $q LIMIT k` on the chunks (the
 * distance selected once and ordered by by its name, so the embedding is sent once), which is the
 * shape the HNSW (vector_cosine_ops) index serves. Materialized, then re-sorted: with
 * relaxed-order iterative scans the index may return neighbours slightly out of order.
 */
export function vectorSearchQuery(vector: string, k: number, s: SearchScope): SQL {
  return sql`with nearest as materialized (
      select ${HIT_COLUMNS}, c.embedding <=> ${vector}::vector as distance
      from knowledge_chunks c
      where ${scope(s)} and c.embedding is not null
      order by distance
      limit ${k}
    )
    select id, knowledge_base_id, chunk_index, content, embedding_model, token_count, metadata,
           (1 - distance)::float8 as score, (1 - distance)::float8 as vector_similarity, null::float8 as text_rank
    from nearest
    order by distance, id`;
}

/** Full-text matches (GIN index on the generated tsvector), ranked by cover density. */
export function textSearchQuery(query: string, k: number, s: SearchScope): SQL {
  return sql`select ${HIT_COLUMNS}, ts_rank_cd(c.search_vector, q.query)::float8 as score,
           null::float8 as vector_similarity, ts_rank_cd(c.search_vector, q.query)::float8 as text_rank
    from knowledge_chunks c, websearch_to_tsquery('english', ${query}) as q(query)
    where ${scope(s)} and c.search_vector @@ q.query
    order by score desc, c.id
    limit ${k}`;
}

/**
 * Hybrid in one statement: the top-N of the vector ranking and the top-N of the text ranking,
 * fused by reciprocal rank fusion — score = 1/(60 + vector rank) + 1/(60 + text rank), a missing
 * side contributing 0 — then the best k. The embedding (the largest parameter, 1536 numbers) is
 * sent once, as in `vectorSearchQuery`.
 */
export function hybridSearchQuery(vector: string, query: string, k: number, s: SearchScope): SQL {
  const n = hybridCandidates(k);
  return sql`with vec as materialized (
      select c.id, c.embedding <=> ${vector}::vector as distance
      from knowledge_chunks c
      where ${scope(s)} and c.embedding is not null
      order by distance
      limit ${n}
    ),
    vec_ranked as (
      select id, distance, row_number() over (order by distance, id) as rank from vec
    ),
    txt as materialized (
      select c.id, ts_rank_cd(c.search_vector, q.query) as rank_score
      from knowledge_chunks c, websearch_to_tsquery('english', ${query}) as q(query)
      where ${scope(s)} and c.search_vector @@ q.query
      order by rank_score desc, c.id
      limit ${n}
    ),
    txt_ranked as (
      select id, rank_score, row_number() over (order by rank_score desc, id) as rank from txt
    ),
    fused as (
      select coalesce(v.id, t.id) as id,
             coalesce(1.0::float8 / (${RRF_K} + v.rank), 0) + coalesce(1.0::float8 / (${RRF_K} + t.rank), 0) as score,
             (1 - v.distance)::float8 as vector_similarity,
             t.rank_score::float8 as text_rank
      from vec_ranked v full join txt_ranked t on t.id = v.id
      order by score desc, id
      limit ${k}
    )
    select ${HIT_COLUMNS}, f.score, f.vector_similarity, f.text_rank
    from fused f join knowledge_chunks c on c.id = f.id
    where c.client_id = ${s.clientId}
    order by f.score desc, c.id`;
}

export interface ChunkRow {
  chunk_index: number;
  content: string;
  /** pgvector text form, see vectorLiteral. */
  embedding: string;
  embedding_model: string | null;
  token_count: number;
  metadata: Record<string, unknown>;
}

/**
 * The bulk upsert, one statement: the chunks travel as one jsonb parameter, are joined to the
 * knowledge base (this client's only — another tenant's id matches nothing, so nothing is
 * written), and upserted on (knowledge_base_id, chunk_index). Rows sent again unchanged are not
 * touched (no update, no audit row, no index churn). Returns one row per inserted or changed
 * chunk, `inserted` telling which (xmax = 0 only for a row this statement inserted).
 */
export function upsertChunksQuery(clientId: string, knowledgeBaseId: string, chunks: ChunkRow[]): SQL {
  return sql`insert into knowledge_chunks as t
      (client_id, knowledge_base_id, chunk_index, content, embedding, embedding_model, token_count, metadata)
    select kb.client_id, kb.id, r.chunk_index, r.content, r.embedding::vector, r.embedding_model, r.token_count, coalesce(r.metadata, '{}'::jsonb)
    from knowledge_bases kb
    cross join jsonb_to_recordset(${JSON.stringify(chunks)}::jsonb)
      as r(chunk_index int, content text, embedding text, embedding_model text, token_count int, metadata jsonb)
    where kb.id = ${knowledgeBaseId} and kb.client_id = ${clientId}
    on conflict (knowledge_base_id, chunk_index) do update set
      content = excluded.content,
      embedding = excluded.embedding,
      embedding_model = excluded.embedding_model,
      token_count = excluded.token_count,
      metadata = excluded.metadata
    where (t.content, t.embedding, t.embedding_model, t.token_count, t.metadata)
      is distinct from (excluded.content, excluded.embedding, excluded.embedding_model, excluded.token_count, excluded.metadata)
    returning (t.xmax = 0) as inserted`;
}

/** The knowledge base's counts (after the statement trigger of drizzle/0005 refreshed them). */
export function knowledgeBaseCountsQuery(clientId: string, knowledgeBaseId: string): SQL {
  return sql`select chunk_count, token_count from knowledge_bases where id = ${knowledgeBaseId} and client_id = ${clientId}`;
}

/** Deletes every chunk of a knowledge base of this client; one row with the count. */
export function deleteAllChunksQuery(clientId: string, knowledgeBaseId: string): SQL {
  return sql`with gone as (
      delete from knowledge_chunks where knowledge_base_id = ${knowledgeBaseId} and client_id = ${clientId} returning 1
    )
    select count(*)::int as deleted from gone`;
}
