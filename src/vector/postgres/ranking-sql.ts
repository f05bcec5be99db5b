import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Attributes } from "../attribute-filter.js";
import type { Candidate, VectorCandidate } from "../hit-selection.js";
import type { VectorChunksDatabase } from "./vector-chunks-table.js";

/**
 * The text search configuration of `search_vector`: lower-casing, English stemming and stop words, as
 * LanceDB's full-text index has. Its word parser keeps the CJK bigrams of `search-text.ts` whole.
 */
export const textSearchConfig = sql.lit("english");

// BM25's customary term-frequency saturation and length normalization (Lucene's and Tantivy's defaults).
const k1 = 1.2;
const b = 0.75;

interface HitRow {
  vector_store_id: string;
  file_id: string;
  filename: string;
  chunk_index: number;
  page_number: number | null;
  text: string;
  attributes: Attributes | null;
}

const hitColumns = sql`chunk.vector_store_id, chunk.file_id, chunk.filename, chunk.chunk_index, chunk.page_number, chunk.text, chunk.attributes`;

function toCandidate(row: HitRow): Candidate {
  return {
    vectorStoreId: row.vector_store_id,
    fileId: row.file_id,
    filename: row.filename,
    chunkIndex: row.chunk_index,
    pageNumber: row.page_number,
    text: row.text,
    attributes: row.attributes,
  };
}

/**
 * The `depth` chunks in `scope` (a predicate on `vector_chunks`) most similar to `unitQuery`. Stored
 * embeddings are unit length, so the dot product is the cosine similarity. Ties break on the chunk's
 * key, so every process returns the same ranking.
 */
export async function rankByVector(
  db: Kysely<VectorChunksDatabase>,
  scope: RawBuilder<boolean>,
  unitQuery: number[],
  depth: number,
): Promise<VectorCandidate[]> {
  const { rows } = await sql<HitRow & { similarity: number }>`
    select ${hitColumns},
      vector_chunks_dot_product(chunk.embedding, ${unitQuery}::real[]) as similarity
    from vector_chunks as chunk
    where ${scope}
    order by similarity desc, chunk.vector_store_id, chunk.file_id, chunk.chunk_index
    limit ${depth}`.execute(db);
  return rows.map((row) => ({ ...toCandidate(row), similarity: row.similarity }));
}

/**
 * The `depth` chunks in `scope` that best match `searchText` by BM25 (any query term may match). Term
 * statistics are those of the chunks in scope; the GIN index on the terms finds the matching chunks.
 */
export async function rankByText(
  db: Kysely<VectorChunksDatabase>,
  scope: RawBuilder<boolean>,
  searchText: string,
  depth: number,
): Promise<Candidate[]> {
  // Immutable in the query text alone, so the planner folds it into a constant the GIN index can use.
  const queryTerms = sql`tsvector_to_array(to_tsvector(${textSearchConfig}, ${searchText}::text))`;
  const { rows } = await sql<HitRow>`
    with corpus as (
      select count(*)::float8 as chunks, avg(chunk.search_length)::float8 as average_length
      from vector_chunks as chunk
      where ${scope}
    ),
    occurrences as (
      select chunk.vector_store_id, chunk.file_id, chunk.chunk_index, chunk.search_length,
        entry.lexeme as term, cardinality(entry.positions)::float8 as frequency
      from vector_chunks as chunk
      -- Stored terms all carry the default weight D, so weight A marks exactly the query's terms: keeping
      -- only those (in C) is cheaper than unnesting every term of the chunk.
      cross join lateral unnest(ts_filter(setweight(chunk.search_vector, 'A', ${queryTerms}), '{a}')) as entry
      where ${scope} and tsvector_to_array(chunk.search_vector) && ${queryTerms}
    ),
    term_chunks as (
      select term, count(*)::float8 as chunks from occurrences group by term
    ),
    best as (
      select occurrence.vector_store_id, occurrence.file_id, occurrence.chunk_index,
        sum(
          ln(1 + (corpus.chunks - term_chunks.chunks + 0.5) / (term_chunks.chunks + 0.5))
          * occurrence.frequency * ${sql.lit(k1 + 1)}
          / (occurrence.frequency + ${sql.lit(k1)} * (${sql.lit(1 - b)} + ${sql.lit(b)} * occurrence.search_length / corpus.average_length))
        ) as score
      from occurrences as occurrence
      join term_chunks using (term)
      cross join corpus
      group by occurrence.vector_store_id, occurrence.file_id, occurrence.chunk_index
      order by score desc, occurrence.vector_store_id, occurrence.file_id, occurrence.chunk_index
      limit ${depth}
    )
    select ${hitColumns}
    from best
    join vector_chunks as chunk using (vector_store_id, file_id, chunk_index)
    order by best.score desc, chunk.vector_store_id, chunk.file_id, chunk.chunk_index`.execute(db);
  return rows.map(toCandidate);
}
