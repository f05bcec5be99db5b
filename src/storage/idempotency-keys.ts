/** How long a key and its stored answer are kept: a retry within this returns the first answer. */
export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;

/** The answer to the first request with a key, as it is replayed. `body` is null for an event stream (never stored). */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** What a request finds when it claims its key. `fingerprint` is the first request's, when it is known yet. */
export type IdempotencyClaim =
  /** The key is this request's: it does the work, then `answer`s or `release`s. */
  | { state: "claimed" }
  /** Another request holds the key and is alive (or its death is not yet known). */
  | { state: "in_progress"; fingerprint: string | null }
  | { state: "answered"; fingerprint: string | null; answer: StoredAnswer }
  /**
   * The holder died after its work committed but before its answer was stored. The work must not be done
   * again; `effectRef` says where its result can be read back, when the holder knew.
   */
  | { state: "lost"; fingerprint: string | null; effectRef: string | null };

/**
 * Idempotency keys, one row each, unique across every process on the database. A request claims its key
 * in a statement of its own (committed at once, so concurrent duplicates see it), records in its work's
 * own transaction that the work took effect, and stores its answer after that. Times come from the
 * database's clock. `key` is opaque here: the HTTP layer scopes it (API key, method, path) and hashes it.
 */
export interface IdempotencyKeys {
  /**
   * Inserts the key for `holder`, or takes over a row that expired (older than `lifetimeMs`) or whose
   * holder's lease lapsed before its work took effect. Otherwise reports the row as it is.
   */
  claim(key: string, holder: string, options: { fingerprint: string | null; leaseMs: number; lifetimeMs: number }): Promise<IdempotencyClaim>;
  /** Extends the holder's lease; false when it no longer holds the key. */
  renew(key: string, holder: string, leaseMs: number): Promise<boolean>;
  /**
   * Inside the work's transaction: notes that the work took effect (and where to read its result back; a
   * null `effectRef` keeps an earlier one). False when `holder` no longer holds the key: the caller must
   * then roll back. On Postgres the row stays locked until the commit, so no takeover falls in between.
   */
  recordEffect(key: string, holder: string, effectRef: string | null): Promise<boolean>;
  /** Stores the answer (and the fingerprint, if it was not known at the claim); the key is then no longer held. */
  answer(key: string, holder: string, fingerprint: string | null, answer: StoredAnswer): Promise<boolean>;
  /** Gives the key up when its request took no effect, so a retry does the work. */
  release(key: string, holder: string): Promise<void>;
  /** Deletes keys older than `lifetimeMs`; a conditional delete, safe on every process at once. */
  deleteExpired(lifetimeMs: number): Promise<number>;
}
