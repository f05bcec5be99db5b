import type { BlobStore } from "../../../storage/blobs/blob-store.js";

/** A file the thread's code wrote under /mnt/data, saved as the File `fileId`. */
export interface KeptFile {
  name: string;
  fileId: string;
  bytes: number;
}

/**
 * What a thread's /mnt/data holds across processes, newest last. Every file a cell writes is saved as a
 * File anyway, so only this list is extra; these bounds keep a session that moves to another process
 * quick to restore (files past them, oldest first, are not restored).
 */
export const keptFilesLimits = { files: 64, bytes: 256 * 1024 * 1024 };

/** `previous` with `written` replacing files of the same name, newest last, the oldest dropped past `limits`. */
export function keepNewest(previous: KeptFile[], written: KeptFile[], limits = keptFilesLimits): KeptFile[] {
  const writtenNames = new Set(written.map((file) => file.name));
  const candidates = [...previous.filter((file) => !writtenNames.has(file.name)), ...written];
  const kept: KeptFile[] = [];
  let bytes = 0;
  for (const file of candidates.reverse()) {
    if (kept.length >= limits.files || bytes + file.bytes > limits.bytes) break;
    kept.push(file);
    bytes += file.bytes;
  }
  return kept.reverse();
}

function isKeptFile(value: unknown): value is KeptFile {
  if (typeof value !== "object" || value === null) return false;
  const { name, fileId, bytes } = value as Record<string, unknown>;
  return typeof name === "string" && typeof fileId === "string" && typeof bytes === "number";
}

/**
 * The kept-file list of each thread's sandbox session, as a small JSON blob beside the files' bytes, so
 * the thread's next run finds its files on whichever process runs it. Runs of one thread never overlap,
 * so reading, changing and writing the list back needs no lock.
 */
export class SessionManifests {
  constructor(private readonly blobs: Pick<BlobStore, "readBytes" | "writeBytes">) {}

  async load(threadId: string): Promise<KeptFile[]> {
    const stored = await this.blobs.readBytes(this.blobIdOf(threadId));
    if (!stored) return [];
    try {
      const parsed: unknown = JSON.parse(stored.toString("utf8"));
      return Array.isArray(parsed) ? parsed.filter(isKeptFile) : [];
    } catch {
      // Not worth failing a run over: the files are still Files, only their restoring is lost.
      return [];
    }
  }

  async record(threadId: string, written: KeptFile[]): Promise<void> {
    if (written.length === 0) return;
    const kept = keepNewest(await this.load(threadId), written);
    await this.blobs.writeBytes(this.blobIdOf(threadId), Buffer.from(JSON.stringify(kept)));
  }

  private blobIdOf(threadId: string): string {
    return `code-session-${threadId}`;
  }
}
