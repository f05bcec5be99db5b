import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConfigError, type Config } from "../config/config.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import { FilesystemBlobStore } from "../storage/blobs/filesystem-blob-store.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import type { Store } from "../storage/store.js";

export interface Storage {
  store: Store;
  blobs: BlobStore;
  /** Where the data is, for messages: the SQLite file or the Postgres database. */
  location: string;
  close(): Promise<void>;
}

/** The Postgres URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * The storage the server uses with the same settings, opened beside it: unlike the server's start
 * (`server.ts`), it sweeps nothing a previous process may have left (the server may be running and those
 * be its uploads in flight), and the Postgres blob store's temporary copies go to a private directory.
 */
export async function openStorage(config: Config): Promise<Storage> {
  if (!config.databaseUrl) {
    const file = path.join(config.dataDir, "spool.db");
    const store = await openSqliteStore(file);
    const blobs = new FilesystemBlobStore(path.join(config.dataDir, "files"), { removeLeftovers: false });
    return {
      store,
      blobs,
      location: file,
      async close() {
        await store.close();
        await blobs.close();
      },
    };
  }
  if (!/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError("SPOOL_DATABASE_URL must be a postgres:// or postgresql:// URL (unset it for the embedded SQLite store).");
  }
  const { openPostgresStore } = await import("../storage/sql/postgres-store.js");
  const { openPostgresBlobStore } = await import("../storage/blobs/postgres-blob-store.js");
  const store = await openPostgresStore(config.databaseUrl);
  const scratchDir = await fsp.mkdtemp(path.join(os.tmpdir(), "spool-command-"));
  const blobs = await openPostgresBlobStore(config.databaseUrl, { scratchDir });
  return {
    store,
    blobs,
    location: redactedUrl(config.databaseUrl),
    async close() {
      await store.close();
      await blobs.close();
      await fsp.rm(scratchDir, { recursive: true, force: true });
    },
  };
}
