import type { RunEventBus } from "../events/run-event-bus.js";
import type { Logger } from "../logging/logger.js";
import type { RunMetrics } from "../observability/metrics.js";
import { unixNow } from "../domain/time.js";
import { discardExpiredContainers } from "../records/container-records.js";
import { deleteExpiredFiles } from "../records/file-records.js";
import type { Retrieval } from "../ingestion/retrieval.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import { idempotencyKeyLifetimeMs } from "../storage/idempotency-keys.js";
import type { Store } from "../storage/store.js";
import { RunRecorder } from "./run-recorder.js";

export interface SupervisorDependencies {
  store: Store;
  /** Where the bytes of expired files and of expired containers' files are deleted from. */
  blobs: Pick<BlobStore, "delete">;
  /** Drops expired files' chunks from the search index. */
  retrieval: Pick<Retrieval, "forget">;
  bus: RunEventBus;
  logger: Logger;
  /** Expired runs are counted by their final status. */
  telemetry: { metrics: RunMetrics };
}

/** Expired containers are looked for this often (their expiry is counted in minutes). */
const containerSweepIntervalMs = 60_000;

/** Run events older than this are no longer needed by any stream (streams read them within moments). */
const runEventRetentionMs = 60 * 60 * 1000;

/**
 * Periodic housekeeping, safe on every process at once: each change is a compare-and-set on the run's
 * status, so when two processes expire the same run one of them wins and the other's write is refused;
 * an expired file is deleted by whichever process deletes its row first.
 */
export function createRunSupervisor(dependencies: SupervisorDependencies) {
  const { store, logger } = dependencies;
  const recorder = new RunRecorder(dependencies);

  /** Runs waiting for tool outputs (or still queued) past `expires_at` become `expired`. */
  async function expireOverdueRuns(): Promise<number> {
    const now = unixNow();
    let expired = 0;
    for (const run of await store.runs.findAll({ statuses: ["requires_action", "queued"] })) {
      if (run.expires_at === null || run.expires_at > now) continue;
      try {
        await store.transaction(async (transaction) => {
          await recorder.closeOpenWork(run.id, "expired", transaction);
          await recorder.apply(run, { type: "expire" }, transaction);
        });
        expired += 1;
      } catch (error) {
        logger.debug("run changed while expiring", { runId: run.id, error: String(error) });
      }
    }
    return expired;
  }

  let lastContainerSweep = 0;

  async function sweep(): Promise<void> {
    await expireOverdueRuns();
    if (Date.now() - lastContainerSweep >= containerSweepIntervalMs) {
      lastContainerSweep = Date.now();
      await discardExpiredContainers(store, dependencies.blobs);
    }
    await store.runEvents.prune(Date.now() - runEventRetentionMs);
    // A conditional delete of what no retry may use any more; every process may run it at once.
    await store.idempotencyKeys.deleteExpired(idempotencyKeyLifetimeMs);
    // An indexed look-up, cheap enough for every sweep; reads treat expired files as gone meanwhile.
    await deleteExpiredFiles({ store, blobs: dependencies.blobs, forget: (vectorStoreId, fileId) => dependencies.retrieval.forget(vectorStoreId, fileId) });
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    expireOverdueRuns,
    start(intervalMs: number) {
      timer = setInterval(() => {
        sweep().catch((error: unknown) => logger.warn("housekeeping sweep failed", { error: String(error) }));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
