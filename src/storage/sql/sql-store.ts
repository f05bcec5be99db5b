import type { Kysely } from "kysely";
import type { StoredFile } from "../../domain/files.js";
import type { Assistant, Message, Run, RunStep, Thread } from "../../domain/objects.js";
import type { VectorStore, VectorStoreFile, VectorStoreFileBatch } from "../../domain/vector-stores.js";
import { Collection } from "../collection.js";
import type { Store } from "../store.js";
import type { Database } from "./database.js";

/** The Store over any Kysely dialect; the dialect is chosen by the caller (see `sqlite-store.ts`). */
export function createSqlStore(db: Kysely<Database>, close: () => Promise<void>, inTransaction = false): Store {
  const store: Store = {
    assistants: new Collection<Assistant>(db, "assistants", () => ({})),
    threads: new Collection<Thread>(db, "threads", () => ({})),
    messages: new Collection<Message>(db, "messages", (message) => ({
      parent_id: message.thread_id,
      run_id: message.run_id,
      status: message.status,
    })),
    runs: new Collection<Run>(db, "runs", (run) => ({ parent_id: run.thread_id, status: run.status })),
    runSteps: new Collection<RunStep>(db, "run_steps", (step) => ({
      parent_id: step.run_id,
      run_id: step.run_id,
      status: step.status,
    })),
    files: new Collection<StoredFile>(db, "files", (file) => ({ status: file.purpose })),
    vectorStores: new Collection<VectorStore>(db, "vector_stores", (vectorStore) => ({ status: vectorStore.status })),
    vectorStoreFiles: new Collection<VectorStoreFile>(db, "vector_store_files", (file) => ({
      parent_id: file.vector_store_id,
      run_id: file.batch_id,
      status: file.status,
    })),
    fileBatches: new Collection<VectorStoreFileBatch>(db, "file_batches", (batch) => ({
      parent_id: batch.vector_store_id,
      status: batch.status,
    })),
    // Work that is already inside a transaction joins it.
    transaction: (work) =>
      inTransaction ? work(store) : db.transaction().execute((transaction) => work(createSqlStore(transaction, close, true))),
    close,
  };
  return store;
}
