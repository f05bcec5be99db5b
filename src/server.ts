import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "./app.js";
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { AppDependencies } from "./app-dependencies.js";
import { ConfigError, type Config } from "./config/config.js";
import { createRunExecutor } from "./engine/run-executor.js";
import { createRunSupervisor } from "./engine/run-supervisor.js";
import { createCodeInterpreterTool } from "./engine/tools/code-interpreter/code-interpreter-tool.js";
import { sandboxLimitsOf } from "./engine/tools/code-interpreter/sandbox-settings.js";
import { createFileSearchTool } from "./engine/tools/file-search/file-search-tool.js";
import { createInMemoryRunEventBus } from "./events/in-memory-run-event-bus.js";
import { createInProcessNotifications } from "./events/in-process-notifications.js";
import type { Notifications } from "./events/notifications.js";
import type { RunEventBus } from "./events/run-event-bus.js";
import { createRetrieval } from "./ingestion/retrieval.js";
import { lazyVectorIndex } from "./ingestion/vector-index-handle.js";
import { createLogger, type Logger } from "./logging/logger.js";
import type { SandboxMetrics } from "./observability/metrics.js";
import { createPrometheusMetrics } from "./observability/prometheus-metrics.js";
import { startTracing } from "./observability/telemetry.js";
import { createOpenAICompatibleProvider } from "./providers/openai-compatible-provider.js";
import { createLeasedRunQueue } from "./queue/leased-run-queue.js";
import { createBubblewrapSandbox } from "./sandbox/bubblewrap/bubblewrap-sandbox.js";
import type { CodeSandbox } from "./sandbox/code-sandbox.js";
import { sandboxRoot } from "./sandbox/sandbox-root.js";
import type { BlobStore } from "./storage/blobs/blob-store.js";
import { FilesystemBlobStore } from "./storage/blobs/filesystem-blob-store.js";
import { openSqliteStore } from "./storage/sql/sqlite-store.js";
import type { Store } from "./storage/store.js";
import { resolveUiDistDir, serveUi } from "./ui/serve-ui.js";

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 (the API is under /v1). */
  url: string;
  dependencies: AppDependencies;
  /** Stops taking requests and work, lets running runs finish up to the shutdown timeout, then closes storage. */
  close(): Promise<void>;
}

async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (!config.databaseUrl) {
    return openSqliteStore(path.join(config.dataDir, "spool.db"), {
      onCheckpointerError: (error) => logger.warn("background WAL checkpoints stopped; SQLite checkpoints on commit instead", { error: String(error) }),
    });
  }
  if (!/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError("SPOOL_DATABASE_URL must be a postgres:// or postgresql:// URL (unset it for the embedded SQLite store).");
  }
  // Loaded only when configured: SQLite installs never pay for the Postgres driver at startup.
  const { openPostgresStore } = await import("./storage/sql/postgres-store.js");
  return openPostgresStore(config.databaseUrl);
}

/**
 * How processes find out about each other's work: within this process for SQLite (one process per
 * database), LISTEN/NOTIFY and the run event log for Postgres (any number of processes).
 */
async function openCoordination(config: Config, store: Store, logger: Logger, owner: string): Promise<{ notifications: Notifications; bus: RunEventBus }> {
  if (!config.databaseUrl) {
    // A restart after a crash: every lease in a single-process database belonged to a process that is gone.
    await store.runLeases.releaseAll();
    await store.ingestionLeases.releaseAll();
    return { notifications: createInProcessNotifications(), bus: createInMemoryRunEventBus({ store, logger }) };
  }
  const { createPostgresNotifications } = await import("./events/postgres-notifications.js");
  const { createPostgresRunEventBus } = await import("./events/postgres-run-event-bus.js");
  const notifications = createPostgresNotifications({ connectionString: config.databaseUrl, logger });
  await notifications.ready;
  return { notifications, bus: createPostgresRunEventBus({ store, notifications, origin: owner, logger }) };
}

/** File bytes where every process on the same storage can read them: the Postgres database, or the data dir. */
async function openBlobStore(config: Config): Promise<BlobStore> {
  if (!config.databaseUrl) return new FilesystemBlobStore(path.join(config.dataDir, "files"));
  const { openPostgresBlobStore } = await import("./storage/blobs/postgres-blob-store.js");
  return openPostgresBlobStore(config.databaseUrl, { scratchDir: path.join(config.dataDir, "blob-scratch") });
}

/** The bubblewrap sandbox, with its scratch space where its uids can reach it; a temp one is removed on close. */
async function openSandbox(config: Config, logger: Logger, metrics: SandboxMetrics): Promise<CodeSandbox> {
  const root = sandboxRoot(config.dataDir);
  if (root.temporary) logger.info("code_interpreter scratch space is in a temp dir: the sandbox's uids cannot pass through the data dir", { sandboxDir: root.dir });
  return createBubblewrapSandbox({ rootDir: root.dir, temporaryRoot: root.temporary, limits: sandboxLimitsOf(config), metrics });
}

/**
 * The composition root: the only place that picks implementations (storage, queue, event bus, model
 * provider, builtin tools) and wires them together.
 */
export async function startServer(
  config: Config,
  overrides: { logger?: Logger; sandbox?: CodeSandbox } = {},
): Promise<RunningServer> {
  const tracing = await startTracing(config, `${os.hostname()}:${process.pid}`);
  const logger = overrides.logger ?? createLogger(config.logLevel, undefined, tracing.logFields);
  const store = await openStore(config, logger);
  const telemetry = { tracing, metrics: createPrometheusMetrics({ ingestionBacklog: () => store.vectorStoreFiles.countByStatus(["in_progress"]) }) };
  // After the store: its migrations create the Postgres blob table.
  const blobs = await openBlobStore(config);
  // Unique per process start: a restarted process does not inherit the leases of its previous life.
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const { notifications, bus } = await openCoordination(config, store, logger, owner);
  const leaseTtlMs = config.runLeaseSeconds * 1000;
  const runQueue = createLeasedRunQueue({
    leases: store.runLeases,
    notifications,
    owner,
    concurrency: config.runConcurrency,
    leaseTtlMs,
    sweepIntervalMs: Math.min(1000, leaseTtlMs),
    logger,
  });
  const models = createOpenAICompatibleProvider({
    baseURL: config.upstreamUrl,
    ...(config.upstreamApiKey ? { apiKey: config.upstreamApiKey } : {}),
    modelMap: config.modelMap,
    embeddingModel: config.embeddingModel,
  });
  const retrieval = createRetrieval({
    store,
    blobs,
    models,
    logger,
    index: lazyVectorIndex({
      directory: path.join(config.dataDir, "vectors"),
      // With Postgres the index is in the database, so every process serves every store's searches.
      databaseUrl: config.databaseUrl,
      embeddingModel: () => models.embeddingModel(),
    }),
    notifications,
    owner,
    // Ingestion is CPU- and upstream-heavy; a couple at a time keeps runs responsive. An API-only process
    // (SPOOL_RUN_CONCURRENCY=0) leaves it to the others too.
    concurrency: config.runConcurrency === 0 ? 0 : 2,
    leaseTtlMs,
    sweepIntervalMs: Math.min(1000, leaseTtlMs),
    telemetry,
  });
  const dependencies: AppDependencies = { config, store, bus, runQueue, logger, models, blobs, retrieval, telemetry };
  const sandbox = overrides.sandbox ?? (await openSandbox(config, logger, telemetry.metrics));
  if (!sandbox.status.available) logger.warn(`code_interpreter unavailable: ${sandbox.status.reason}`);
  const codeInterpreter = createCodeInterpreterTool({ blobs, sandbox, logger, sessionIdleMs: config.sandboxIdleSeconds * 1000, tracing });
  runQueue.process(
    createRunExecutor({
      store,
      bus,
      logger,
      models,
      blobs,
      // Overrides come first: the executor uses the first tool of each type.
      builtinTools: [createFileSearchTool({ store, retrieval, logger }), codeInterpreter],
      upstreamMaxRetries: config.upstreamMaxRetries,
      upstreamRetryBaseMs: config.upstreamRetryBaseMs,
      leaseTtlMs,
      telemetry,
    }),
  );
  const supervisor = createRunSupervisor({ store, blobs, retrieval, bus, logger, telemetry });
  // Also takes over files left `in_progress` by a process that died.
  retrieval.start();
  supervisor.start(1000);

  const app = createApp(dependencies, { ui: serveUi(resolveUiDistDir()) });
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
        const { handedBack } = await runQueue.stop(config.shutdownTimeoutMs);
        await retrieval.stop(Math.min(config.shutdownTimeoutMs, 5000));
        await sandbox.close();
        await bus.close();
        await notifications.close();
        logger.info("spool stopped", { runsHandedBack: handedBack });
        if ("closeAllConnections" in server) server.closeAllConnections();
        await serverClosed;
        await store.close();
        await blobs.close();
        await tracing.shutdown();
      })()),
  };
}
