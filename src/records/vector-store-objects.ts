import type { Metadata } from "../domain/objects.js";
import { unixNow } from "../domain/time.js";
import type { FileAttributes, StaticChunkingStrategy, VectorStore, VectorStoreFile } from "../domain/vector-stores.js";
import type { ChunkingOptions } from "../vector/chunking-strategy.js";
import { emptyFileCounts, expiresAtOf } from "./vector-store-bookkeeping.js";

/**
 * Vector stores and their files as stored when they are made: by the API (routes, `tool_resources`, message
 * attachments) and by the importer, which recreates the stores an export names under their ids.
 */

/** Chunking as a file stores it: always static, so `auto` is kept as the sizes it stands for. */
export function storedChunkingOf(options: ChunkingOptions): StaticChunkingStrategy {
  return { type: "static", static: { max_chunk_size_tokens: options.maxChunkSizeTokens, chunk_overlap_tokens: options.chunkOverlapTokens } };
}

/** A vector store without files, active from `createdAt`; with `expires_after`, it expires that long after. */
export function emptyVectorStore(
  id: string,
  createdAt: number,
  fields: { name?: string | null; metadata?: Metadata | null; expires_after?: VectorStore["expires_after"] } = {},
): VectorStore {
  const expiresAfter = fields.expires_after ?? null;
  return {
    id,
    object: "vector_store",
    created_at: createdAt,
    name: fields.name ?? "",
    usage_bytes: 0,
    file_counts: emptyFileCounts(),
    status: "completed",
    expires_after: expiresAfter,
    expires_at: expiresAtOf(expiresAfter, createdAt),
    last_active_at: createdAt,
    metadata: fields.metadata ?? {},
  };
}

/** A file just added to a vector store: `in_progress` until the ingestion queue, woken after commit, takes it. */
export function queuedVectorStoreFile(
  vectorStoreId: string,
  fileId: string,
  options: { chunking: StaticChunkingStrategy; attributes: FileAttributes | null; batchId: string | null },
): VectorStoreFile {
  return {
    id: fileId,
    object: "vector_store.file",
    usage_bytes: 0,
    created_at: unixNow(),
    vector_store_id: vectorStoreId,
    status: "in_progress",
    last_error: null,
    chunking_strategy: options.chunking,
    attributes: options.attributes,
    batch_id: options.batchId,
  };
}
