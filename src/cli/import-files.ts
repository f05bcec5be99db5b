import fs from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { StoredFile } from "../domain/files.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { Store } from "../storage/store.js";
import { countOutcome, type ImportReport } from "./import-report.js";
import type { LocalFiles, LocalMatch } from "./local-files.js";
import type { Progress } from "./progress.js";
import { putObject, writeOrRollBack } from "./put-object.js";

async function hasBytes(blobs: BlobStore, fileId: string): Promise<boolean> {
  const blob = await blobs.open(fileId);
  blob?.stream.destroy();
  return blob !== undefined;
}

const noMatch: LocalMatch = { kind: "none" };

/**
 * Imports File objects (metadata) and, from `localFiles`, their bytes under the same ids. Bytes are
 * written before the object, so a File never points at bytes that are not there yet; bytes already here
 * stay unless the File is overwritten. Returns the ids that have bytes afterwards (or would, in a dry run).
 */
export async function importFiles(
  context: { store: Store; blobs: BlobStore; overwrite: boolean; dryRun: boolean; localFiles: LocalFiles | undefined; progress: Progress },
  files: readonly StoredFile[],
  report: ImportReport,
): Promise<Set<string>> {
  const { store, blobs, overwrite, dryRun, progress } = context;
  const withBytes = new Set<string>();
  progress.start("files", files.length);
  for (const file of files) {
    progress.tick();
    const existing = await store.files.get(file.id);
    const present = await hasBytes(blobs, file.id);
    const differs = existing !== undefined && !isDeepStrictEqual(existing, file);
    if (differs && !overwrite) {
      countOutcome(report, "file", file.id, "conflict");
      if (present) withBytes.add(file.id);
      continue;
    }
    const match = context.localFiles?.match(file) ?? noMatch;
    const upload = match.kind === "found" && (!present || differs);
    if (upload) {
      if (!dryRun) await blobs.write(file.id, fs.createReadStream(match.file.path));
      report.uploaded.push({ fileId: file.id, path: match.file.path });
    }
    countOutcome(report, "file", file.id, await writeOrRollBack(store, dryRun, (transaction) => putObject(transaction.files, file, overwrite)));
    if (present || upload) withBytes.add(file.id);
    else report.withoutBytes.push({ fileId: file.id, filename: file.filename, ...(match.kind === "unusable" ? { note: match.note } : {}) });
  }
  progress.done();
  return withBytes;
}
