/** A claim on one run: only the holder of the current `attempt` may execute it and write its progress. */
export interface RunLease {
  runId: string;
  owner: string;
  attempt: number;
}

/**
 * Run dispatch on the runs table itself (the claim pattern of Solid Queue, Oban, graphile-worker):
 * a run that needs executing (queued, in_progress or cancelling) and has no live lease can be claimed by
 * any process; the claimer holds it while it renews the lease, and its writes are fenced by the attempt.
 */
export interface RunLeases {
  /** Claims up to `limit` runs that need an executor, oldest first; each claim increments `attempt`. */
  claim(owner: string, limit: number, ttlMs: number): Promise<RunLease[]>;
  /** Extends every lease `owner` holds; returns the ids of the runs it still holds. */
  renew(owner: string, ttlMs: number): Promise<string[]>;
  /**
   * Confirms `lease` is still current and extends it. Inside a transaction this also locks the run's row
   * until commit, so no other process can take the run over between this check and the commit.
   */
  hold(lease: RunLease, ttlMs: number): Promise<boolean>;
  /** Gives the run up (the run may be claimed again at once); a no-op if the lease is no longer current. */
  release(lease: RunLease): Promise<void>;
  /** Ends every lease, whoever holds it: for a single-process database after a restart, all holders are gone. */
  releaseAll(): Promise<void>;
}

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
