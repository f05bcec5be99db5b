import { createInMemoryRunEventBus } from "./in-memory-run-event-bus.js";
import { defineRunEventBusContract } from "./run-event-bus.contract.js";

defineRunEventBusContract("in-memory", async () => createInMemoryRunEventBus());
