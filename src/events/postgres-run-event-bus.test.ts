import { createLogger } from "../logging/logger.js";
import { openPostgresStore } from "../storage/sql/postgres-store.js";
import { throwawayPostgresForFile } from "../testing/postgres-for-file.js";
import { createPostgresNotifications } from "./postgres-notifications.js";
import { createPostgresRunEventBus } from "./postgres-run-event-bus.js";
import { defineRunEventBusContract } from "./run-event-bus.contract.js";

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
