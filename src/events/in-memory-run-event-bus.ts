import { LocalFanOut } from "./local-fan-out.js";
import type { RunEventBus } from "./run-event-bus.js";

/** The single-process bus: subscribers live in this process, and messages are delivered after commit. */
export function createInMemoryRunEventBus(): RunEventBus {
  const local = new LocalFanOut();
  return {
    publish(store, runId, message) {
      store.afterCommit(() => local.deliver(runId, message));
    },
    subscribe: (runId) => local.subscribe(runId),
    flush: async () => undefined,
    close: async () => undefined,
  };
}
