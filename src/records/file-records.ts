import type { FilePurpose, StoredFile } from "../domain/files.js";
import { newId } from "../domain/ids.js";
import { unixNow } from "../domain/time.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { Store } from "../storage/store.js";

/** A File object as stored; uploads (resources) and generated outputs (engine) both make them here. */
export function fileRecord(id: string, filename: string, bytes: number, purpose: FilePurpose, expiresAt: number | null, createdAt = unixNow()): StoredFile {
  return {
    id,
    object: "file",
    bytes,
    created_at: createdAt,
    expires_at: expiresAt,
    filename,
    purpose,
    status: "processed",
    status_details: null,
  };
}

/**
 * Stores a file the server produced itself, e.g. a code interpreter output (`purpose: "assistants_output"`).
 * Pass the request's or run's store; the bytes are written first so the record never points at nothing.
 */
export async function saveGeneratedFile(
  { store, blobs }: { store: Store; blobs: Pick<BlobStore, "writeBytes" | "delete"> },
  input: { filename: string; bytes: Uint8Array; purpose?: FilePurpose },
): Promise<StoredFile> {
  const id = newId("file");
  await blobs.writeBytes(id, input.bytes);
  const file = fileRecord(id, input.filename, input.bytes.byteLength, input.purpose ?? "assistants_output", null);
  try {
    await store.files.insert(file);
  } catch (error) {
    await blobs.delete(id);
    throw error;
  }
  return file;
}
