import { Kysely, PostgresDialect, sql, type RawBuilder } from "kysely";
import { createPgPool } from "../../storage/sql/pg-pool.js";
import type { Attributes } from "../attribute-filter.js";
import { candidateDepth, chunkKey, selectHits } from "../hit-selection.js";
import { toIndexedSearchText, toQuerySearchText } from "../search-text.js";
import type { IndexedChunk, SearchHit, SearchQuery, VectorIndex } from "../vector-index.js";
import { attributeFilterSql } from "./attribute-filter-sql.js";
import { rankByText, rankByVector, textSearchConfig } from "./ranking-sql.js";
import type { VectorChunksDatabase } from "./vector-chunks-table.js";

export interface PostgresVectorIndexOptions {
  /** The database whose `vector_chunks` table (created by the store's migrations) holds the index. */
  connectionString: string;
  /** Embedding dimension; must match the chunks already stored. */
  dimensions: number;
}

// Bounds one INSERT's size: every row carries its embedding as ~10 bytes of text per dimension.
const rowsPerInsert = 100;

/** Dimension of the embeddings stored in the database, or undefined when it holds no chunk yet. */
export async function storedDimensions(db: Kysely<VectorChunksDatabase>): Promise<number | undefined> {
  const row = await db
    .selectFrom("vector_chunks")
    .select(sql<number>`cardinality(embedding)`.as("dimensions"))
    .limit(1)
    .executeTakeFirst();
  return row?.dimensions;
}

/** A Kysely on a small pool of its own, so index queries never wait behind the store's transactions. */
export function connectVectorChunks(connectionString: string): Kysely<VectorChunksDatabase> {
  return new Kysely<VectorChunksDatabase>({ dialect: new PostgresDialect({ pool: createPgPool(connectionString, 4) }) });
}

/**
 * A {@link VectorIndex} in Postgres, shared by every Spool process on the database: exact cosine
 * ranking and BM25 full-text ranking, both computed in SQL over the queried stores (so only the top
 * candidates reach Node), fused like LanceDB's. Needs no extension.
 */
export async function createPostgresVectorIndex(options: PostgresVectorIndexOptions): Promise<VectorIndex> {
  const db = connectVectorChunks(options.connectionString);
  try {
    const stored = await storedDimensions(db);
    if (stored !== undefined && stored !== options.dimensions) {
      throw new Error(
        `The vector index stores ${stored}-dimensional embeddings but the embedding model produces ` +
          `${options.dimensions}; re-index or configure the matching model.`,
      );
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new PostgresVectorIndex(db, options.dimensions);
}

class PostgresVectorIndex implements VectorIndex {
  constructor(
    private readonly db: Kysely<VectorChunksDatabase>,
    private readonly dimensions: number,
  ) {}

  async add(chunks: IndexedChunk[]): Promise<void> {
    for (const chunk of chunks) {
      if (chunk.vector.length !== this.dimensions) {
        throw new Error(`Chunk ${chunk.chunkIndex} of ${chunk.fileId} has ${chunk.vector.length} dimensions, expected ${this.dimensions}`);
      }
    }
    // A chunk added again replaces the stored one; one INSERT may not touch a row twice, so the last wins.
    const unique = [...new Map(chunks.map((chunk) => [chunkKey(chunk), chunk])).values()];
    if (unique.length === 0) return;
    await this.db.transaction().execute(async (transaction) => {
      for (let start = 0; start < unique.length; start += rowsPerInsert) {
        await insertChunks(unique.slice(start, start + rowsPerInsert)).execute(transaction);
      }
    });
  }

  async deleteFile(vectorStoreId: string, fileId: string): Promise<void> {
    await this.db.deleteFrom("vector_chunks").where("vector_store_id", "=", vectorStoreId).where("file_id", "=", fileId).execute();
  }

  async deleteStore(vectorStoreId: string): Promise<void> {
    await this.db.deleteFrom("vector_chunks").where("vector_store_id", "=", vectorStoreId).execute();
  }

  async updateAttributes(vectorStoreId: string, fileId: string, attributes: Attributes | null): Promise<void> {
    await this.db
      .updateTable("vector_chunks")
      .set({ attributes: attributes === null ? null : JSON.stringify(attributes) })
      .where("vector_store_id", "=", vectorStoreId)
      .where("file_id", "=", fileId)
      .execute();
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.vectorStoreIds.length === 0 || query.limit <= 0) return [];
    if (query.vector.length !== this.dimensions) {
      throw new Error(`Query vector has ${query.vector.length} dimensions, expected ${this.dimensions}`);
    }
    const stores = sql<boolean>`vector_store_id = any(${[...new Set(query.vectorStoreIds)]}::text[])`;
    const scope = query.filter === undefined ? stores : sql<boolean>`${stores} and ${attributeFilterSql(query.filter)}`;
    const mode = query.mode ?? "hybrid";
    const depth = candidateDepth(mode, query.limit);
    const searchText = toQuerySearchText(query.text);
    const [vectorRanking, textRanking] = await Promise.all([
      mode === "text" ? [] : rankByVector(this.db, scope, unitLength(query.vector), depth),
      mode === "vector" || !/[\p{L}\p{N}]/u.test(searchText) ? [] : rankByText(this.db, scope, searchText, depth),
    ]);
    return selectHits(query, vectorRanking, textRanking);
  }

  async close(): Promise<void> {
    // Ends the pool once queries in flight have finished.
    await this.db.destroy();
  }
}

function insertChunks(chunks: IndexedChunk[]): RawBuilder<unknown> {
  const rows = chunks.map(
    (chunk) => sql`(
      ${chunk.vectorStoreId}::text, ${chunk.fileId}::text, ${chunk.chunkIndex}::integer, ${chunk.filename}::text,
      ${chunk.pageNumber}::integer, ${chunk.text}::text, ${chunk.attributes === null ? null : JSON.stringify(chunk.attributes)}::jsonb,
      to_tsvector(${textSearchConfig}, ${toIndexedSearchText(chunk.text)}::text), ${unitLength(chunk.vector)}::real[]
    )`,
  );
  return sql`
    insert into vector_chunks
      (vector_store_id, file_id, chunk_index, filename, page_number, text, attributes, search_vector, search_length, embedding)
    select vector_store_id, file_id, chunk_index, filename, page_number, text, attributes, search_vector,
      (select coalesce(sum(cardinality(entry.positions)), 0) from unnest(search_vector) as entry), embedding
    from (values ${sql.join(rows)})
      as added (vector_store_id, file_id, chunk_index, filename, page_number, text, attributes, search_vector, embedding)
    on conflict (vector_store_id, file_id, chunk_index) do update set
      filename = excluded.filename, page_number = excluded.page_number, text = excluded.text,
      attributes = excluded.attributes, search_vector = excluded.search_vector,
      search_length = excluded.search_length, embedding = excluded.embedding`;
}

/** `vector` scaled to length 1 (a zero vector stays zero), so that a dot product is a cosine similarity. */
function unitLength(vector: number[]): number[] {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const length = Math.sqrt(squares);
  return length === 0 ? vector : vector.map((value) => value / length);
}
