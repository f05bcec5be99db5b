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

/** 16 MB of 4 KB pages. */
const safetyValvePages = 4096;
const sqliteDefaultAutocheckpointPages = 1000;

export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. SQLite otherwise checkpoints inside whichever commit crosses
 * 1000 pages, copying megabytes and calling fsync on the thread that serves every request; here a worker
 * thread checkpoints every `intervalMs`. A checkpoint that runs beside the writer never finishes while
 * commits keep landing, and the WAL only restarts after one finishes, so under sustained writes the
 * connection still checkpoints itself once the WAL reaches `safetyValvePages` (by then the worker has
 * copied most of it). If the worker cannot run, SQLite's default automatic checkpoints come back.
 */
export function startBackgroundCheckpoints(
  database: SqliteDatabase.Database,
  file: string,
  options: { intervalMs: number; onFallback: (error: unknown) => void },
): BackgroundCheckpoints {
  const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(checkpointerSource, { eval: true, workerData: { file, driverPath, intervalMs: options.intervalMs } });
  database.pragma(`wal_autocheckpoint = ${safetyValvePages}`);
  let stopping = false;
  worker.once("error", (error) => {
    if (stopping || !database.open) return;
    database.pragma(`wal_autocheckpoint = ${sqliteDefaultAutocheckpointPages}`);
    options.onFallback(error);
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // Unreferenced so an open store does not keep a finished process alive; referenced again while
  // stopping, or a process with nothing else to do would exit before the worker confirms.
  worker.unref();
  return {
    async stop() {
      stopping = true;
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
