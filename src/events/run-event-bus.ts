import type { Store } from "../storage/store.js";
import type { RunItemEvent } from "../domain/run-item-events.js";

/**
 * What travels on a run's channel: the run's neutral events (which each API's streams render), and the
 * cancel signal for its executor.
 */
export type RunBusMessage = { kind: "run"; event: RunItemEvent } | { kind: "cancel-requested" };

export interface RunSubscription extends AsyncIterable<RunBusMessage> {
  /** Stops delivery; pending iteration ends. Idempotent. */
  close(): void;
}

/**
 * Fan-out of run events. A message published inside a transaction is delivered only once that
 * transaction commits, and dropped if it rolls back. Delivery is at most once, in publish order per
 * run, to subscribers that were subscribed when the message was published (no replay). Implementations:
 * in-memory (one process) and Postgres (any process's subscribers see every process's messages).
 */
export interface RunEventBus {
  /** `store` is the transaction the message belongs to (or the root store for a message outside one). */
  publish(store: Store, runId: string, message: RunBusMessage): void;
  /**
   * `after`: the run's event-log entry number as of the caller's copy of the run (read with it in one
   * snapshot), so the bus need not look up where the log stands; messages other processes published after
   * it are delivered unless this process has read past it already.
   */
  subscribe(runId: string, after?: number): RunSubscription;
  /**
   * Resolves once the messages published outside a transaction so far have left this process (so a
   * transaction started afterwards cannot overtake them) and the subscriptions made so far are ready to
   * receive other processes' messages.
   */
  flush(runId: string): Promise<void>;
  close(): Promise<void>;
}
