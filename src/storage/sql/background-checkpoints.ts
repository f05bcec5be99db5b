import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SqliteDatabase from "better-sqlite3";

/**
 * Runs in a worker thread with its own connection. PASSIVE never waits for the main connection, so a
 * checkpoint that finds the writer busy just copies less and the next tick continues.
 */
const checkpointerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const database = new Database(workerData.file);
database.pragma("busy_timeout = 0");
const checkpoint = () => {
  try {
    database.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    if (error && error.code !== "SQLITE_BUSY" && error.code !== "SQLITE_LOCKED") throw error;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  database.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. SQLite otherwise checkpoints inside whichever commit crosses
 * the threshold, copying megabytes and calling fsync on the thread that serves every request; here a
 * worker thread checkpoints every `intervalMs`. If the worker cannot run, the connection goes back to
 * SQLite's own automatic checkpoints, so the WAL never grows without bound.
 */
export function startBackgroundCheckpoints(
  database: SqliteDatabase.Database,
  file: string,
  options: { intervalMs: number; onFallback: (error: unknown) => void },
): BackgroundCheckpoints {
  const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(checkpointerSource, { eval: true, workerData: { file, driverPath, intervalMs: options.intervalMs } });
  database.pragma("wal_autocheckpoint = 0");
  let stopping = false;
  worker.once("error", (error) => {
    if (stopping || !database.open) return;
    database.pragma("wal_autocheckpoint = 1000");
    options.onFallback(error);
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.unref();
  return {
    async stop() {
      stopping = true;
      worker.postMessage("stop");
      await exited;
    },
  };
}
