import type { RunLease } from "../storage/run-leases.js";

/** Why a run's execution was asked to stop early; either way the run is handed back, not failed. */
export type HandBackReason = "shutdown" | "lease-lost";

/**
 * Run dispatch. The runs that need executing are the database's queued, in_progress and cancelling runs
 * without a live lease; `wake` tells every process to look. Guarantees (see `run-queue.contract.ts`):
 * - a run is executed by one handler at a time across all processes sharing the database;
 * - at most `concurrency` handler calls run at once per process;
 * - a process that dies stops renewing its leases; once they lapse another process takes its runs;
 * - `stop` stops claiming, waits for running handlers up to a timeout, then aborts the rest and gives their
 *   runs back at once, so another process (or the next start) continues them.
 */
export interface RunQueue {
  /** Tells this and every other process that a run needs executing. Call after the commit that made it so. */
  wake(): void;
  /** `signal` aborts when the lease is lost or the process shuts down; its reason is a `HandBackReason`. */
  process(handler: (lease: RunLease, signal: AbortSignal) => Promise<void>): void;
  stop(timeoutMs: number): Promise<{ handedBack: number }>;
  /** Runs executing in this process now. */
  running(): number;
}
