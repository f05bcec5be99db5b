import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from "apache-arrow";
import type { Attributes } from "../attribute-filter.js";
import type { IndexedChunk, SearchHit } from "../vector-index.js";
import { toIndexedSearchText } from "./search-text.js";

export const chunksTableName = "chunks";
export const searchTextColumn = "search_text";

// Unquoted identifiers are lower-cased by LanceDB's SQL parser, so every column is snake_case.
export function chunkTableSchema(dimensions: number): Schema {
  return new Schema([
    new Field("vector_store_id", new Utf8(), false),
    new Field("file_id", new Utf8(), false),
    new Field("filename", new Utf8(), false),
    new Field("chunk_index", new Int32(), false),
    new Field("page_number", new Int32(), true),
    new Field("text", new Utf8(), false),
    new Field(searchTextColumn, new Utf8(), false),
    new Field("attributes", new Utf8(), true),
    new Field("vector", new FixedSizeList(dimensions, new Field("item", new Float32(), true)), false),
  ]);
}

/** Columns a search returns; the raw vector and search text stay on disk. */
export const hitColumns = [
  "vector_store_id",
  "file_id",
  "filename",
  "chunk_index",
  "page_number",
  "text",
  "attributes",
] as const;

export function toRow(chunk: IndexedChunk): Record<string, unknown> {
  return {
    vector_store_id: chunk.vectorStoreId,
    file_id: chunk.fileId,
    filename: chunk.filename,
    chunk_index: chunk.chunkIndex,
    page_number: chunk.pageNumber,
    text: chunk.text,
    [searchTextColumn]: toIndexedSearchText(chunk.text),
    attributes: serializeAttributes(chunk.attributes),
    vector: chunk.vector,
  };
}

export function serializeAttributes(attributes: Attributes | null): string | null {
  return attributes === null ? null : JSON.stringify(attributes);
}

export function parseAttributes(json: unknown): Attributes | null {
  return typeof json === "string" ? (JSON.parse(json) as Attributes) : null;
}

/** A search hit without its score; `rawScore` is LanceDB's `_distance` or `_score`. */
export type RankedRow = Omit<SearchHit, "score"> & { rawScore: number };

export function toRankedRow(row: unknown, scoreColumn: "_distance" | "_score"): RankedRow {
  const record = row as Record<string, unknown>;
  return {
    vectorStoreId: String(record.vector_store_id),
    fileId: String(record.file_id),
    filename: String(record.filename),
    chunkIndex: Number(record.chunk_index),
    pageNumber: record.page_number === null || record.page_number === undefined ? null : Number(record.page_number),
    text: String(record.text),
    attributes: parseAttributes(record.attributes),
    rawScore: Number(record[scoreColumn]),
  };
}

export function toSearchHit(row: RankedRow, score: number): SearchHit {
  const { vectorStoreId, fileId, filename, chunkIndex, pageNumber, text, attributes } = row;
  return { vectorStoreId, fileId, filename, chunkIndex, pageNumber, text, score, attributes };
}

export function chunkKey(hit: { vectorStoreId: string; fileId: string; chunkIndex: number }): string {
  return `${hit.vectorStoreId}\u0000${hit.fileId}\u0000${hit.chunkIndex}`;
}
