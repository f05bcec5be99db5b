import { unixNow } from "../domain/time.js";
import type { FileCounts, VectorStore, VectorStoreFile, VectorStoreFileBatch } from "../domain/vector-stores.js";
import type { Store } from "../storage/store.js";

/**
 * Vector store bookkeeping below both the API resources and the engine: counts, usage and expiry that
 * every writer (routes, ingestion, file_search) keeps consistent. Nothing here knows about HTTP.
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

  // Locked: writers of other files of this store (other processes too) move the same counts.
  const vectorStore = await store.vectorStores.getForUpdate(vectorStoreId);
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
    const batch = await store.fileBatches.getForUpdate(batchId, vectorStoreId);
    if (!batch) continue;
    const from = previous?.batch_id === batchId ? previous.status : null;
    const to = next?.batch_id === batchId ? next.status : null;
    const counts = shiftCounts(batch.file_counts, from, to);
    await store.fileBatches.update({ ...batch, file_counts: counts, status: batchStatus(batch, counts) });
  }
}

/** Removes a file from a store's records; the caller drops its chunks from the index after commit. */
export async function detachFile(store: Store, vectorStoreId: string, fileId: string): Promise<boolean> {
  const existing = await store.vectorStoreFiles.get(fileId, vectorStoreId);
  if (!existing) return false;
  await saveVectorStoreFile(store, existing, null);
  return true;
}

/** Marks a store as just used, which pushes back its `last_active_at` expiry. */
export async function touchVectorStore(store: Store, vectorStoreId: string): Promise<void> {
  const vectorStore = await store.vectorStores.getForUpdate(vectorStoreId);
  const now = unixNow();
  if (!vectorStore || vectorStore.last_active_at === now) return;
  await store.vectorStores.update({ ...vectorStore, last_active_at: now, expires_at: expiresAtOf(vectorStore.expires_after, now) });
}
