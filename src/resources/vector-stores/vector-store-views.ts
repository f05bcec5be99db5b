import type { VectorStore, VectorStoreFile } from "../../domain/vector-stores.js";
import { isExpired } from "../../records/vector-store-bookkeeping.js";

/** Expiry is evaluated when a store is shown, so no background job has to flip stores to `expired`. */
export function viewVectorStore(vectorStore: VectorStore) {
  return isExpired(vectorStore) ? { ...vectorStore, status: "expired" as const } : vectorStore;
}

export function viewVectorStoreFile(file: VectorStoreFile) {
  const { batch_id: _internal, ...wire } = file;
  return wire;
}
