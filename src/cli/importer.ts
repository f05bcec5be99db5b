import type { StoredFile } from "../domain/files.js";
import type { Assistant } from "../domain/objects.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { Store } from "../storage/store.js";
import { assistantFileIds, threadFileIds } from "./file-references.js";
import { importFiles } from "./import-files.js";
import { countOutcome, emptyReport, type ImportReport } from "./import-report.js";
import { importThread } from "./import-thread.js";
import { LocalFiles } from "./local-files.js";
import type { Progress } from "./progress.js";
import { putObject, writeOrRollBack, type Outcome } from "./put-object.js";
import type { ThreadExport } from "./export-format.js";
import { ExportInputError, openExportDirectory, readThreadExport } from "./read-export.js";
import { storedAssistant, storedFile, storedThreadContents } from "./stored-objects.js";
import { VectorStorePlans } from "./vector-store-plans.js";

export interface ImportOptions {
  store: Store;
  blobs: BlobStore;
  directory: string;
  /** Where the original files are, to re-upload under their ids. */
  filesDirectory?: string;
  dryRun: boolean;
  overwrite: boolean;
  progress: Progress;
}

/** What the export's objects name, to report what is neither in the export nor here. */
interface References {
  files: Map<string, { referencedBy: string; reason?: string }>;
  assistants: Map<string, string>;
}

/** What the imported threads bring to the steps after them: their Files, what they name, their vector stores. */
interface Collected {
  references: References;
  files: Map<string, StoredFile>;
  vectorStores: VectorStorePlans;
}

function note<T>(map: Map<string, T>, id: string, value: T): void {
  if (!map.has(id)) map.set(id, value);
}

/**
 * Imports an export directory (see `export-format.ts`), keeping every id: the assistants, then each thread
 * in its own transaction, then the Files (and their bytes from `filesDirectory`), then the vector stores
 * the objects name. A manifest or assistants.json that cannot be read stops it before anything is written
 * (ExportInputError); a bad thread file is reported and skipped.
 */
export async function importExport(options: ImportOptions): Promise<ImportReport> {
  const { store, directory, dryRun, progress } = options;
  const exported = await openExportDirectory(directory);
  const localFiles = options.filesDirectory ? await LocalFiles.scan(options.filesDirectory) : undefined;
  const report = emptyReport(directory, dryRun);
  const collected: Collected = { references: { files: new Map(), assistants: new Map() }, files: new Map(), vectorStores: new VectorStorePlans() };
  const { references, files, vectorStores } = collected;

  const assistants = exported.assistants.map(storedAssistant);
  await importAssistants(assistants, options, report, collected);
  for (const file of Object.values(exported.assistantFiles)) note(files, file.id, storedFile(file));

  progress.start("threads", exported.threadFiles.length);
  for (const file of exported.threadFiles) {
    progress.tick();
    let record: ThreadExport;
    try {
      record = await readThreadExport(directory, file);
    } catch (error) {
      if (!(error instanceof ExportInputError)) throw error;
      report.problems.push({ file: error.file, problem: error.problem });
      continue;
    }
    await importThreadRecord(record, options, report, collected);
  }
  progress.done();
  const reported = new Set(report.notExported.map((thread) => thread.threadId));
  for (const failed of exported.failedThreads) if (!reported.has(failed.threadId)) report.notExported.push({ threadId: failed.threadId, error: failed.error });

  const withBytes = await importFiles({ ...options, localFiles }, [...files.values()].sort((left, right) => left.id.localeCompare(right.id)), report);
  await reportMissing(store, references, { files, assistants: new Set(assistants.map((assistant) => assistant.id)) }, report);
  await vectorStores.apply({ store, dryRun, withBytes }, report);
  return report;
}

/** One transaction for all of assistants.json: it is one file, imported whole or not at all. */
async function importAssistants(assistants: readonly Assistant[], options: ImportOptions, report: ImportReport, collected: Collected): Promise<void> {
  const outcomes = await writeOrRollBack(options.store, options.dryRun, async (transaction) => {
    const written: [Assistant, Outcome][] = [];
    for (const assistant of assistants) written.push([assistant, await putObject(transaction.assistants, assistant, options.overwrite)]);
    return written;
  });
  for (const [assistant, outcome] of outcomes) {
    countOutcome(report, "assistant", assistant.id, outcome);
    if (outcome === "conflict") continue;
    collected.vectorStores.noteAssistant(assistant);
    for (const fileId of assistantFileIds(assistant)) note(collected.references.files, fileId, { referencedBy: assistant.id });
  }
}

/** Imports one thread file's thread (one transaction) and collects what the later steps need from it. */
async function importThreadRecord(record: ThreadExport, options: ImportOptions, report: ImportReport, collected: Collected): Promise<void> {
  if (!record.thread) {
    report.notExported.push({ threadId: record.thread_id, error: record.errors?.[0]?.error ?? "not exported" });
    return;
  }
  const contents = storedThreadContents(record.thread, record, Math.floor(Date.parse(record.exported_at) / 1000));
  if (!(await importThread(options.store, contents, options, report))) return;
  collected.vectorStores.noteThread(contents.thread, contents.messages);
  for (const file of Object.values(record.files)) note(collected.files, file.id, storedFile(file));
  // The exporter lists Files it could not fetch (deleted, expired) in `errors`, with why.
  const reasons = new Map((record.errors ?? []).flatMap((error) => (typeof error.id === "string" && error.error ? [[error.id, error.error]] : [])));
  for (const fileId of threadFileIds(contents.thread, contents.messages, contents.steps)) {
    const reason = reasons.get(fileId);
    note(collected.references.files, fileId, { referencedBy: record.thread_id, ...(reason ? { reason } : {}) });
  }
  for (const owner of [...contents.runs, ...contents.messages]) {
    if (owner.assistant_id) note(collected.references.assistants, owner.assistant_id, record.thread_id);
  }
}

/** Named files and assistants that neither the export nor this Spool has (a deleted file, say). */
async function reportMissing(store: Store, references: References, exported: { files: Map<string, StoredFile>; assistants: Set<string> }, report: ImportReport): Promise<void> {
  for (const [fileId, reference] of [...references.files].sort(([left], [right]) => left.localeCompare(right))) {
    if (!exported.files.has(fileId) && !(await store.files.get(fileId))) report.missingFiles.push({ fileId, ...reference });
  }
  for (const [assistantId, referencedBy] of references.assistants) {
    if (!exported.assistants.has(assistantId) && !(await store.assistants.get(assistantId))) report.missingAssistants.push({ assistantId, referencedBy });
  }
}
