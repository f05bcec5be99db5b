import type { RunLease } from "../storage/run-leases.js";
import { createLeasedQueue, type LeasedQueueOptions } from "./leased-queue.js";
import type { RunQueue } from "./run-queue.js";

export const runsWaitingChannel = "spool_runs_waiting";

export type LeasedRunQueueOptions = Omit<LeasedQueueOptions<RunLease, string>, "keyOf" | "describe" | "kind" | "channel">;

/** The run queue on the runs table: claims with leases, renews them, and wakes on notifications. */
export function createLeasedRunQueue(options: LeasedRunQueueOptions): RunQueue {
  return createLeasedQueue({
    ...options,
    keyOf: (lease) => lease.runId,
    describe: (lease) => ({ runId: lease.runId }),
    kind: "run",
    channel: runsWaitingChannel,
  });
}
