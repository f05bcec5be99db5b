import type { AppDependencies } from "../../app-dependencies.js";
import { newId } from "../../domain/ids.js";
import { unixNow } from "../../domain/time.js";
import type { VectorStoreFileBatch } from "../../domain/vector-stores.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { Store } from "../../storage/store.js";
import type { CreateFileBatchRequest } from "./vector-stores.schema.js";
import { attachFile, getVectorStoreOrThrow, storedChunking } from "./vector-store-records.js";
import { emptyFileCounts, saveVectorStoreFile } from "../../records/vector-store-bookkeeping.js";

type Dependencies = Pick<AppDependencies, "store" | "retrieval">;

/** Adds the batch's files as `in_progress`; with `files`, each entry brings its own chunking and attributes. */
export async function createFileBatch({ store, retrieval }: Dependencies, vectorStoreId: string, request: CreateFileBatchRequest) {
  const entries =
    request.files?.map((file, position) => ({ ...file, param: `files[${position}].file_id` })) ??
    (request.file_ids ?? []).map((fileId, position) => ({
      file_id: fileId,
      chunking_strategy: request.chunking_strategy,
      attributes: request.attributes,
      param: `file_ids[${position}]`,
    }));
  const batch = await store.transaction(async (transaction) => {
    await getVectorStoreOrThrow(transaction, vectorStoreId);
    const created: VectorStoreFileBatch = {
      id: newId("fileBatch"),
      object: "vector_store.files_batch",
      created_at: unixNow(),
      vector_store_id: vectorStoreId,
      status: "in_progress",
      file_counts: emptyFileCounts(),
    };
    await transaction.fileBatches.insert(created);
    for (const entry of entries) {
      await attachFile(transaction, vectorStoreId, entry.file_id, {
        chunking: storedChunking(entry.chunking_strategy),
        attributes: entry.attributes ?? null,
        batchId: created.id,
        param: entry.param,
      });
    }
    const stored = await getFileBatch(transaction, vectorStoreId, created.id);
    // Every file was already in the store, so there is nothing to wait for.
    if (stored.file_counts.total === 0) {
      const finished = { ...stored, status: "completed" as const };
      await transaction.fileBatches.update(finished);
      return finished;
    }
    return stored;
  });
  retrieval.wake();
  return batch;
}

export async function getFileBatch(store: Store, vectorStoreId: string, batchId: string): Promise<VectorStoreFileBatch> {
  await getVectorStoreOrThrow(store, vectorStoreId);
  const batch = await store.fileBatches.get(batchId, vectorStoreId);
  if (!batch) throw NotFoundError.object("vector store file batch", batchId);
  return batch;
}

/** Cancels the batch: its files still in progress become `cancelled`; finished ones stay. */
export async function cancelFileBatch({ store, retrieval }: Dependencies, vectorStoreId: string, batchId: string) {
  const { batch, cancelled } = await store.transaction(async (transaction) => {
    const current = await getFileBatch(transaction, vectorStoreId, batchId);
    if (current.status === "cancelled") return { batch: current, cancelled: [] };
    if (current.status !== "in_progress") {
      throw new InvalidRequestError(`Cannot cancel a vector store file batch that is ${current.status}.`, { param: "batch_id" });
    }
    await transaction.fileBatches.update({ ...current, status: "cancelled" });
    const pending = await transaction.vectorStoreFiles.findAll({ parentId: vectorStoreId, runId: batchId, statuses: ["in_progress"] });
    for (const file of pending) await saveVectorStoreFile(transaction, file, { ...file, status: "cancelled" });
    return { batch: await getFileBatch(transaction, vectorStoreId, batchId), cancelled: pending };
  });
  for (const file of cancelled) await retrieval.forget(vectorStoreId, file.id);
  return batch;
}
