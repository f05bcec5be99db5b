import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInProcessNotifications } from "../events/in-process-notifications.js";
import { createPostgresNotifications } from "../events/postgres-notifications.js";
import { createLogger } from "../logging/logger.js";
import { FilesystemBlobStore } from "../storage/blobs/filesystem-blob-store.js";
import { openPostgresBlobStore } from "../storage/blobs/postgres-blob-store.js";
import { openPostgresStore } from "../storage/sql/postgres-store.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import { throwawayPostgresForFile } from "../testing/postgres-for-file.js";
import { defineIngestionContract } from "./ingestion.contract.js";
import { lazyVectorIndex } from "./vector-index-handle.js";

const logger = createLogger("silent");
const postgres = throwawayPostgresForFile();

const temporaryDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "spool-ingestion-"));

/**
 * SQLite serves one process per database, and two connections to one file in one Node process would wait
 * on each other synchronously; so its two "processes" share the connection, index and notifications, and
 * differ in their owner id and in-memory state (which is what the leases must keep apart).
 */
defineIngestionContract("SQLite, two processes", 2, async () => {
  const directory = temporaryDir();
  const store = await openSqliteStore(path.join(directory, "spool.db"));
  const blobs = new FilesystemBlobStore(path.join(directory, "files"));
  const notifications = createInProcessNotifications();
  let index: ReturnType<typeof lazyVectorIndex> | undefined;
  return {
    store,
    blobs,
    async openProcess(embeddingModel) {
      index ??= lazyVectorIndex({ directory: path.join(directory, "vectors"), embeddingModel });
      return { store, blobs, notifications, index };
    },
    async close() {
      await index?.close();
      await store.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
});

defineIngestionContract("Postgres, two processes on one database", 2, async () => {
  const url = await postgres.freshDatabase("ingestion");
  const scratch = temporaryDir();
  const store = await openPostgresStore(url);
  const blobs = await openPostgresBlobStore(url, { scratchDir: path.join(scratch, "setup") });
  const opened: { close(): Promise<void> }[] = [];
  return {
    store,
    blobs,
    async openProcess(embeddingModel) {
      // Each process has its own connections, as a separate process would.
      const own = await openPostgresStore(url);
      // Opening empties the scratch dir, so each process has its own, as it has its own data dir.
      const ownBlobs = await openPostgresBlobStore(url, { scratchDir: path.join(scratch, `process-${opened.length}`) });
      const notifications = createPostgresNotifications({ connectionString: url, logger });
      await notifications.ready;
      // With a database URL the index is in the database; the directory is never used.
      const index = lazyVectorIndex({ directory: path.join(scratch, "vectors"), databaseUrl: url, embeddingModel });
      opened.push(index, notifications, ownBlobs, own);
      return { store: own, blobs: ownBlobs, notifications, index };
    },
    async close() {
      for (const resource of opened) await resource.close();
      await blobs.close();
      await store.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
});
