import type { RunJob } from "../app-dependencies.js";
import type { RunEventBus } from "../events/run-event-bus.js";
import type { Logger } from "../logging/logger.js";
import { unixNow } from "../domain/time.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { Store } from "../storage/store.js";
import { RunRecorder } from "./run-recorder.js";

export interface SupervisorDependencies {
  store: Store;
  bus: RunEventBus;
  logger: Logger;
  runQueue: JobQueue<RunJob>;
}

/**
 * Keeps runs from getting stuck: at startup it takes over runs a previous process left behind, and
 * periodically it expires runs that outlived `expires_at` while nobody was executing them.
 */
export function createRunSupervisor(dependencies: SupervisorDependencies) {
  const { store, logger, runQueue } = dependencies;
  const recorder = new RunRecorder(dependencies);

  /** Queued runs are executed again; a run that was mid-call cannot resume its stream, so it fails clearly. */
  async function recoverAbandonedRuns(): Promise<{ requeued: number; failed: number; cancelled: number }> {
    const counts = { requeued: 0, failed: 0, cancelled: 0 };
    for (const run of await store.runs.findAll({ statuses: ["queued", "in_progress", "cancelling"] })) {
      if (run.status === "queued") {
        await runQueue.enqueue({ runId: run.id });
        counts.requeued += 1;
      } else if (run.status === "cancelling") {
        await recorder.closeOpenWork(run.id, "cancelled");
        await recorder.apply(run, { type: "finish_cancel" });
        counts.cancelled += 1;
      } else {
        await recorder.closeOpenWork(run.id, "failed");
        await recorder.apply(run, {
          type: "fail",
          error: { code: "server_error", message: "The server stopped while this run was in progress; create a new run to try again." },
        });
        counts.failed += 1;
      }
    }
    if (counts.requeued + counts.failed + counts.cancelled > 0) logger.info("recovered abandoned runs", counts);
    return counts;
  }

  /** Runs waiting for tool outputs (or still queued) past `expires_at` become `expired`. */
  async function expireOverdueRuns(): Promise<number> {
    const now = unixNow();
    let expired = 0;
    for (const run of await store.runs.findAll({ statuses: ["requires_action", "queued"] })) {
      if (run.expires_at === null || run.expires_at > now) continue;
      try {
        await recorder.closeOpenWork(run.id, "expired");
        await recorder.apply(run, { type: "expire" });
        expired += 1;
      } catch (error) {
        logger.debug("run changed while expiring", { runId: run.id, error: String(error) });
      }
    }
    return expired;
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    recoverAbandonedRuns,
    expireOverdueRuns,
    start(intervalMs: number) {
      timer = setInterval(() => {
        expireOverdueRuns().catch((error: unknown) => logger.error("expiry sweep failed", { error: String(error) }));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
