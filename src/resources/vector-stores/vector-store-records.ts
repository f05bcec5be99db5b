import { newId } from "../../domain/ids.js";
import type { Metadata } from "../../domain/objects.js";
import { unixNow } from "../../domain/time.js";
import type {
  FileAttributes,
  FileCounts,
  StaticChunkingStrategy,
  VectorStore,
  VectorStoreFile,
  VectorStoreFileBatch,
} from "../../domain/vector-stores.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { Store } from "../../storage/store.js";
import { autoChunking, resolveChunkingStrategy, type ChunkingStrategyRequest } from "../../vector/chunking-strategy.js";
import { InvalidChunkingStrategyError } from "../../vector/errors.js";

/**
 * Store-level bookkeeping shared by every path that adds or removes vector store files (the vector store
 * routes, `tool_resources.file_search.vector_stores`, message attachments, v1 `file_ids`). All functions
 * take the request's transaction store; the ingestion queue picks `in_progress` files up after commit.
 */

type FileStatus = VectorStoreFile["status"];

const secondsPerDay = 86_400;

export function emptyFileCounts(): FileCounts {
  return { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
}

function shiftCounts(counts: FileCounts, from: FileStatus | null, to: FileStatus | null): FileCounts {
  const next = { ...counts };
  if (from) {
    next[from] -= 1;
    next.total -= 1;
  }
  if (to) {
    next[to] += 1;
    next.total += 1;
  }
  return next;
}

function completedBytes(file: VectorStoreFile | null): number {
  return file?.status === "completed" ? file.usage_bytes : 0;
}

export function expiresAtOf(expiresAfter: VectorStore["expires_after"], lastActiveAt: number | null): number | null {
  return expiresAfter && lastActiveAt !== null ? lastActiveAt + expiresAfter.days * secondsPerDay : null;
}

export function isExpired(vectorStore: VectorStore, now = unixNow()): boolean {
  return vectorStore.expires_at !== null && now >= vectorStore.expires_at;
}

export function newVectorStore(fields: { name?: string | null; metadata?: Metadata | null; expires_after?: VectorStore["expires_after"] }): VectorStore {
  const now = unixNow();
  const expiresAfter = fields.expires_after ?? null;
  return {
    id: newId("vectorStore"),
    object: "vector_store",
    created_at: now,
    name: fields.name ?? "",
    usage_bytes: 0,
    file_counts: emptyFileCounts(),
    status: "completed",
    expires_after: expiresAfter,
    expires_at: expiresAtOf(expiresAfter, now),
    last_active_at: now,
    metadata: fields.metadata ?? {},
  };
}

/** The chunking a file is stored with: `auto` is reported as the static 800/400 it stands for. */
export function storedChunking(request: ChunkingStrategyRequest | undefined, param = "chunking_strategy"): StaticChunkingStrategy {
  try {
    const options = request ? resolveChunkingStrategy(request) : autoChunking;
    return { type: "static", static: { max_chunk_size_tokens: options.maxChunkSizeTokens, chunk_overlap_tokens: options.chunkOverlapTokens } };
  } catch (error) {
    if (error instanceof InvalidChunkingStrategyError) {
      const field = error.param.replace(/^chunking_strategy/, param);
      throw new InvalidRequestError(`Invalid '${field}': ${error.message}.`, { param: field, code: "invalid_value" });
    }
    throw error;
  }
}

function batchStatus(batch: VectorStoreFileBatch, counts: FileCounts): VectorStoreFileBatch["status"] {
  if (batch.status === "cancelled") return "cancelled";
  if (counts.in_progress > 0) return "in_progress";
  return counts.total > 0 && counts.failed === counts.total ? "failed" : "completed";
}

/**
 * Writes a vector store file's new state (`null` = removed) and moves its store's and batch's
 * `file_counts`, `usage_bytes` and status along, so counts never need a recount.
 */
export async function saveVectorStoreFile(store: Store, previous: VectorStoreFile | null, next: VectorStoreFile | null): Promise<void> {
  const current = next ?? previous;
  if (!current) return;
  const vectorStoreId = current.vector_store_id;
  if (next && previous) await store.vectorStoreFiles.update(next, { parentId: vectorStoreId });
  else if (next) await store.vectorStoreFiles.insert(next);
  else await store.vectorStoreFiles.delete(current.id, vectorStoreId);

  const vectorStore = await store.vectorStores.get(vectorStoreId);
  if (vectorStore) {
    const counts = shiftCounts(vectorStore.file_counts, previous?.status ?? null, next?.status ?? null);
    await store.vectorStores.update({
      ...vectorStore,
      file_counts: counts,
      usage_bytes: vectorStore.usage_bytes - completedBytes(previous) + completedBytes(next),
      status: counts.in_progress > 0 ? "in_progress" : "completed",
    });
  }
  // A file re-added by another batch leaves its old batch's counts as they were (the hosted API keeps them too).
  for (const batchId of new Set([previous?.batch_id, next?.batch_id])) {
    if (!batchId) continue;
    const batch = await store.fileBatches.get(batchId, vectorStoreId);
    if (!batch) continue;
    const from = previous?.batch_id === batchId ? previous.status : null;
    const to = next?.batch_id === batchId ? next.status : null;
    const counts = shiftCounts(batch.file_counts, from, to);
    await store.fileBatches.update({ ...batch, file_counts: counts, status: batchStatus(batch, counts) });
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
  const file: VectorStoreFile = {
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
  await saveVectorStoreFile(store, existing ?? null, file);
  return file;
}

/** Removes a file from a store's records; the caller drops its chunks from the index after commit. */
export async function detachFile(store: Store, vectorStoreId: string, fileId: string): Promise<boolean> {
  const existing = await store.vectorStoreFiles.get(fileId, vectorStoreId);
  if (!existing) return false;
  await saveVectorStoreFile(store, existing, null);
  return true;
}

export async function getVectorStoreOrThrow(store: Store, vectorStoreId: string): Promise<VectorStore> {
  const vectorStore = await store.vectorStores.get(vectorStoreId);
  if (!vectorStore) throw NotFoundError.object("vector store", vectorStoreId);
  return vectorStore;
}

/** Marks a store as just used, which pushes back its `last_active_at` expiry. */
export async function touchVectorStore(store: Store, vectorStoreId: string): Promise<void> {
  const vectorStore = await store.vectorStores.get(vectorStoreId);
  const now = unixNow();
  if (!vectorStore || vectorStore.last_active_at === now) return;
  await store.vectorStores.update({ ...vectorStore, last_active_at: now, expires_at: expiresAtOf(vectorStore.expires_after, now) });
}
