import type {
  Assistant,
  Message,
  Run,
  RunStep,
  Thread,
} from "../domain/objects.js";
import type { Container, ContainerFile } from "../domain/containers.js";
import type { StoredFile } from "../domain/files.js";
import type { ThreadItemEntry } from "../domain/items.js";
import type { ResponseRecord } from "../domain/responses.js";
import type { Project, StoredApiKey, ServiceAccount } from "../domain/projects.js";
import type { VectorStore, VectorStoreFile, VectorStoreFileBatch } from "../domain/vector-stores.js";
import type { Collection } from "./collection.js";
import type { IdempotencyKeys } from "./idempotency-keys.js";
import type { IngestionLeases } from "./ingestion-leases.js";
import type { RunEventLog, RunLease, RunLeases } from "./run-leases.js";
import type { UsageReport } from "./usage-report.js";

/**
 * All persistent state. `transaction` runs `work` against a Store whose writes commit together or not at
 * all; every HTTP request's writes go through one transaction. Work inside a transaction that must only
 * be seen once it commits (events to streams) goes through `afterCommit`.
 *
 * A store from `forProject` sees and creates only that project's objects (see `collection.ts`); the
 * store a process opens sees every project's. The admin tables (projects, service accounts, API keys) are
 * never scoped.
 */
export interface Store {
  /** This store's objects limited to one project; its transactions stay in that project. */
  forProject(projectId: string): Store;
  /** The project this store is limited to, if it is. */
  readonly projectId: string | undefined;
  readonly projects: Collection<Project>;
  /** Service accounts, listed under their project (`parent_id`). */
  readonly serviceAccounts: Collection<ServiceAccount>;
  /** Project API keys, listed under their project; each holds only a hash of its value. */
  readonly apiKeys: Collection<StoredApiKey>;
  readonly assistants: Collection<Assistant>;
  readonly threads: Collection<Thread>;
  readonly messages: Collection<Message>;
  /** Each thread's item log: messages and tool-call steps get entries as they are inserted (see `thread-item-log.ts`). */
  readonly threadItems: Collection<ThreadItemEntry>;
  /** Responses API requests; each executes as the run with its id. */
  readonly responses: Collection<ResponseRecord>;
  readonly runs: Collection<Run>;
  readonly runSteps: Collection<RunStep>;
  readonly files: Collection<StoredFile>;
  readonly vectorStores: Collection<VectorStore>;
  readonly vectorStoreFiles: Collection<VectorStoreFile>;
  readonly fileBatches: Collection<VectorStoreFileBatch>;
  /** The code_interpreter's containers of the Responses API. */
  readonly containers: Collection<Container>;
  /** Files of containers, by container (their bytes are blobs under their ids). */
  readonly containerFiles: Collection<ContainerFile>;
  readonly runLeases: RunLeases;
  readonly runEvents: RunEventLog;
  readonly ingestionLeases: IngestionLeases;
  /** Idempotency-Key claims and the answers stored for them. */
  readonly idempotencyKeys: IdempotencyKeys;
  /** Aggregates of runs and their steps for the usage API. */
  readonly usage: UsageReport;
  /** True for the Store handed to `transaction`'s work. */
  readonly inTransaction: boolean;
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /**
   * `transaction`, for work that only inserts objects, publishes run events and fences a lease: on Postgres
   * its inserts, its event-log entry and its lease check travel as one statement, without BEGIN and
   * COMMIT, and are written all or none. Its collections refuse anything but inserts (and a refused id
   * shows only at the end, as the database's error). Inside a transaction, and on SQLite, it is `transaction`.
   */
  insertTransaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Runs `callback` once this transaction has committed, never after a rollback; outside one, at once. */
  afterCommit(callback: () => void): void;
  /**
   * Runs `work` inside this transaction just before it commits (after everything else it did); a failure
   * rolls it back. Outside a transaction, at once.
   */
  beforeCommit(work: () => Promise<void>): Promise<void> | void;
  /**
   * Inside a transaction: it commits only while `lease` is still current, and extends it; otherwise it
   * rolls back with `LeaseLostError`. The check comes last, just before the commit, and locks the run's
   * row until then, so no other process can take the run over in between. On Postgres it travels with
   * the run's event-log entry when there is one (one statement fewer).
   */
  fence(lease: RunLease, ttlMs: number): void;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
