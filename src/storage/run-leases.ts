import type { Message, Run } from "../domain/objects.js";
import type { Leases } from "./leases.js";

/** A claim on one run: only the holder of the current `attempt` may execute it and write its progress. */
export interface RunLease {
  runId: string;
  /** The run's project: its execution reads and writes through a store limited to it. */
  projectId: string;
  owner: string;
  attempt: number;
  /**
   * The run as the claim found it, and its event log's latest entry number then: one snapshot. For a run
   * its creator executes, `threadMessages` are its thread's messages when the creator wrote them all (a
   * new thread; no message can be added while the run is active), so its first prompt needs no read.
   */
  claimed?: {
    run: Run;
    eventSeq: number;
    threadMessages?: Message[];
    /**
     * Set when the creator hands the run over while its insert is still being committed (see
     * `dispatchNewRun`): nothing of the run may be written until it resolves; it rejects if the insert failed.
     */
    committed?: Promise<unknown>;
  };
}

/**
 * Run dispatch on the runs table itself: a run that needs executing (queued, in_progress or cancelling)
 * and has no live lease can be claimed by any process (see `leases.ts`). Renewal reports run ids.
 */
export type RunLeases = Leases<RunLease, string>;

/**
 * A run's events as a log in the database, so any process can read what another published, in order.
 * Each append takes the next number from the run's own counter, which stays locked until commit:
 * appends for one run commit in the order of their numbers, so readers never skip one.
 */
export interface RunEventLog {
  /** Appends one entry and wakes the readers in other processes (on commit, inside a transaction). */
  append(runId: string, origin: string, body: string): Promise<number>;
  /** Appended entries after `afterSeq`, oldest first, at most `limit`. */
  readAfter(runId: string, afterSeq: number, limit: number): Promise<{ seq: number; origin: string; body: string }[]>;
  /** The run's latest entry number (0 when there is none or the run does not exist). */
  latestSeq(runId: string): Promise<number>;
  /** Deletes entries older than `olderThanMs` (epoch milliseconds). */
  prune(olderThanMs: number): Promise<number>;
}
