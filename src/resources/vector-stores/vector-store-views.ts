import type { VectorStore, VectorStoreFile } from "../../domain/vector-stores.js";
import { isExpired } from "../../records/vector-store-bookkeeping.js";

/**
 * Expiry is evaluated when a store is shown, so no background job has to flip stores to `expired`. The spec
 * does not allow `expires_after: null`: a store without an expiry policy leaves it out.
 */
export function viewVectorStore(vectorStore: VectorStore) {
  const { expires_after, ...wire } = vectorStore;
  return { ...wire, ...(expires_after === null ? {} : { expires_after }), status: isExpired(vectorStore) ? ("expired" as const) : vectorStore.status };
}

export function viewVectorStoreFile(file: VectorStoreFile) {
  const { batch_id: _internal, ...wire } = file;
  return wire;
}
