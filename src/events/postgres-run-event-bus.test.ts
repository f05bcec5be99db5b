import { afterAll, beforeAll } from "vitest";
import { createLogger } from "../logging/logger.js";
import { openPostgresStore } from "../storage/sql/postgres-store.js";
import { freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../testing/throwaway-postgres.js";
import { createPostgresNotifications } from "./postgres-notifications.js";
import { createPostgresRunEventBus } from "./postgres-run-event-bus.js";
import { defineRunEventBusContract } from "./run-event-bus.contract.js";

let postgres: ThrowawayPostgres;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
});

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
  const url = await freshDatabase(postgres, "bus");
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
