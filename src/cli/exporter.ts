import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { StoredFile } from "../domain/files.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { Store } from "../storage/store.js";
import { manifestSchemaName, threadSchemaName } from "./export-format.js";
import { assistantFileIds, threadFileIds } from "./file-references.js";
import type { Progress } from "./progress.js";

export interface ExportOptions {
  store: Store;
  blobs: BlobStore;
  /** A new or empty directory. */
  directory: string;
  threads: "all" | string[];
  progress: Progress;
  /** Written into the manifest as `exported_by`. */
  exportedBy: string;
}

export interface ExportSummary {
  assistants: number;
  threads: number;
  /** Requested threads that are not here. */
  failed: { threadId: string; error: string }[];
  files: number;
  /** Files whose bytes are not here (written as metadata only). */
  withoutBytes: string[];
}

interface ExportError {
  object: "thread" | "file";
  id: string;
  error: "not_found_or_deleted" | "not_found_or_expired";
  detail: string;
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await fsp.writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The exporter's ISO form: UTC, whole seconds. */
function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/**
 * Writes this Spool's assistants and threads in the format `spool import` reads (`export-format.ts`):
 * objects as stored (with Spool's own fields, so an import restores them whole), the Files they name in
 * `files` maps and `files.json`, and those Files' bytes under `files/<id>/<filename>`. Each thread is read
 * in one transaction, so it is consistent even while the server runs; the manifest is written last, so an
 * export cut short is never mistaken for a whole one.
 */
export async function exportData(options: ExportOptions): Promise<ExportSummary> {
  const { store, directory, progress } = options;
  await fsp.mkdir(path.join(directory, "threads"), { recursive: true });
  const assistants = await store.assistants.findAll({});
  await writeJson(path.join(directory, "assistants.json"), assistants);
  const threadIds = options.threads === "all" ? (await store.threads.findAll({})).map((thread) => thread.id) : options.threads;
  const files = new Map<string, StoredFile>();
  const failed: ExportSummary["failed"] = [];

  progress.start("threads", threadIds.length);
  for (const threadId of threadIds) {
    progress.tick();
    const record = await store.transaction(async (transaction) => {
      const thread = await transaction.threads.get(threadId);
      const errors: ExportError[] = [];
      if (!thread) {
        errors.push({ object: "thread", id: threadId, error: "not_found_or_deleted", detail: `No thread found with id '${threadId}'.` });
        return { thread: null, messages: [], runs: [], files: {}, errors };
      }
      const messages = await transaction.messages.findAll({ parentId: threadId });
      const runs = [];
      for (const run of await transaction.runs.findAll({ parentId: threadId })) runs.push({ ...run, steps: await transaction.runSteps.findAll({ parentId: run.id }) });
      const threadFiles: Record<string, StoredFile> = {};
      for (const fileId of threadFileIds(thread, messages, runs.flatMap((run) => run.steps))) {
        const file = await transaction.files.get(fileId);
        if (file) threadFiles[fileId] = file;
        else errors.push({ object: "file", id: fileId, error: "not_found_or_expired", detail: `No file found with id '${fileId}'.` });
      }
      return { thread, messages, runs, files: threadFiles, errors };
    });
    if (!record.thread) failed.push({ threadId, error: "not_found_or_deleted" });
    for (const file of Object.values(record.files)) files.set(file.id, file);
    await writeJson(path.join(directory, "threads", `${threadId}.json`), {
      export_schema: threadSchemaName,
      thread_id: threadId,
      exported_at: isoNow(),
      ...record,
    });
  }
  progress.done();

  const assistantFiles: Record<string, StoredFile> = {};
  for (const fileId of new Set(assistants.flatMap(assistantFileIds))) {
    const file = await store.files.get(fileId);
    if (!file) continue;
    assistantFiles[fileId] = file;
    files.set(fileId, file);
  }
  await writeJson(path.join(directory, "files.json"), assistantFiles);
  const withoutBytes = await writeFileBytes(options, [...files.values()]);

  await writeJson(path.join(directory, "manifest.json"), {
    export_schema: manifestSchemaName,
    exported_by: options.exportedBy,
    exported_at: isoNow(),
    assistants_count: assistants.length,
    threads_requested: threadIds.length,
    threads_exported: threadIds.length - failed.length,
    threads_failed: failed.map((failure) => ({ thread_id: failure.threadId, error: failure.error })),
    notes: [
      "Written by `spool export`; `spool import` reads it back with every id.",
      "files/<file id>/<filename> holds the bytes of the Files named here; `spool import DIR` uploads them again.",
      "Vector stores are not exported: an import recreates the ones tool_resources name, with the files known to be in them.",
    ],
  });
  return { assistants: assistants.length, threads: threadIds.length - failed.length, failed, files: files.size, withoutBytes };
}

/** The name a File's bytes get on disk: its own name, without any directory, or its id. */
function diskName(file: StoredFile): string {
  const name = path.posix.basename(file.filename.replaceAll("\\", "/"));
  return name === "" || name === "." || name === ".." ? file.id : name;
}

async function writeFileBytes(options: ExportOptions, files: StoredFile[]): Promise<string[]> {
  const withoutBytes: string[] = [];
  options.progress.start("file bytes", files.length);
  for (const file of files) {
    options.progress.tick();
    const blob = await options.blobs.open(file.id);
    if (!blob) {
      withoutBytes.push(file.id);
      continue;
    }
    const folder = path.join(options.directory, "files", file.id);
    await fsp.mkdir(folder, { recursive: true });
    await pipeline(blob.stream, fs.createWriteStream(path.join(folder, diskName(file))));
  }
  options.progress.done();
  return withoutBytes.sort();
}
