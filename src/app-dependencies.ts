import type { Config } from "./config/config.js";
import type { Retrieval } from "./ingestion/retrieval.js";
import type { RunEventBus } from "./events/run-event-bus.js";
import type { Logger } from "./logging/logger.js";
import type { Telemetry } from "./observability/telemetry.js";
import type { ModelProvider } from "./providers/model-provider.js";
import type { RunQueue } from "./queue/run-queue.js";
import type { BlobStore } from "./storage/blobs/blob-store.js";
import type { Store } from "./storage/store.js";

/** Everything the HTTP layer and the engine need, built once by the composition root (`server.ts`). */
export interface AppDependencies {
  config: Config;
  store: Store;
  bus: RunEventBus;
  runQueue: Pick<RunQueue, "wake" | "reserve">;
  logger: Logger;
  models: ModelProvider;
  blobs: BlobStore;
  /** Vector store ingestion (background queue) and search. */
  retrieval: Retrieval;
  /** Metrics and traces; absent in in-process tests of the HTTP layer, where nothing is measured. */
  telemetry?: Telemetry;
}
