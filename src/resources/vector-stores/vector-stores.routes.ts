import { Hono, type Context } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { parseWith, readJsonBody } from "../../http/validation.js";
import { cancelFileBatch, createFileBatch, getFileBatch } from "./file-batches.service.js";
import {
  createVectorStoreFile,
  deleteVectorStoreFile,
  getVectorStoreFile,
  listVectorStoreFiles,
  updateVectorStoreFile,
  vectorStoreFileContent,
} from "./vector-store-files.service.js";
import { viewVectorStore, viewVectorStoreFile } from "./vector-store-views.js";
import {
  createFileBatchSchema,
  createVectorStoreFileSchema,
  createVectorStoreSchema,
  modifyVectorStoreSchema,
  searchVectorStoreSchema,
  updateVectorStoreFileSchema,
  vectorStoreFileFilterSchema,
} from "./vector-stores.schema.js";
import {
  createVectorStore,
  deleteVectorStore,
  getVectorStore,
  listVectorStores,
  modifyVectorStore,
  searchVectorStore,
} from "./vector-stores.service.js";

/** Every endpoint of the spec's "Vector stores" tag, mounted at `/v1/vector_stores`. */
export function vectorStoresRoutes(dependencies: AppDependencies) {
  const { store, config } = dependencies;
  // The SDK's poll helpers wait 5 s between polls unless told otherwise.
  const pollHint = (context: Context) => context.header("openai-poll-after-ms", String(config.pollAfterMs));
  const listFiles = async (context: Context, batchId?: string) => {
    const vectorStoreId = context.req.param("vector_store_id") ?? "";
    const { filter } = parseWith(vectorStoreFileFilterSchema, context.req.query());
    const page = await listVectorStoreFiles(store, vectorStoreId, {
      ...readListQuery(context),
      ...(filter ? { status: filter } : {}),
      ...(batchId ? { batchId } : {}),
    });
    return context.json(listEnvelope({ ...page, data: page.data.map(viewVectorStoreFile) }));
  };

  return new Hono()
    .post("/", async (context) => {
      const body = await readJsonBody(context, createVectorStoreSchema);
      return context.json(viewVectorStore(await createVectorStore(dependencies, body)));
    })
    .get("/", async (context) => {
      const page = await listVectorStores(store, readListQuery(context));
      return context.json(listEnvelope({ ...page, data: page.data.map(viewVectorStore) }));
    })
    .get("/:vector_store_id", async (context) =>
      context.json(viewVectorStore(await getVectorStore(store, context.req.param("vector_store_id")))),
    )
    .post("/:vector_store_id", async (context) => {
      const body = await readJsonBody(context, modifyVectorStoreSchema);
      return context.json(viewVectorStore(await modifyVectorStore(store, context.req.param("vector_store_id"), body)));
    })
    .delete("/:vector_store_id", async (context) =>
      context.json(await deleteVectorStore(dependencies, context.req.param("vector_store_id"))),
    )
    .post("/:vector_store_id/search", async (context) => {
      const body = await readJsonBody(context, searchVectorStoreSchema);
      return context.json(await searchVectorStore(dependencies, context.req.param("vector_store_id"), body));
    })
    .post("/:vector_store_id/files", async (context) => {
      const body = await readJsonBody(context, createVectorStoreFileSchema);
      return context.json(viewVectorStoreFile(await createVectorStoreFile(dependencies, context.req.param("vector_store_id"), body)));
    })
    .get("/:vector_store_id/files", (context) => listFiles(context))
    .get("/:vector_store_id/files/:file_id", async (context) => {
      pollHint(context);
      const file = await getVectorStoreFile(store, context.req.param("vector_store_id"), context.req.param("file_id"));
      return context.json(viewVectorStoreFile(file));
    })
    .post("/:vector_store_id/files/:file_id", async (context) => {
      const { attributes } = await readJsonBody(context, updateVectorStoreFileSchema);
      const file = await updateVectorStoreFile(dependencies, context.req.param("vector_store_id"), context.req.param("file_id"), attributes);
      return context.json(viewVectorStoreFile(file));
    })
    .delete("/:vector_store_id/files/:file_id", async (context) =>
      context.json(await deleteVectorStoreFile(dependencies, context.req.param("vector_store_id"), context.req.param("file_id"))),
    )
    .get("/:vector_store_id/files/:file_id/content", async (context) =>
      context.json(await vectorStoreFileContent(dependencies, context.req.param("vector_store_id"), context.req.param("file_id"))),
    )
    .post("/:vector_store_id/file_batches", async (context) => {
      const body = await readJsonBody(context, createFileBatchSchema);
      return context.json(await createFileBatch(dependencies, context.req.param("vector_store_id"), body));
    })
    .get("/:vector_store_id/file_batches/:batch_id", async (context) => {
      pollHint(context);
      return context.json(await getFileBatch(store, context.req.param("vector_store_id"), context.req.param("batch_id")));
    })
    .post("/:vector_store_id/file_batches/:batch_id/cancel", async (context) =>
      context.json(await cancelFileBatch(dependencies, context.req.param("vector_store_id"), context.req.param("batch_id"))),
    )
    .get("/:vector_store_id/file_batches/:batch_id/files", async (context) => {
      const batchId = context.req.param("batch_id") ?? "";
      await getFileBatch(store, context.req.param("vector_store_id") ?? "", batchId);
      return listFiles(context, batchId);
    });
}
