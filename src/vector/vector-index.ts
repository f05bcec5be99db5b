import type { AttributeFilter, Attributes } from "./attribute-filter.js";

export type { AttributeFilter, Attributes, AttributeValue, ComparisonFilter, CompoundFilter } from "./attribute-filter.js";

/** One embedded chunk of a vector store file, as written to the index. */
export interface IndexedChunk {
  vectorStoreId: string;
  fileId: string;
  /** Original filename, returned with hits so citations need no extra lookup. */
  filename: string;
  /** Position of the chunk within its file, from 0; with the ids it identifies the chunk. */
  chunkIndex: number;
  /** 1-based page the chunk comes from, or `null` for unpaginated formats. */
  pageNumber: number | null;
  text: string;
  /** Embedding of `text`; every chunk in one index has the same dimension. */
  vector: number[];
  /** The file's attributes (the same for all chunks of a file), used by {@link SearchQuery.filter}. */
  attributes: Attributes | null;
}

/** A chunk returned by {@link VectorIndex.search}: the indexed chunk without its vector, with a score. */
export interface SearchHit extends Omit<IndexedChunk, "vector"> {
  /**
   * Relevance in 0..1, higher is better. In `vector` mode it is the cosine similarity (clamped at 0);
   * in `hybrid` and `text` mode it is the reciprocal-rank-fusion score divided by the best possible
   * one, so it reflects how highly the retrievers ranked the chunk rather than an absolute similarity.
   */
  score: number;
}

/** How {@link VectorIndex.search} retrieves candidates. */
export type SearchMode = "hybrid" | "vector" | "text";

export interface SearchQuery {
  /** Stores to search; a hit always belongs to one of them. An empty list yields no hits. */
  vectorStoreIds: string[];
  /** The query as written, for full-text (BM25) retrieval. */
  text: string;
  /** The query's embedding, for vector retrieval; same dimension as the indexed chunks. */
  vector: number[];
  /** Maximum number of hits to return. */
  limit: number;
  /** Hits scoring below this (0..1) are dropped before `limit` is applied. */
  scoreThreshold?: number;
  /**
   * `hybrid` (default) fuses vector and BM25 full-text rankings with reciprocal-rank fusion, so exact
   * rare terms (product codes, names) are found even when embeddings blur them; `vector` and `text`
   * use one retriever alone.
   */
  mode?: SearchMode;
  /** OpenAI attribute filter; applied before ranking and `limit`, so it never shrinks a full page of hits. */
  filter?: AttributeFilter;
}

/**
 * Chunk storage and retrieval for file_search. Implementations serialize their own writes, so callers
 * may invoke any method concurrently; a write is visible to searches once its promise resolves.
 */
export interface VectorIndex {
  /**
   * Stores chunks. Adding a chunk whose (store, file, chunkIndex) already exists may keep both rows or
   * replace the old one (search returns it once either way), so re-ingestion should call
   * {@link deleteFile} first.
   */
  add(chunks: IndexedChunk[]): Promise<void>;
  /** Removes every chunk of one file from one store; a no-op when there are none. */
  deleteFile(vectorStoreId: string, fileId: string): Promise<void>;
  /** Removes every chunk of a store; a no-op when there are none. */
  deleteStore(vectorStoreId: string): Promise<void>;
  /** Replaces the attributes of every chunk of a file, so later filters see the new values. */
  updateAttributes(vectorStoreId: string, fileId: string, attributes: Attributes | null): Promise<void>;
  /**
   * Returns up to `limit` distinct chunks (deduplicated by store, file and chunk index) from the given
   * stores, best first, after applying `filter` and `scoreThreshold`.
   */
  search(query: SearchQuery): Promise<SearchHit[]>;
  /** Waits for pending writes and releases resources; the index must not be used afterwards. */
  close(): Promise<void>;
}
