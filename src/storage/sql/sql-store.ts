import { sql, type Kysely } from "kysely";
import type { Container, ContainerFile } from "../../domain/containers.js";
import type { StoredFile } from "../../domain/files.js";
import type { Assistant, Message, Run, RunStep, Thread } from "../../domain/objects.js";
import type { VectorStore, VectorStoreFile, VectorStoreFileBatch } from "../../domain/vector-stores.js";
import type { ThreadItemEntry } from "../../domain/items.js";
import type { ResponseRecord } from "../../domain/responses.js";
import type { Project, ServiceAccount, StoredApiKey } from "../../domain/projects.js";
import { Collection, type NewLease, type PendingRow, type StoredObject } from "../collection.js";
import { heldCte, heldInsertCtes } from "./held-inserts.js";
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
  /** A one-statement transaction's rows (see `insertTransaction`): inserted with its only statement. */
  inserts?: PendingRow[];
}

/** What a one-statement transaction may read before its first insert (at once, at read committed as any transaction). */
const readsBeforeInserts = new Set<PropertyKey>(["get", "findAll", "list"]);

/**
 * A collection of a one-statement transaction: its inserts wait for the statement. Reads run at once until
 * the first insert (later ones could not see it); anything else is refused.
 */
function insertingOnly<T extends StoredObject>(collection: Collection<T>, pending: PendingRow[]): Collection<T> {
  return new Proxy(collection, {
    get(target, property) {
      if (property === "rowsOf") return (object: T) => target.rowsOf(object);
      if (property === "insert") return async (object: T, together: PendingRow[] = []) => void pending.push(...target.rowsOf(object), ...together);
      if (property === "insertLeased") {
        return async (object: T, lease: NewLease, together: PendingRow[] = []) => {
          const [own, ...rest] = target.rowsOf(object);
          if (own) pending.push({ ...own, lease }, ...rest, ...together);
        };
      }
      if (readsBeforeInserts.has(property) && pending.length === 0) {
        const read: unknown = Reflect.get(target, property);
        if (typeof read === "function") return read.bind(target);
      }
      return () => {
        throw new Error(`A one-statement transaction only inserts (and reads before it does); ${String(property)} is not allowed here.`);
      };
    },
  });
}

/**
 * Postgres: a one-statement transaction's rows that no event-log entry took along, inserted with its lease
 * checks (at most one run's) in one statement; nothing is written unless the lease is current.
 */
async function insertHeld(db: Kysely<Database>, hooks: CommitHooks): Promise<void> {
  const rows = hooks.inserts?.splice(0) ?? [];
  const unheld = [...hooks.fences.values()].filter((fence) => !fence.held);
  if (unheld.length > 1) throw new Error("A one-statement transaction fences one run.");
  const [fence] = unheld;
  if (rows.length === 0 && !fence) return;
  const inserts = heldInsertCtes(rows);
  const { rows: held } = await sql<{ id: string }>`with ${sql.join([heldCte(fence?.lease.runId ?? "", fence), ...inserts])} select id from held`.execute(db);
  if (fence && held.length === 0) throw new LeaseLostError(fence.lease.runId);
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
  const deferring = <T extends StoredObject>(collection: Collection<T>) => (hooks?.inserts ? insertingOnly(collection, hooks.inserts) : collection);
  const store: Store = {
    forProject: (projectId) => createSqlStore(db, dialect, close, hooks, projectId),
    projectId: project,
    projects: deferring(new Collection<Project>(db, dialect, "projects", (candidate) => ({ status: candidate.status }))),
    serviceAccounts: deferring(new Collection<ServiceAccount>(db, dialect, "service_accounts", (account) => ({ parent_id: account.project_id }))),
    apiKeys: deferring(new Collection<StoredApiKey>(db, dialect, "api_keys", (key) => ({ parent_id: key.project_id }))),
    assistants: deferring(new Collection<Assistant>(db, dialect, "assistants", () => ({}), project)),
    threads: deferring(new Collection<Thread>(db, dialect, "threads", () => ({}), project)),
    messages: deferring(new ThreadLoggedCollection<Message>(
      db,
      dialect,
      "messages",
      (message) => ({ parent_id: message.thread_id, run_id: message.run_id, status: message.status }),
      threadItems,
      messageEntry,
      project,
    )),
    threadItems: deferring(threadItems),
    responses: deferring(new Collection<ResponseRecord>(db, dialect, "responses", (response) => ({ parent_id: response.thread_id }), project)),
    runs: deferring(new Collection<Run>(db, dialect, "runs", (run) => ({ parent_id: run.thread_id, status: run.status }), project)),
    runSteps: deferring(new ThreadLoggedCollection<RunStep>(
      db,
      dialect,
      "run_steps",
      (step) => ({ parent_id: step.run_id, run_id: step.run_id, status: step.status }),
      threadItems,
      stepEntry,
      project,
    )),
    // A file is gone once it expires, as hosted.
    files: deferring(new Collection<StoredFile>(db, dialect, "files", (file) => ({ status: file.purpose, expires_at: file.expires_at }), project)),
    vectorStores: deferring(new Collection<VectorStore>(db, dialect, "vector_stores", (vectorStore) => ({ status: vectorStore.status }), project)),
    vectorStoreFiles: deferring(new Collection<VectorStoreFile>(db, dialect, "vector_store_files", (file) => ({
      parent_id: file.vector_store_id,
      run_id: file.batch_id,
      status: file.status,
    }), project)),
    fileBatches: deferring(new Collection<VectorStoreFileBatch>(db, dialect, "file_batches", (batch) => ({
      parent_id: batch.vector_store_id,
      status: batch.status,
    }), project)),
    // An `auto` container is listed under the thread it serves, so the thread's next response finds it.
    containers: deferring(new Collection<Container>(db, dialect, "containers", (container) => ({ parent_id: container.thread_id, status: container.status }), project)),
    containerFiles: deferring(new Collection<ContainerFile>(db, dialect, "container_files", (file) => ({ parent_id: file.container_id, status: file.source }), project)),
    runLeases: createSqlRunLeases(db, dialect),
    runEvents: createSqlRunEventLog(db, dialect, hooks?.fences, hooks?.inserts),
    ingestionLeases: createSqlIngestionLeases(db, dialect),
    idempotencyKeys: createSqlIdempotencyKeys(db, dialect),
    usage: createSqlUsageReport(db, dialect),
    inTransaction: hooks !== undefined,
    async insertTransaction(work) {
      // SQLite's BEGIN and COMMIT cost no round trips; work inside a transaction joins it.
      if (hooks || dialect !== "postgres") return store.transaction(work);
      const deferred: CommitHooks = { before: [], after: [], fences: new Map(), inserts: [] };
      const inside = createSqlStore(db, dialect, close, deferred, project);
      const value = await work(inside);
      // An event-log entry appended here takes the rows along (`createSqlRunEventLog`): one statement either way.
      for (let index = 0; index < deferred.before.length; index += 1) await deferred.before[index]!();
      await insertHeld(db, deferred);
      for (const callback of deferred.after) callback();
      return value;
    },
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
