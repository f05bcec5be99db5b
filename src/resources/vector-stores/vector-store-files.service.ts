import type { AppDependencies } from "../../app-dependencies.js";
import type { FileAttributes, VectorStoreFile } from "../../domain/vector-stores.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { ListQuery } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";
import { extractDocument } from "../../vector/extract/extract-document.js";
import type { CreateVectorStoreFileRequest } from "./vector-stores.schema.js";
import { attachFile, getVectorStoreOrThrow, storedChunking } from "./vector-store-records.js";
import { detachFile, saveVectorStoreFile } from "../../records/vector-store-bookkeeping.js";

type Dependencies = Pick<AppDependencies, "store" | "retrieval">;

export async function createVectorStoreFile({ store, retrieval }: Dependencies, vectorStoreId: string, request: CreateVectorStoreFileRequest) {
  const file = await store.transaction(async (transaction) => {
    await getVectorStoreOrThrow(transaction, vectorStoreId);
    return attachFile(transaction, vectorStoreId, request.file_id, {
      chunking: storedChunking(request.chunking_strategy),
      attributes: request.attributes ?? null,
      batchId: null,
    });
  });
  retrieval.wake();
  return file;
}

export async function getVectorStoreFile(store: Store, vectorStoreId: string, fileId: string): Promise<VectorStoreFile> {
  await getVectorStoreOrThrow(store, vectorStoreId);
  const file = await store.vectorStoreFiles.get(fileId, vectorStoreId);
  if (!file) throw NotFoundError.object("file", fileId);
  return file;
}

/** Lists a store's files, optionally only one batch's (the batch id is kept in the `run_id` column). */
export async function listVectorStoreFiles(
  store: Store,
  vectorStoreId: string,
  query: ListQuery & { status?: VectorStoreFile["status"]; batchId?: string },
) {
  await getVectorStoreOrThrow(store, vectorStoreId);
  const { status, batchId, ...page } = query;
  return store.vectorStoreFiles.list({
    ...page,
    parentId: vectorStoreId,
    ...(status ? { statuses: [status] } : {}),
    ...(batchId ? { runId: batchId } : {}),
  });
}

export async function updateVectorStoreFile({ store, retrieval }: Dependencies, vectorStoreId: string, fileId: string, attributes: FileAttributes | null) {
  const updated = await store.transaction(async (transaction) => {
    const file = await getVectorStoreFile(transaction, vectorStoreId, fileId);
    const next = { ...file, attributes };
    await saveVectorStoreFile(transaction, file, next);
    return next;
  });
  // An ingestion still running re-applies the stored attributes when it finishes.
  if (updated.status === "completed") await retrieval.updateAttributes(vectorStoreId, fileId, attributes);
  return updated;
}

/** Detaches the file from the store (the File itself stays) and drops its chunks. */
export async function deleteVectorStoreFile({ store, retrieval }: Dependencies, vectorStoreId: string, fileId: string) {
  await store.transaction(async (transaction) => {
    await getVectorStoreFile(transaction, vectorStoreId, fileId);
    await detachFile(transaction, vectorStoreId, fileId);
  });
  await retrieval.forget(vectorStoreId, fileId);
  return { id: fileId, object: "vector_store.file.deleted" as const, deleted: true };
}

/** The parsed text of a store file, one entry per page (the whole file for unpaginated formats). */
export async function vectorStoreFileContent({ store, blobs }: Pick<AppDependencies, "store" | "blobs">, vectorStoreId: string, fileId: string) {
  await getVectorStoreFile(store, vectorStoreId, fileId);
  const file = await store.files.get(fileId);
  if (!file) throw NotFoundError.object("file", fileId);
  try {
    const document = await blobs.withLocalFile(fileId, (path) => extractDocument({ path, filename: file.filename }));
    if (!document) throw new Error("the file's content is missing");
    return {
      object: "vector_store.file_content.page" as const,
      data: document.pages.map((page) => ({ type: "text" as const, text: page.text })),
      has_more: false,
      next_page: null,
    };
  } catch (error) {
    throw new InvalidRequestError(`The content of ${fileId} cannot be read: ${error instanceof Error ? error.message : String(error)}`, { param: "file_id" });
  }
}
