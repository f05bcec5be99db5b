import type { Logger } from "../logging/logger.js";
import type { Store } from "../storage/store.js";
import type { RunBusMessage } from "./run-event-bus.js";

/**
 * Writes bus messages to their run's event log in publish order. A transaction's messages become one
 * entry appended just before it commits (so the entry commits, or rolls back, with them); messages
 * published outside a transaction (token deltas) are batched per run, one entry per turn of the event loop.
 */
export interface RunEventAppender {
  append(publishing: Store, runId: string, message: RunBusMessage): void;
  /** Resolves once the messages appended outside a transaction so far are in the log. */
  flush(runId: string): Promise<void>;
  close(): Promise<void>;
}

export function createRunEventAppender(options: { store: Store; origin: string; logger: Logger }): RunEventAppender {
  const { store, origin, logger } = options;
  /** Outside a transaction: messages not yet appended, and the append in flight, per run. */
  const unsent = new Map<string, RunBusMessage[]>();
  const sending = new Map<string, Promise<void>>();
  /** Inside a transaction: its messages per run, appended as one entry just before it commits. */
  const transactionBatches = new WeakMap<Store, Map<string, RunBusMessage[]>>();

  function send(runId: string): Promise<void> {
    const previous = sending.get(runId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const batch = unsent.get(runId);
      if (!batch || batch.length === 0) return;
      unsent.delete(runId);
      await store.runEvents.append(runId, origin, JSON.stringify(batch)).catch((error: unknown) => {
        logger.warn("appending run events failed; their readers miss them", { runId, error: String(error) });
      });
    });
    sending.set(runId, next);
    void next.finally(() => {
      if (sending.get(runId) === next) sending.delete(runId);
    });
    return next;
  }

  return {
    append(publishing, runId, message) {
      if (!publishing.inTransaction) {
        const batch = unsent.get(runId);
        if (batch) return void batch.push(message);
        unsent.set(runId, [message]);
        // Everything published in this turn of the event loop goes out as one entry.
        setImmediate(() => void send(runId));
        return;
      }
      let batches = transactionBatches.get(publishing);
      if (!batches) transactionBatches.set(publishing, (batches = new Map()));
      const batch = batches.get(runId);
      if (batch) return void batch.push(message);
      const messages = [message];
      batches.set(runId, messages);
      void publishing.beforeCommit(async () => {
        // Messages published outside a transaction before these go first: the one in flight is awaited
        // (it needs only the log's counter, which this transaction has not taken yet), the rest join this entry.
        await sending.get(runId);
        const earlier = unsent.get(runId) ?? [];
        unsent.delete(runId);
        await publishing.runEvents.append(runId, origin, JSON.stringify([...earlier, ...messages]));
      });
    },
    async flush(runId) {
      if (unsent.has(runId)) await send(runId);
      else await sending.get(runId);
    },
    async close() {
      await Promise.all([...unsent.keys()].map(send));
    },
  };
}
