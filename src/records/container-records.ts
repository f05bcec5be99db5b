import path from "node:path";
import type { Readable } from "node:stream";
import type { Container, ContainerExpiry, ContainerFile, ContainerMemoryLimit } from "../domain/containers.js";
import { newId } from "../domain/ids.js";
import { unixNow } from "../domain/time.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { Store } from "../storage/store.js";

/**
 * Container bookkeeping below both the API resources and the engine: records, expiry, activity, and the
 * files the code sees under /mnt/data. A container file's bytes are the blob under its id. Nothing here
 * knows about HTTP.
 */

export const mountDir = "/mnt/data";

/** The hosted default: a container unused for 20 minutes expires. */
export const defaultContainerExpiry: ContainerExpiry = { anchor: "last_active_at", minutes: 20 };

export function containerRecord(input: { name: string; expiresAfter?: ContainerExpiry; memoryLimit?: ContainerMemoryLimit; threadId?: string }): Container {
  const now = unixNow();
  return {
    id: newId("container"),
    object: "container",
    name: input.name,
    created_at: now,
    status: "running",
    last_active_at: now,
    expires_after: input.expiresAfter ?? defaultContainerExpiry,
    memory_limit: input.memoryLimit ?? "1g",
    // The sandbox has no network at all.
    network_policy: { type: "disabled" },
    thread_id: input.threadId ?? null,
    file_ids: [],
  };
}

export function isContainerExpired(container: Container, now = unixNow()): boolean {
  return container.status === "expired" || now >= container.last_active_at + container.expires_after.minutes * 60;
}

/** The container with the status it has now. */
export function withCurrentStatus(container: Container, now = unixNow()): Container {
  return { ...container, status: isContainerExpired(container, now) ? "expired" : "running" };
}

/** Records activity (code run, files added), which moves its expiry on; an expired container stays expired. */
export async function touchContainer(store: Store, containerId: string): Promise<void> {
  await store.transaction(async (transaction) => {
    const container = await transaction.containers.getForUpdate(containerId);
    if (container && !isContainerExpired(container)) await transaction.containers.update({ ...container, last_active_at: unixNow() });
  });
}

/**
 * As hosted, an expired container's data is gone: the files of containers that have expired are deleted
 * and the containers recorded as `expired` (they stay listed). Safe on every process at once. Returns how
 * many containers it emptied.
 */
export async function discardExpiredContainers(store: Store, blobs: Pick<BlobStore, "delete">, now = unixNow()): Promise<number> {
  let emptied = 0;
  for (const container of await store.containers.findAll({ statuses: ["running"] })) {
    if (!isContainerExpired(container, now)) continue;
    const expired = await store.transaction(async (transaction) => {
      const current = await transaction.containers.getForUpdate(container.id);
      if (!current || current.status === "expired" || !isContainerExpired(current, now)) return false;
      await transaction.containers.update({ ...current, status: "expired" });
      return true;
    });
    if (!expired) continue;
    await deleteContainerFiles(store, blobs, container.id);
    emptied += 1;
  }
  return emptied;
}

/** The latest container `auto` made for this thread that has not expired, for the thread's next response. */
export async function activeThreadContainer(store: Store, threadId: string): Promise<Container | undefined> {
  const containers = await store.containers.findAll({ parentId: threadId });
  return containers.reverse().find((container) => !isContainerExpired(container));
}

/** The name of a path under /mnt/data (`report.csv`, `out/chart.png`). */
export function nameInContainer(file: Pick<ContainerFile, "path">): string {
  return path.posix.relative(mountDir, file.path);
}

/** The file name a citation shows. */
export function containerFileName(file: Pick<ContainerFile, "path">): string {
  return path.posix.basename(file.path);
}

/**
 * A name under /mnt/data for a file the user adds: its own name without directories or control
 * characters (which would make a name the model cannot type or that leaves /mnt/data), or, when another
 * file has that name already, the name with the new file's id before the extension
 * (`data-cfile_abc.csv`), so no file hides another.
 */
export function uniqueFileName(filename: string, fileId: string, taken: ReadonlySet<string>): string {
  const printable = Array.from(filename.replaceAll("\\", "/")).filter((character) => (character.codePointAt(0) ?? 0) >= 0x20 && character !== "\u007f");
  const cleaned = path.posix.basename(printable.join("")).trim();
  const base = cleaned === "" || cleaned === "." || cleaned === ".." ? fileId : cleaned;
  if (!taken.has(base)) return base;
  const extension = path.posix.extname(base);
  return `${base.slice(0, base.length - extension.length)}-${fileId}${extension}`;
}

type ContainerBlobs = Pick<BlobStore, "write" | "writeBytes" | "delete">;

/** Records a file the user added whose bytes are already the blob `id`, under a name no other file of the container has. */
export async function recordUserFile(store: Store, containerId: string, input: { id: string; filename: string; bytes: number }): Promise<ContainerFile> {
  const taken = new Set((await store.containerFiles.findAll({ parentId: containerId })).map(nameInContainer));
  const file: ContainerFile = {
    id: input.id,
    object: "container.file",
    container_id: containerId,
    created_at: unixNow(),
    bytes: input.bytes,
    path: `${mountDir}/${uniqueFileName(input.filename, input.id, taken)}`,
    source: "user",
  };
  await store.containerFiles.insert(file);
  return file;
}

/** Streams a file the user gave into the container; the bytes are written first, so the record never points at nothing. */
async function addUserFile(store: Store, blobs: ContainerBlobs, containerId: string, input: { filename: string; content: Readable }): Promise<ContainerFile> {
  const id = newId("containerFile");
  const bytes = await blobs.write(id, input.content);
  try {
    return await recordUserFile(store, containerId, { id, filename: input.filename, bytes });
  } catch (error) {
    await blobs.delete(id);
    throw error;
  }
}

/** Copies a File (`file_ids`) into the container and notes it there; undefined when the File or its bytes are gone. */
export async function copyFileIntoContainer(store: Store, blobs: ContainerBlobs & Pick<BlobStore, "open">, containerId: string, fileId: string): Promise<ContainerFile | undefined> {
  const file = await store.files.get(fileId);
  const opened = file && (await blobs.open(fileId));
  if (!file || !opened) return undefined;
  const added = await addUserFile(store, blobs, containerId, { filename: file.filename, content: opened.stream });
  await store.transaction(async (transaction) => {
    const container = await transaction.containers.getForUpdate(containerId);
    if (container && !container.file_ids.includes(fileId)) await transaction.containers.update({ ...container, file_ids: [...container.file_ids, fileId] });
  });
  return added;
}

/**
 * Keeps a file the code wrote at `name` under /mnt/data. A file already at that path gets the new bytes
 * under its id (citations of it stay valid and show the latest version); otherwise a new file is added.
 */
export async function saveCodeOutput(store: Store, blobs: ContainerBlobs, containerId: string, name: string, bytes: Uint8Array): Promise<ContainerFile> {
  const filePath = `${mountDir}/${name}`;
  const existing = (await store.containerFiles.findAll({ parentId: containerId })).find((file) => file.path === filePath);
  const file: ContainerFile = existing
    ? { ...existing, bytes: bytes.byteLength }
    : { id: newId("containerFile"), object: "container.file", container_id: containerId, created_at: unixNow(), bytes: bytes.byteLength, path: filePath, source: "assistant" };
  await blobs.writeBytes(file.id, bytes);
  if (existing) await store.containerFiles.update(file);
  else await store.containerFiles.insert(file);
  return file;
}

/** Keeps an image the code showed (a chart) as a file of its own, `/mnt/data/<its id>.png`. */
export async function saveCodeImage(store: Store, blobs: ContainerBlobs, containerId: string, bytes: Uint8Array): Promise<ContainerFile> {
  const id = newId("containerFile");
  const file: ContainerFile = { id, object: "container.file", container_id: containerId, created_at: unixNow(), bytes: bytes.byteLength, path: `${mountDir}/${id}.png`, source: "assistant" };
  await blobs.writeBytes(id, bytes);
  await store.containerFiles.insert(file);
  return file;
}

/** Deletes the container's files and their bytes (the container record is the caller's). */
export async function deleteContainerFiles(store: Store, blobs: Pick<BlobStore, "delete">, containerId: string): Promise<void> {
  const files = await store.containerFiles.findAll({ parentId: containerId });
  await store.containerFiles.deleteByParent(containerId);
  for (const file of files) await blobs.delete(file.id);
}
