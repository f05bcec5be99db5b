/**
 * Dispatch of database rows to processes (the claim pattern of Solid Queue, Oban, graphile-worker): a row
 * that needs work and has no live lease can be claimed by any process; the claimer holds it while it
 * renews the lease, and its writes are fenced by the lease's attempt. `L` is the lease a claim returns,
 * `K` the key a renewal reports for each lease still held.
 */
export interface Leases<L, K> {
  /** Claims up to `limit` rows that need work, oldest first; each claim increments the row's attempt. */
  claim(owner: string, limit: number, ttlMs: number): Promise<L[]>;
  /** Extends every lease `owner` holds; returns the keys of those it still holds. */
  renew(owner: string, ttlMs: number): Promise<K[]>;
  /**
   * Confirms `lease` is still current and extends it. Inside a transaction this also locks the row until
   * commit, so no other process can take it over between this check and the commit.
   */
  hold(lease: L, ttlMs: number): Promise<boolean>;
  /** Gives the row up (it may be claimed again at once); a no-op if the lease is no longer current. */
  release(lease: L): Promise<void>;
  /** Ends every lease, whoever holds it: for a single-process database after a restart, all holders are gone. */
  releaseAll(): Promise<void>;
}
