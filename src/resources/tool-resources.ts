import type { z } from "zod";
import type { ToolResources } from "../domain/objects.js";
import type { toolResourcesSchema } from "../domain/request-schemas.js";
import { InvalidRequestError, NotFoundError } from "../errors/api-error.js";
import type { Store } from "../storage/store.js";

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
    if (request.file_search.vector_stores) {
      throw new InvalidRequestError("Creating vector stores inline with 'vector_stores' is not supported yet; create the vector store first and pass 'vector_store_ids'.", {
        param: "tool_resources.file_search.vector_stores",
      });
    }
    const vectorStoreIds = request.file_search.vector_store_ids ?? [];
    for (const vectorStoreId of vectorStoreIds) {
      if (!(await store.vectorStores.get(vectorStoreId))) throw NotFoundError.object("vector store", vectorStoreId);
    }
    resources.file_search = { vector_store_ids: vectorStoreIds };
  }
  return resources;
}
