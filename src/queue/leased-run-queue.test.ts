import { randomUUID } from "node:crypto";
import { createInProcessNotifications } from "../events/in-process-notifications.js";
import { createPostgresNotifications } from "../events/postgres-notifications.js";
import { createLogger } from "../logging/logger.js";
import { openPostgresStore } from "../storage/sql/postgres-store.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import type { Store } from "../storage/store.js";
import { throwawayPostgresForFile } from "../testing/postgres-for-file.js";
import { createLeasedRunQueue } from "./leased-run-queue.js";
import { defineRunQueueContract } from "./run-queue.contract.js";

const logger = createLogger("silent");
const postgres = throwawayPostgresForFile();

defineRunQueueContract("SQLite", 1, async () => {
  const store = await openSqliteStore(":memory:");
  const notifications = createInProcessNotifications();
  return {
    store,
    openQueue: async (options) => createLeasedRunQueue({ ...options, leases: store.runLeases, notifications, owner: randomUUID(), logger }),
    close: () => store.close(),
  };
});

for (const processes of [1, 3]) {
  defineRunQueueContract(`Postgres, ${processes} process(es) on one database`, processes, async () => {
    const url = await postgres.freshDatabase("queue");
    const store = await openPostgresStore(url);
    const opened: { close(): Promise<void> }[] = [];
    return {
      store,
      async openQueue(options) {
        // Each queue has its own connections, as a separate process would.
        const own: Store = await openPostgresStore(url);
        const notifications = createPostgresNotifications({ connectionString: url, logger });
        await notifications.ready;
        opened.push(notifications, own);
        return createLeasedRunQueue({ ...options, leases: own.runLeases, notifications, owner: randomUUID(), logger });
      },
      async close() {
        for (const resource of opened) await resource.close();
        await store.close();
      },
    };
  });
}
