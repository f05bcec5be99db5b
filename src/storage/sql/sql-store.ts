import { sql, type Kysely } from "kysely";
import type { Container, ContainerFile } from "../../domain/containers.js";
import type { StoredFile } from "../../domain/files.js";
import type { Assistant, Message, Run, RunStep, Thread } from "../../domain/objects.js";
import type { VectorStore, VectorStoreFile, VectorStoreFileBatch } from "../../domain/vector-stores.js";
import type { ThreadItemEntry } from "../../domain/items.js";
import type { ResponseRecord } from "../../domain/responses.js";
import type { Project, ServiceAccount, StoredApiKey } from "../../domain/projects.js";
import { Collection } from "../collection.js";
import { messageEntry, stepEntry, ThreadLoggedCollection } from "../thread-item-log.js";
import type { Store } from "../store.js";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";
import { createSqlIdempotencyKeys } from "./sql-idempotency-keys.js";
import { createSqlIngestionLeases } from "./sql-ingestion-leases.js";
import { createSqlRunEventLog, createSqlRunLeases, type RunFence } from "./sql-run-leases.js";
import { LeaseLostError } from "../storage-errors.js";
import { createSqlUsageReport } from "./sql-usage-report.js";

/** What a transaction defers: work to run before its commit, callbacks for after it, and its lease checks. */
interface CommitHooks {
  before: (() => Promise<void>)[];
  after: (() => void)[];
  fences: Map<string, RunFence>;
}

/**
 * The Store over any Kysely dialect; the dialect is chosen by the caller (`sqlite-store.ts`,
 * `postgres-store.ts`). `project` limits its object collections to one project.
 */
export function createSqlStore(
  db: Kysely<Database>,
  dialect: DialectFeatures["name"],
  close: () => Promise<void>,
  hooks?: CommitHooks,
  project?: string,
): Store {
  const threadItems = new Collection<ThreadItemEntry>(db, dialect, "thread_items", (entry) => ({
    parent_id: entry.thread_id,
    run_id: entry.run_id,
    status: entry.kind,
  }), project);
  const store: Store = {
    forProject: (projectId) => createSqlStore(db, dialect, close, hooks, projectId),
    projectId: project,
    projects: new Collection<Project>(db, dialect, "projects", (candidate) => ({ status: candidate.status })),
    serviceAccounts: new Collection<ServiceAccount>(db, dialect, "service_accounts", (account) => ({ parent_id: account.project_id })),
    apiKeys: new Collection<StoredApiKey>(db, dialect, "api_keys", (key) => ({ parent_id: key.project_id })),
    assistants: new Collection<Assistant>(db, dialect, "assistants", () => ({}), project),
    threads: new Collection<Thread>(db, dialect, "threads", () => ({}), project),
    messages: new ThreadLoggedCollection<Message>(
      db,
      dialect,
      "messages",
      (message) => ({ parent_id: message.thread_id, run_id: message.run_id, status: message.status }),
      threadItems,
      messageEntry,
      project,
    ),
    threadItems,
    responses: new Collection<ResponseRecord>(db, dialect, "responses", (response) => ({ parent_id: response.thread_id }), project),
    runs: new Collection<Run>(db, dialect, "runs", (run) => ({ parent_id: run.thread_id, status: run.status }), project),
    runSteps: new ThreadLoggedCollection<RunStep>(
      db,
      dialect,
      "run_steps",
      (step) => ({ parent_id: step.run_id, run_id: step.run_id, status: step.status }),
      threadItems,
      stepEntry,
      project,
    ),
    files: new Collection<StoredFile>(db, dialect, "files", (file) => ({ status: file.purpose }), project),
    vectorStores: new Collection<VectorStore>(db, dialect, "vector_stores", (vectorStore) => ({ status: vectorStore.status }), project),
    vectorStoreFiles: new Collection<VectorStoreFile>(db, dialect, "vector_store_files", (file) => ({
      parent_id: file.vector_store_id,
      run_id: file.batch_id,
      status: file.status,
    }), project),
    fileBatches: new Collection<VectorStoreFileBatch>(db, dialect, "file_batches", (batch) => ({
      parent_id: batch.vector_store_id,
      status: batch.status,
    }), project),
    // An `auto` container is listed under the thread it serves, so the thread's next response finds it.
    containers: new Collection<Container>(db, dialect, "containers", (container) => ({ parent_id: container.thread_id, status: container.status }), project),
    containerFiles: new Collection<ContainerFile>(db, dialect, "container_files", (file) => ({ parent_id: file.container_id, status: file.source }), project),
    runLeases: createSqlRunLeases(db, dialect),
    runEvents: createSqlRunEventLog(db, dialect, hooks?.fences),
    ingestionLeases: createSqlIngestionLeases(db, dialect),
    idempotencyKeys: createSqlIdempotencyKeys(db, dialect),
    usage: createSqlUsageReport(db, dialect),
    inTransaction: hooks !== undefined,
    // Work that is already inside a transaction joins it.
    async transaction(work) {
      if (hooks) return work(store);
      const deferred: CommitHooks = { before: [], after: [], fences: new Map() };
      const result = await db.transaction().execute(async (transaction) => {
        const inside = createSqlStore(transaction, dialect, close, deferred, project);
        const value = await work(inside);
        // Hooks may register more hooks; run them all, in order.
        for (let index = 0; index < deferred.before.length; index += 1) await deferred.before[index]!();
        // Leases not yet confirmed by an event-log entry (see `createSqlRunEventLog`).
        for (const fence of deferred.fences.values()) {
          if (!fence.held && !(await inside.runLeases.hold(fence.lease, fence.ttlMs))) throw new LeaseLostError(fence.lease.runId);
        }
        return value;
      });
      for (const callback of deferred.after) callback();
      return result;
    },
    fence(lease, ttlMs) {
      if (!hooks) throw new Error("A fence belongs to a transaction.");
      if (!hooks.fences.has(lease.runId)) hooks.fences.set(lease.runId, { lease, ttlMs, held: false });
    },
    afterCommit(callback) {
      if (hooks) hooks.after.push(callback);
      else callback();
    },
    beforeCommit(work) {
      if (!hooks) return work();
      hooks.before.push(work);
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    close,
  };
  return store;
}
