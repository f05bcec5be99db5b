import type { RunLease } from "../storage/run-leases.js";
import type { LeasedQueue } from "./leased-queue.js";

/**
 * Run dispatch. The runs that need executing are the database's queued, in_progress and cancelling runs
 * without a live lease; `wake` tells every process to look. The guarantees are `LeasedQueue`'s (checked by
 * `run-queue.contract.ts`): one handler per run at a time across all processes, at most `concurrency` per
 * process, take-over once a dead process's leases lapse, and `stop` hands unfinished runs back at once.
 */
export type RunQueue = LeasedQueue<RunLease>;
