import type { z } from "zod";
import type { ToolResources } from "../domain/objects.js";
import type { toolResourcesSchema, vectorStoreHelperSchema } from "../domain/request-schemas.js";
import { NotFoundError } from "../errors/api-error.js";
import { parseWith } from "../http/validation.js";
import type { Store } from "../storage/store.js";
import { attachFile, newVectorStore, storedChunking } from "./vector-stores/vector-store-records.js";
import { chunkingStrategySchema } from "./vector-stores/vector-stores.schema.js";

type ToolResourcesRequest = z.output<typeof toolResourcesSchema>;

/** Validates the referenced files and vector stores exist and returns the stored form. */
export async function normalizeToolResources(store: Store, request: ToolResourcesRequest | undefined): Promise<ToolResources> {
  const resources: ToolResources = {};
  if (!request) return resources;
  if (request.code_interpreter) {
    const fileIds = request.code_interpreter.file_ids ?? [];
    for (const fileId of fileIds) {
      if (!(await store.files.get(fileId))) throw NotFoundError.object("file", fileId);
    }
    resources.code_interpreter = { file_ids: fileIds };
  }
  if (request.file_search) {
    const vectorStoreIds = [...(request.file_search.vector_store_ids ?? [])];
    for (const [position, helper] of (request.file_search.vector_stores ?? []).entries()) {
      vectorStoreIds.push(await createHelperVectorStore(store, helper, `tool_resources.file_search.vector_stores[${position}]`));
    }
    for (const vectorStoreId of vectorStoreIds) {
      if (!(await store.vectorStores.get(vectorStoreId))) throw NotFoundError.object("vector store", vectorStoreId);
    }
    resources.file_search = { vector_store_ids: vectorStoreIds };
  }
  return resources;
}

/**
 * The `vector_stores` helper: creates the store inline with its files `in_progress`; the ingestion queue
 * picks them up once the request's transaction commits.
 */
async function createHelperVectorStore(
  store: Store,
  helper: z.output<typeof vectorStoreHelperSchema>,
  param: string,
): Promise<string> {
  const strategy = helper.chunking_strategy === undefined ? undefined : parseWith(chunkingStrategySchema, helper.chunking_strategy);
  const chunking = storedChunking(strategy, `${param}.chunking_strategy`);
  const vectorStore = newVectorStore({ metadata: helper.metadata ?? null });
  await store.vectorStores.insert(vectorStore);
  for (const [position, fileId] of (helper.file_ids ?? []).entries()) {
    await attachFile(store, vectorStore.id, fileId, { chunking, attributes: null, batchId: null, param: `${param}.file_ids[${position}]` });
  }
  return vectorStore.id;
}
