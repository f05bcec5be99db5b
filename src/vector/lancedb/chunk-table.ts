import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from "apache-arrow";
import type { Attributes } from "../attribute-filter.js";
import type { Candidate } from "../hit-selection.js";
import { toIndexedSearchText } from "../search-text.js";
import type { IndexedChunk } from "../vector-index.js";

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

/** A search result row (of {@link hitColumns}) as a retrieval candidate. */
export function toCandidate(row: unknown): Candidate {
  const record = row as Record<string, unknown>;
  return {
    vectorStoreId: String(record.vector_store_id),
    fileId: String(record.file_id),
    filename: String(record.filename),
    chunkIndex: Number(record.chunk_index),
    pageNumber: record.page_number === null || record.page_number === undefined ? null : Number(record.page_number),
    text: String(record.text),
    attributes: parseAttributes(record.attributes),
  };
}
