import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../config/config.js";
import type { Store } from "../storage/store.js";
import { importExport, type ImportOptions } from "../cli/importer.js";
import { openStorage, type Storage } from "../cli/open-storage.js";
import { silentProgress } from "../cli/progress.js";

/** Test helpers for the command's storage: a fresh SQLite data dir or Postgres database, opened as the command opens it. */
export type Backend = "SQLite" | "Postgres";

/** `freshDatabase` gives the URL of a new empty Postgres database (see `postgres-for-file.ts`). */
export async function openTestStorage(backend: Backend, freshDatabase: () => Promise<string>): Promise<Storage & { dataDir: string; env: Record<string, string> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-import-"));
  const env: Record<string, string> = { SPOOL_DATA_DIR: dataDir };
  if (backend === "Postgres") env.SPOOL_DATABASE_URL = await freshDatabase();
  return { ...(await openStorage(loadConfig(env))), dataDir, env };
}

export function importInto(storage: Storage, directory: string, options: Partial<Omit<ImportOptions, "store" | "blobs" | "directory">> = {}) {
  return importExport({ store: storage.store, blobs: storage.blobs, directory, dryRun: false, overwrite: false, progress: silentProgress, ...options });
}

/** Every object in the store, by table, in creation order: equal snapshots mean nothing changed. */
export async function snapshot(store: Store): Promise<Record<string, unknown[]>> {
  const vectorStores = await store.vectorStores.findAll({});
  const vectorStoreFiles = [];
  for (const vectorStore of vectorStores) vectorStoreFiles.push(...(await store.vectorStoreFiles.findAll({ parentId: vectorStore.id })));
  return {
    assistants: await store.assistants.findAll({}),
    threads: await store.threads.findAll({}),
    messages: await store.messages.findAll({}),
    runs: await store.runs.findAll({}),
    runSteps: await store.runSteps.findAll({}),
    files: await store.files.findAll({}),
    vectorStores,
    vectorStoreFiles,
  };
}
