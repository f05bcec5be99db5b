import { createLogger } from "../logging/logger.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import { createInMemoryRunEventBus } from "./in-memory-run-event-bus.js";
import { defineRunEventBusContract } from "./run-event-bus.contract.js";

defineRunEventBusContract("in-memory", async () => {
  const store = await openSqliteStore(":memory:");
  return { store, buses: [createInMemoryRunEventBus({ store, logger: createLogger("silent") })], close: () => store.close() };
});
