import type { FilePurpose, StoredFile } from "../domain/files.js";
import { newId } from "../domain/ids.js";
import { unixNow } from "../domain/time.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { Store } from "../storage/store.js";
import { detachFile } from "./vector-store-bookkeeping.js";

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

/** Undoes `saveGeneratedFile` for a file nothing refers to yet: its record and its bytes. */
export async function discardGeneratedFile({ store, blobs }: { store: Store; blobs: Pick<BlobStore, "delete"> }, fileId: string): Promise<void> {
  await store.files.delete(fileId);
  await blobs.delete(fileId);
}

/** What deleting a File touches: its record and vector store entries, its bytes, and the search index. */
export interface FileDeletion {
  store: Store;
  blobs: Pick<BlobStore, "delete">;
  /** Drops the file's chunks from a vector store's index (after the commit that detached it). */
  forget: (vectorStoreId: string, fileId: string) => Promise<void>;
}

/**
 * Deletes a file, its place in every vector store of its project (counts included), its bytes and its
 * chunks. The row's delete decides who deletes it: a racing deleter (another process's sweep, a request)
 * waits for it and then finds nothing to delete, so it returns false and changes nothing.
 */
export async function deleteStoredFile({ store, blobs, forget }: FileDeletion, fileId: string): Promise<boolean> {
  const detachedFrom = await store.transaction(async (transaction) => {
    if (!(await transaction.files.delete(fileId))) return undefined;
    const stores: string[] = [];
    for (const vectorStore of await transaction.vectorStores.findAll({})) {
      if (await detachFile(transaction, vectorStore.id, fileId)) stores.push(vectorStore.id);
    }
    return stores;
  });
  if (!detachedFrom) return false;
  await blobs.delete(fileId);
  for (const vectorStoreId of detachedFrom) await forget(vectorStoreId, fileId);
  return true;
}

/** Files deleted per sweep at most; the next sweep goes on with the rest. */
const expiredFilesPerSweep = 100;

/**
 * As hosted, a file is deleted when it expires (reads treat it as gone already). Pass an unscoped store to
 * sweep every project; safe on every process at once. Returns how many files this call deleted.
 */
export async function deleteExpiredFiles(deletion: FileDeletion, now = unixNow()): Promise<number> {
  let deleted = 0;
  for (const { id, projectId } of await deletion.store.files.findExpired(now, expiredFilesPerSweep)) {
    // In its project, whose vector stores are the only ones that can hold it.
    if (await deleteStoredFile({ ...deletion, store: deletion.store.forProject(projectId) }, id)) deleted += 1;
  }
  return deleted;
}
