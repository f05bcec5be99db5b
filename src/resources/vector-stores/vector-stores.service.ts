import type { AppDependencies } from "../../app-dependencies.js";
import type { VectorStore } from "../../domain/vector-stores.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import type { ListQuery } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";
import type { CreateVectorStoreRequest, ModifyVectorStoreRequest, SearchVectorStoreRequest } from "./vector-stores.schema.js";
import { attachFile, getVectorStoreOrThrow, newVectorStore, storedChunking } from "./vector-store-records.js";
import { expiresAtOf, isExpired, touchVectorStore } from "../../records/vector-store-bookkeeping.js";

type Dependencies = Pick<AppDependencies, "store" | "retrieval">;

/** Creates the store and queues its initial files for ingestion. `description` is accepted but not kept (the object has none). */
export async function createVectorStore({ store, retrieval }: Dependencies, request: CreateVectorStoreRequest): Promise<VectorStore> {
  const created = await store.transaction(async (transaction) => {
    const vectorStore = newVectorStore({ name: request.name ?? null, metadata: request.metadata ?? null, expires_after: request.expires_after ?? null });
    await transaction.vectorStores.insert(vectorStore);
    const chunking = storedChunking(request.chunking_strategy);
    for (const [position, fileId] of (request.file_ids ?? []).entries()) {
      await attachFile(transaction, vectorStore.id, fileId, { chunking, attributes: null, batchId: null, param: `file_ids[${position}]` });
    }
    return getVectorStoreOrThrow(transaction, vectorStore.id);
  });
  retrieval.wake();
  return created;
}

export function getVectorStore(store: Store, vectorStoreId: string): Promise<VectorStore> {
  return getVectorStoreOrThrow(store, vectorStoreId);
}

export function listVectorStores(store: Store, query: ListQuery) {
  return store.vectorStores.list(query);
}

export function modifyVectorStore(store: Store, vectorStoreId: string, request: ModifyVectorStoreRequest): Promise<VectorStore> {
  return store.transaction(async (transaction) => {
    const vectorStore = await getVectorStoreOrThrow(transaction, vectorStoreId);
    const expiresAfter = request.expires_after === undefined ? vectorStore.expires_after : request.expires_after;
    const next: VectorStore = {
      ...vectorStore,
      name: request.name === undefined ? vectorStore.name : (request.name ?? ""),
      metadata: request.metadata === undefined ? vectorStore.metadata : (request.metadata ?? {}),
      expires_after: expiresAfter,
      expires_at: expiresAtOf(expiresAfter, vectorStore.last_active_at),
    };
    await transaction.vectorStores.update(next);
    return next;
  });
}

/** Deletes the store, its file records and batches, then its chunks. The Files themselves stay. */
export async function deleteVectorStore({ store, retrieval }: Dependencies, vectorStoreId: string) {
  await store.transaction(async (transaction) => {
    await getVectorStoreOrThrow(transaction, vectorStoreId);
    await transaction.vectorStoreFiles.deleteByParent(vectorStoreId);
    await transaction.fileBatches.deleteByParent(vectorStoreId);
    await transaction.vectorStores.delete(vectorStoreId);
  });
  await retrieval.forgetStore(vectorStoreId);
  return { id: vectorStoreId, object: "vector_store.deleted" as const, deleted: true };
}

/** `POST /vector_stores/{id}/search`: queries are used as given (`rewrite_query` has no rewriter here). */
export async function searchVectorStore({ store, retrieval }: Dependencies, vectorStoreId: string, request: SearchVectorStoreRequest) {
  const vectorStore = await getVectorStoreOrThrow(store, vectorStoreId);
  if (isExpired(vectorStore)) throw new InvalidRequestError(`Vector store ${vectorStoreId} has expired.`, { param: "vector_store_id" });
  const queries = typeof request.query === "string" ? [request.query] : request.query;
  const hits = await retrieval.search({
    vectorStoreIds: [vectorStoreId],
    queries,
    limit: request.max_num_results ?? 10,
    scoreThreshold: request.ranking_options?.score_threshold ?? 0,
    ...(request.filters ? { filter: request.filters } : {}),
  });
  await store.transaction((transaction) => touchVectorStore(transaction, vectorStoreId));
  return {
    object: "vector_store.search_results.page" as const,
    search_query: queries,
    data: hits.map((hit) => ({
      file_id: hit.fileId,
      filename: hit.filename,
      score: hit.score,
      attributes: hit.attributes,
      content: [{ type: "text" as const, text: hit.text }],
    })),
    has_more: false,
    next_page: null,
  };
}
