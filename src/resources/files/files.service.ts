import { Readable } from "node:stream";
import type { AppDependencies } from "../../app-dependencies.js";
import type { StoredFile } from "../../domain/files.js";
import { unixNow } from "../../domain/time.js";
import { NotFoundError } from "../../errors/api-error.js";
import { parseWith } from "../../http/validation.js";
import type { ListPage } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";
import { deleteStoredFile, fileRecord } from "../../records/file-records.js";
import { containerFileName } from "../../records/container-records.js";
import { idPrefixes } from "../../domain/ids.js";
import { contentDispositionOf, contentTypeOf } from "./content-type.js";
import { uploadFieldsSchema } from "./files.schema.js";
import type { ReceivedUpload } from "./multipart-upload.js";

/** Batch files expire after 30 days unless the upload says otherwise; other purposes never do. */
const batchExpirySeconds = 30 * 86_400;

/** Records an upload whose bytes are already stored; on a bad form the bytes are removed again. */
export async function createUploadedFile({ store, blobs }: Pick<AppDependencies, "store" | "blobs">, upload: ReceivedUpload): Promise<StoredFile> {
  try {
    const fields = parseWith(uploadFieldsSchema, upload.fields);
    const now = unixNow();
    const seconds = fields["expires_after[seconds]"] ?? (fields.purpose === "batch" ? batchExpirySeconds : undefined);
    const file = fileRecord(upload.fileId, upload.filename, upload.bytes, fields.purpose, seconds === undefined ? null : now + seconds, now);
    await store.transaction((transaction) => transaction.files.insert(file));
    return file;
  } catch (error) {
    await blobs.delete(upload.fileId);
    throw error;
  }
}

export async function getFile(store: Store, fileId: string): Promise<StoredFile> {
  const file = await store.files.get(fileId);
  if (!file) throw NotFoundError.object("file", fileId);
  return file;
}

/**
 * A File, or a container file read as one: a response's code_interpreter writes container files, and an
 * Assistants client reading that run's steps (on the same thread) gets their `cfile_` ids. It can retrieve
 * and download them like the files its own runs write; they are listed and deleted through the Containers API.
 */
export async function getReadableFile(store: Store, fileId: string): Promise<StoredFile> {
  if (!fileId.startsWith(idPrefixes.containerFile)) return getFile(store, fileId);
  const file = await store.containerFiles.get(fileId);
  if (!file) throw NotFoundError.object("file", fileId);
  const { id, bytes, created_at } = file;
  return { id, object: "file", bytes, created_at, expires_at: null, filename: containerFileName(file), purpose: "assistants_output", status: "processed", status_details: null };
}

export function listFiles(store: Store, query: { purpose?: string; limit: number; order: "asc" | "desc"; after?: string }): Promise<ListPage<StoredFile>> {
  // The files table indexes `purpose` in its status column (see sql-store.ts).
  return store.files.list({
    limit: query.limit,
    order: query.order,
    ...(query.after ? { after: query.after } : {}),
    ...(query.purpose ? { statuses: [query.purpose] } : {}),
  });
}

/** Deletes a file, its bytes, and its place in every vector store (counts and index included). */
export async function deleteFile({ store, blobs, retrieval }: Pick<AppDependencies, "store" | "blobs" | "retrieval">, fileId: string) {
  // An expired file is gone already, even before the sweep deletes it.
  await getFile(store, fileId);
  const deleted = await deleteStoredFile({ store, blobs, forget: (vectorStoreId, id) => retrieval.forget(vectorStoreId, id) }, fileId);
  if (!deleted) throw NotFoundError.object("file", fileId);
  return { id: fileId, object: "file" as const, deleted: true };
}

/** The raw bytes as a streamed response with the file's real MIME type. */
export async function fileContentResponse({ store, blobs }: Pick<AppDependencies, "store" | "blobs">, fileId: string): Promise<Response> {
  const file = await getReadableFile(store, fileId);
  const blob = await blobs.open(fileId);
  if (!blob) throw NotFoundError.object("file content", fileId);
  const body = Readable.toWeb(blob.stream) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": contentTypeOf(file.filename),
      "content-length": String(blob.size),
      "content-disposition": contentDispositionOf(file.filename),
    },
  });
}
