import type {
  Assistant,
  Message,
  Run,
  RunStep,
  Thread,
} from "../domain/objects.js";
import type { StoredFile } from "../domain/files.js";
import type { VectorStore, VectorStoreFile, VectorStoreFileBatch } from "../domain/vector-stores.js";
import type { Collection } from "./collection.js";

/**
 * All persistent state. `transaction` runs `work` against a Store whose writes commit together or not at
 * all; every HTTP request's writes go through one transaction.
 */
export interface Store {
  readonly assistants: Collection<Assistant>;
  readonly threads: Collection<Thread>;
  readonly messages: Collection<Message>;
  readonly runs: Collection<Run>;
  readonly runSteps: Collection<RunStep>;
  readonly files: Collection<StoredFile>;
  readonly vectorStores: Collection<VectorStore>;
  readonly vectorStoreFiles: Collection<VectorStoreFile>;
  readonly fileBatches: Collection<VectorStoreFileBatch>;
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
