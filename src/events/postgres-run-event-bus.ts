import type { Logger } from "../logging/logger.js";
import type { Store } from "../storage/store.js";
import { runEventsChannel } from "../storage/sql/sql-run-leases.js";
import { LocalFanOut } from "./local-fan-out.js";
import type { Notifications } from "./notifications.js";
import { createRunEventAppender } from "./run-event-appender.js";
import type { RunBusMessage, RunEventBus } from "./run-event-bus.js";

const readBatch = 500;

/**
 * The bus for many processes on one Postgres. Subscribers in the publishing process get messages right
 * after commit; every message is also appended to the run's event log (inside the publishing
 * transaction, so it commits with it), and other processes, woken by NOTIFY, read the log in order.
 * Messages published outside a transaction (token deltas) are batched per run, one log entry per batch.
 */
export function createPostgresRunEventBus(options: { store: Store; notifications: Notifications; origin: string; logger: Logger }): RunEventBus {
  const { store, notifications, origin, logger } = options;
  /** Per subscribed run: the last log entry delivered here, and the read in progress. */
  const cursors = new Map<string, { seq: Promise<number>; reading: Promise<void> }>();
  const local = new LocalFanOut((runId) => cursors.delete(runId));
  const appender = createRunEventAppender({ store, origin, logger });

  function readNew(runId: string): void {
    const cursor = cursors.get(runId);
    if (!cursor) return;
    cursor.reading = cursor.reading.then(async () => {
      let after = await cursor.seq;
      for (;;) {
        const entries = await store.runEvents.readAfter(runId, after, readBatch);
        for (const entry of entries) {
          if (entry.origin !== origin) for (const message of JSON.parse(entry.body) as RunBusMessage[]) local.deliver(runId, message);
          after = entry.seq;
        }
        cursor.seq = Promise.resolve(after);
        if (entries.length < readBatch) return;
      }
    }).catch((error: unknown) => logger.warn("reading run events failed", { runId, error: String(error) }));
  }

  notifications.listen(runEventsChannel, (payload) => {
    const [runId, from] = payload.split(" ");
    // This process's own entries were delivered here already; they are read past with the next foreign one.
    if (runId && from !== origin) readNew(runId);
  });
  // Entries appended while the connection was down were never announced.
  notifications.onReconnect(() => local.runIds().forEach(readNew));

  return {
    publish(publishing, runId, message) {
      publishing.afterCommit(() => local.deliver(runId, message));
      appender.append(publishing, runId, message);
    },
    subscribe(runId, after) {
      if (!cursors.has(runId)) {
        const seq = after === undefined ? store.runEvents.latestSeq(runId).catch(() => 0) : Promise.resolve(after);
        cursors.set(runId, { seq, reading: Promise.resolve() });
      }
      return local.subscribe(runId);
    },
    async flush(runId) {
      await appender.flush(runId);
      // And this process knows where the log stood when its subscribers subscribed.
      await cursors.get(runId)?.seq;
    },
    close: () => appender.close(),
  };
}
