import type { ColumnType } from "kysely";
import type { Attributes } from "../attribute-filter.js";

/** A row of `vector_chunks` (migration `0005-vector-chunks`): one chunk of one file in one vector store. */
export interface VectorChunkRow {
  vector_store_id: string;
  file_id: string;
  chunk_index: number;
  filename: string;
  page_number: number | null;
  text: string;
  /** Read as an object; written as JSON text. */
  attributes: ColumnType<Attributes | null, string | null, string | null>;
  /** `to_tsvector` of the text prepared by `toIndexedSearchText`. */
  search_vector: string;
  search_length: number;
  /** The chunk's embedding scaled to unit length. */
  embedding: number[];
}

export interface VectorChunksDatabase {
  vector_chunks: VectorChunkRow;
}
