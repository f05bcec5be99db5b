import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { createApp } from "./app.js";
import type { AppDependencies, RunJob } from "./app-dependencies.js";
import { ConfigError, type Config } from "./config/config.js";
import { createRunExecutor } from "./engine/run-executor.js";
import { createRunSupervisor } from "./engine/run-supervisor.js";
import type { BuiltinTool } from "./engine/tools/builtin-tool.js";
import { createInMemoryRunEventBus } from "./events/in-memory-run-event-bus.js";
import { createLogger, type Logger } from "./logging/logger.js";
import type { ModelProvider } from "./providers/model-provider.js";
import { createOpenAICompatibleProvider } from "./providers/openai-compatible-provider.js";
import { createInMemoryJobQueue } from "./queue/in-memory-job-queue.js";
import { FileBlobs } from "./storage/blobs/file-blobs.js";
import { openSqliteStore } from "./storage/sql/sqlite-store.js";
import type { Store } from "./storage/store.js";

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 (the API is under /v1). */
  url: string;
  dependencies: AppDependencies;
  /** Stops taking requests and work, lets running runs finish up to the shutdown timeout, then closes storage. */
  close(): Promise<void>;
}

async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    throw new ConfigError("SPOOL_DATABASE_URL (Postgres) is not supported by this build yet; unset it to use the embedded SQLite store.");
  }
  return openSqliteStore(path.join(config.dataDir, "spool.db"));
}

/**
 * The composition root: the only place that picks implementations (storage, queue, event bus, model
 * provider, builtin tools) and wires them together.
 */
export async function startServer(
  config: Config,
  overrides: { logger?: Logger; models?: ModelProvider; builtinTools?: BuiltinTool[]; ui?: MiddlewareHandler } = {},
): Promise<RunningServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = await openStore(config);
  const blobs = new FileBlobs(path.join(config.dataDir, "files"));
  const bus = createInMemoryRunEventBus();
  const runQueue = createInMemoryJobQueue<RunJob>({
    concurrency: config.runConcurrency,
    onError: (job, error) => logger.error("run job crashed", { runId: job.runId, error: String(error) }),
  });
  const models =
    overrides.models ??
    createOpenAICompatibleProvider({
      baseURL: config.upstreamUrl,
      ...(config.upstreamApiKey ? { apiKey: config.upstreamApiKey } : {}),
      modelMap: config.modelMap,
      embeddingModel: config.embeddingModel,
    });
  const dependencies: AppDependencies = { config, store, bus, runQueue, logger, models, blobs };
  const shutdown = new AbortController();
  runQueue.process(
    createRunExecutor({
      store,
      bus,
      logger,
      models,
      blobs,
      builtinTools: overrides.builtinTools ?? [],
      upstreamMaxRetries: config.upstreamMaxRetries,
      upstreamRetryBaseMs: config.upstreamRetryBaseMs,
      shutdownSignal: shutdown.signal,
    }),
  );
  const supervisor = createRunSupervisor({ store, bus, logger, runQueue });
  await supervisor.recoverAbandonedRuns();
  supervisor.start(1000);

  const app = createApp(dependencies, overrides.ui ? { ui: overrides.ui } : {});
  const server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info("spool listening", { url, dataDir: config.dataDir, upstream: config.upstreamUrl, auth: config.apiKeys.length > 0 });

  let closing: Promise<void> | undefined;
  return {
    url,
    dependencies,
    close: () =>
      (closing ??= (async () => {
        supervisor.stop();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        const { running, pending } = await runQueue.stop(config.shutdownTimeoutMs);
        if (running.length > 0) {
          shutdown.abort();
          await runQueue.stop(2000);
        }
        logger.info("spool stopped", { unfinishedRuns: running.length, queuedRunsHandedBack: pending.length });
        if ("closeAllConnections" in server) server.closeAllConnections();
        await serverClosed;
        await store.close();
      })()),
  };
}
