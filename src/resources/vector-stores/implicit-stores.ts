import type { Assistant, ToolResources } from "../../domain/objects.js";
import type { Store } from "../../storage/store.js";
import { attachFile, newVectorStore, storedChunking } from "./vector-store-records.js";
import { detachFile } from "../../records/vector-store-bookkeeping.js";

/** Stores created for message attachments expire a week after their last use, as on the hosted API. */
const threadStoreExpiry = { anchor: "last_active_at", days: 7 } as const;

/**
 * Files attached to a message for file_search (v2 `attachments`, v1 `file_ids`) go into the thread's
 * vector store, which is created on first use and recorded in the thread's `tool_resources`.
 * Call inside the request's transaction.
 */
export async function addFilesToThreadStore(store: Store, threadId: string, fileIds: readonly string[], param: string): Promise<void> {
  if (fileIds.length === 0) return;
  const thread = await store.threads.get(threadId);
  if (!thread) return;
  let vectorStoreId = thread.tool_resources.file_search?.vector_store_ids[0];
  if (!vectorStoreId || !(await store.vectorStores.get(vectorStoreId))) {
    const created = newVectorStore({ expires_after: threadStoreExpiry });
    await store.vectorStores.insert(created);
    vectorStoreId = created.id;
    await store.threads.update({ ...thread, tool_resources: { ...thread.tool_resources, file_search: { vector_store_ids: [vectorStoreId] } } });
  }
  for (const fileId of new Set(fileIds)) {
    await attachFile(store, vectorStoreId, fileId, { chunking: storedChunking(undefined), attributes: null, batchId: null, param });
  }
}

export interface RetrievalSync {
  toolResources: ToolResources;
  /** Files taken out of the store; their chunks should be dropped from the index after commit. */
  detached: { vectorStoreId: string; fileId: string }[];
}

/**
 * v1 retrieval searches an assistant's `file_ids`. They are mirrored into the assistant's vector store
 * (created when first needed and recorded in `tool_resources.file_search`), so v1 and v2 share one
 * ingestion and search path. Call inside the request's transaction, after `file_ids` changed.
 */
export async function syncAssistantFileStore(store: Store, assistant: Assistant): Promise<RetrievalSync> {
  const detached: RetrievalSync["detached"] = [];
  let vectorStoreId = assistant.tool_resources.file_search?.vector_store_ids[0];
  if (vectorStoreId && !(await store.vectorStores.get(vectorStoreId))) vectorStoreId = undefined;
  if (!vectorStoreId && assistant.file_ids.length === 0) return { toolResources: assistant.tool_resources, detached };
  if (!vectorStoreId) {
    const created = newVectorStore({ name: `Files of ${assistant.id}` });
    await store.vectorStores.insert(created);
    vectorStoreId = created.id;
  }
  const wanted = new Set(assistant.file_ids);
  for (const file of await store.vectorStoreFiles.findAll({ parentId: vectorStoreId })) {
    if (wanted.has(file.id)) continue;
    await detachFile(store, vectorStoreId, file.id);
    detached.push({ vectorStoreId, fileId: file.id });
  }
  for (const fileId of wanted) {
    await attachFile(store, vectorStoreId, fileId, { chunking: storedChunking(undefined), attributes: null, batchId: null, param: "file_ids" });
  }
  return { toolResources: { ...assistant.tool_resources, file_search: { vector_store_ids: [vectorStoreId] } }, detached };
}
