import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppDependencies } from "../app-dependencies.js";
import { createApp } from "../app.js";
import { loadConfig } from "../config/config.js";
import { createInMemoryRunEventBus } from "../events/in-memory-run-event-bus.js";
import type { Retrieval } from "../ingestion/retrieval.js";
import { createLogger } from "../logging/logger.js";
import { createOpenAICompatibleProvider } from "../providers/openai-compatible-provider.js";
import { FilesystemBlobStore } from "../storage/blobs/filesystem-blob-store.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import type { Store } from "../storage/store.js";

/** No ingestion or search: in-process tests exercise HTTP, validation and storage, not file search. */
const idleRetrieval: Retrieval = {
  wake: () => undefined,
  forget: async () => undefined,
  forgetStore: async () => undefined,
  updateAttributes: async () => undefined,
  search: async () => [],
  start: () => undefined,
  stop: async () => undefined,
};

export interface InProcessApp {
  /** `app.request(path, init)`: the whole HTTP stack without a socket. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** The app's store, for tests that set up what no request can (a pruned event log, a settled run). */
  store: Store;
  close(): Promise<void>;
}

/**
 * The real app (routes, validation, error mapping) over an in-memory SQLite store, for cheap tests of
 * routing and validation. Runs are stored but never executed; nothing reaches an upstream.
 */
export async function createInProcessApp(env: Record<string, string> = {}): Promise<InProcessApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-in-process-"));
  const config = loadConfig({ SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: "http://127.0.0.1:9/v1", SPOOL_LOG_LEVEL: "silent", ...env });
  const store = await openSqliteStore(":memory:");
  const logger = createLogger("silent");
  const dependencies: AppDependencies = {
    config,
    store,
    bus: createInMemoryRunEventBus({ store, logger }),
    runQueue: { wake: () => undefined, reserve: () => undefined },
    logger,
    models: createOpenAICompatibleProvider({ baseURL: config.upstreamUrl, modelMap: {}, embeddingModel: config.embeddingModel }),
    blobs: new FilesystemBlobStore(path.join(dataDir, "files")),
    retrieval: idleRetrieval,
  };
  const app = createApp(dependencies);
  return {
    request: async (requestPath, init) => app.request(requestPath, init),
    store,
    async close() {
      await store.close();
      await dependencies.blobs.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
