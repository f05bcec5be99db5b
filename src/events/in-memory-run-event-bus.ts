import { idPrefixes } from "../domain/ids.js";
import type { Logger } from "../logging/logger.js";
import type { Store } from "../storage/store.js";
import { LocalFanOut } from "./local-fan-out.js";
import { createRunEventAppender } from "./run-event-appender.js";
import type { RunEventBus } from "./run-event-bus.js";

/**
 * The single-process bus: subscribers live in this process, and messages are delivered after commit.
 * The runs of responses are written to the run event log as well (as the Postgres bus writes every
 * run's): a background response's stream can be read again from its start, after a restart too.
 */
export function createInMemoryRunEventBus(options: { store: Store; logger: Logger }): RunEventBus {
  const local = new LocalFanOut();
  const appender = createRunEventAppender({ ...options, origin: "local" });
  return {
    publish(store, runId, message) {
      store.afterCommit(() => local.deliver(runId, message));
      if (runId.startsWith(idPrefixes.response)) appender.append(store, runId, message);
    },
    subscribe: (runId) => local.subscribe(runId),
    flush: (runId) => appender.flush(runId),
    close: () => appender.close(),
  };
}
