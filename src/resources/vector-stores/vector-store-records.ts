import { newId } from "../../domain/ids.js";
import type { Metadata } from "../../domain/objects.js";
import { unixNow } from "../../domain/time.js";
import type {
  FileAttributes,
  StaticChunkingStrategy,
  VectorStore,
  VectorStoreFile,
} from "../../domain/vector-stores.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { Store } from "../../storage/store.js";
import { autoChunking, resolveChunkingStrategy, type ChunkingStrategyRequest } from "../../vector/chunking-strategy.js";
import { InvalidChunkingStrategyError } from "../../vector/errors.js";
import { saveVectorStoreFile } from "../../records/vector-store-bookkeeping.js";
import { emptyVectorStore, queuedVectorStoreFile, storedChunkingOf } from "../../records/vector-store-objects.js";

/**
 * Store-level bookkeeping shared by every path that adds or removes vector store files (the vector store
 * routes, `tool_resources.file_search.vector_stores`, message attachments, v1 `file_ids`). All functions
 * take the request's transaction store; the ingestion queue picks `in_progress` files up after commit.
 */

export function newVectorStore(fields: { name?: string | null; metadata?: Metadata | null; expires_after?: VectorStore["expires_after"] }): VectorStore {
  return emptyVectorStore(newId("vectorStore"), unixNow(), fields);
}

/** The chunking a file is stored with: `auto` is reported as the static 800/400 it stands for. */
export function storedChunking(request: ChunkingStrategyRequest | undefined, param = "chunking_strategy"): StaticChunkingStrategy {
  try {
    return storedChunkingOf(request ? resolveChunkingStrategy(request) : autoChunking);
  } catch (error) {
    if (error instanceof InvalidChunkingStrategyError) {
      const field = error.param.replace(/^chunking_strategy/, param);
      throw new InvalidRequestError(`Invalid '${field}': ${error.message}.`, { param: field, code: "invalid_value" });
    }
    throw error;
  }
}

export interface AttachOptions {
  chunking: StaticChunkingStrategy;
  attributes: FileAttributes | null;
  batchId: string | null;
  /** Names the request field that listed the file, for the 400 when it does not exist. */
  param?: string;
}

/**
 * Adds a File to a vector store as `in_progress` (the ingestion queue takes it from there). A file already
 * in the store is left as it is unless its last ingestion failed or was cancelled, which retries it.
 */
export async function attachFile(store: Store, vectorStoreId: string, fileId: string, options: AttachOptions): Promise<VectorStoreFile> {
  if (!(await store.files.get(fileId))) {
    throw new InvalidRequestError(`No file found with id '${fileId}'.`, { param: options.param ?? "file_id" });
  }
  const existing = await store.vectorStoreFiles.get(fileId, vectorStoreId);
  if (existing && (existing.status === "in_progress" || existing.status === "completed")) return existing;
  const file = queuedVectorStoreFile(vectorStoreId, fileId, options);
  await saveVectorStoreFile(store, existing ?? null, file);
  return file;
}

export async function getVectorStoreOrThrow(store: Store, vectorStoreId: string): Promise<VectorStore> {
  const vectorStore = await store.vectorStores.get(vectorStoreId);
  if (!vectorStore) throw NotFoundError.object("vector store", vectorStoreId);
  return vectorStore;
}

