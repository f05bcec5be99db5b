import { describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { openPostgresStore } from "../storage/sql/postgres-store.js";
import { throwawayPostgresForFile } from "../testing/postgres-for-file.js";
import { runFixture } from "../testing/run-fixture.js";
import { createPostgresNotifications } from "./postgres-notifications.js";
import { createPostgresRunEventBus } from "./postgres-run-event-bus.js";
import { defineRunEventBusContract } from "./run-event-bus.contract.js";
import type { RunBusMessage } from "./run-event-bus.js";

const postgres = throwawayPostgresForFile();

/** One "process": its own store, notification connection and bus on the shared database. */
async function openProcess(url: string, origin: string) {
  const logger = createLogger("silent");
  const store = await openPostgresStore(url);
  const notifications = createPostgresNotifications({ connectionString: url, logger });
  await notifications.ready;
  const bus = createPostgresRunEventBus({ store, notifications, origin, logger });
  return {
    store,
    bus,
    close: async () => {
      await bus.close();
      await notifications.close();
      await store.close();
    },
  };
}

defineRunEventBusContract("postgres, two processes on one database", async () => {
  const url = await postgres.freshDatabase("bus");
  const first = await openProcess(url, "process-1");
  const second = await openProcess(url, "process-2");
  return {
    store: first.store,
    buses: [first.bus, second.bus],
    close: async () => {
      await first.close();
      await second.close();
    },
  };
});

describe("postgres run event bus: subscribing from a known entry", () => {
  it("delivers another process's messages after that entry, in order, without missing one published before the subscription", async () => {
    const url = await postgres.freshDatabase("bus_from");
    const [publishing, reading] = [await openProcess(url, "process-1"), await openProcess(url, "process-2")];
    try {
      const run = runFixture("run_from", "thread_from");
      await publishing.store.runs.insert(run);
      const note = (text: string): RunBusMessage => ({ kind: "run", event: { type: "run.updated", run: { ...run, metadata: { note: text } } } });
      const publish = (text: string, runId = run.id) => publishing.store.transaction(async (transaction) => publishing.bus.publish(transaction, runId, note(text)));
      // The reading process listens once it has heard one notification (its LISTEN is sent asynchronously).
      const probe = reading.bus.subscribe("run_probe");
      await reading.bus.flush("run_probe");
      await publish("probe", "run_probe");
      for await (const message of probe) if (message) break;
      await publish("before");
      const known = await publishing.store.runEvents.latestSeq(run.id);
      // Published after the known entry but before the subscription (its notification finds no subscriber).
      await publish("missed by the notification");
      const subscription = reading.bus.subscribe(run.id, known);
      await reading.bus.flush(run.id);
      await publish("after");
      const received: RunBusMessage[] = [];
      for await (const message of subscription) if (received.push(message) === 2) break;
      expect(received).toEqual([note("missed by the notification"), note("after")]);
    } finally {
      await publishing.close();
      await reading.close();
    }
  });
});
