import type { StreamEvent } from "../streaming/stream-events.js";

/** What travels on a run's channel: stream events for SSE clients, and the cancel signal for its executor. */
export type RunBusMessage = { kind: "stream"; event: StreamEvent } | { kind: "cancel-requested" };

export interface RunSubscription extends AsyncIterable<RunBusMessage> {
  /** Stops delivery; pending iteration ends. Idempotent. */
  close(): void;
}

/**
 * Fan-out of run events. Delivery is in publish order per run, at most once, to subscribers that were
 * subscribed when the message was published (no replay). Implementations: in-memory (one process);
 * a Postgres LISTEN/NOTIFY or Redis one for several processes.
 */
export interface RunEventBus {
  publish(runId: string, message: RunBusMessage): void;
  subscribe(runId: string): RunSubscription;
}
