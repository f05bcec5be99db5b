import { Readable } from "node:stream";
import type { AppDependencies } from "../../app-dependencies.js";
import type { Container, ContainerFile } from "../../domain/containers.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import {
  containerFileName,
  containerRecord,
  copyFileIntoContainer,
  deleteContainerFiles,
  isContainerExpired,
  recordUserFile,
  touchContainer,
} from "../../records/container-records.js";
import type { ListPage, ListQuery } from "../../storage/collection.js";
import { InvalidCursorError } from "../../storage/storage-errors.js";
import type { Store } from "../../storage/store.js";
import { contentDispositionOf, contentTypeOf } from "../files/content-type.js";
import type { ReceivedUpload } from "../files/multipart-upload.js";
import type { CreateContainerRequest } from "./containers.schema.js";

type Dependencies = Pick<AppDependencies, "store" | "blobs">;

export async function getContainer(store: Store, containerId: string): Promise<Container> {
  const container = await store.containers.get(containerId);
  if (!container) throw NotFoundError.object("container", containerId);
  return container;
}

/** A container a response or a new file may use: one that has expired has lost its session for good, as hosted. */
export async function getUsableContainer(store: Store, containerId: string, param: string | null = null): Promise<Container> {
  const container = await getContainer(store, containerId);
  if (isContainerExpired(container)) {
    throw new InvalidRequestError(`Container '${containerId}' has expired; create a new container (or use 'auto').`, { param, code: "container_expired" });
  }
  return container;
}

/** What a request asks of a container that this server cannot do, refused by name rather than ignored. */
export function assertServable(request: Pick<CreateContainerRequest, "network_policy" | "skills">, param: string): void {
  if (request.network_policy?.type === "allowlist") {
    throw new InvalidRequestError("Network access is not available: code on this server runs without a network. Use network_policy 'disabled' or leave it out.", { param: `${param}network_policy` });
  }
  if (request.skills?.length) throw new InvalidRequestError("Skills are not supported by this server.", { param: `${param}skills` });
}

/** Checks that every File exists before anything is written. */
export async function assertFilesExist(store: Store, fileIds: string[]): Promise<void> {
  for (const fileId of fileIds) if (!(await store.files.get(fileId))) throw NotFoundError.object("file", fileId);
}

/** Copies Files into a container, in the order given. */
export async function copyFiles({ store, blobs }: Dependencies, containerId: string, fileIds: string[]): Promise<void> {
  for (const fileId of fileIds) {
    if (!(await copyFileIntoContainer(store, blobs, containerId, fileId))) throw NotFoundError.object("file", fileId);
  }
}

export async function createContainer(dependencies: Dependencies, request: CreateContainerRequest): Promise<Container> {
  const { store } = dependencies;
  assertServable(request, "");
  const fileIds = request.file_ids ?? [];
  await assertFilesExist(store, fileIds);
  const container = containerRecord({
    name: request.name,
    ...(request.expires_after ? { expiresAfter: request.expires_after } : {}),
    ...(request.memory_limit ? { memoryLimit: request.memory_limit } : {}),
  });
  await store.transaction((transaction) => transaction.containers.insert(container));
  await copyFiles(dependencies, container.id, fileIds);
  return container;
}

/** Every container (`name` filters by exact name), newest first unless asked otherwise. */
export async function listContainers(store: Store, query: Pick<ListQuery, "limit" | "order" | "after"> & { name?: string }): Promise<ListPage<Container>> {
  if (query.name === undefined) return store.containers.list(query);
  const named = (await store.containers.findAll({})).filter((container) => container.name === query.name);
  if (query.order === "desc") named.reverse();
  let start = 0;
  if (query.after !== undefined) {
    start = named.findIndex((container) => container.id === query.after) + 1;
    if (start === 0) throw new InvalidCursorError("after", query.after);
  }
  return { data: named.slice(start, start + query.limit), hasMore: named.length > start + query.limit };
}

export async function deleteContainer({ store, blobs }: Dependencies, containerId: string) {
  await getContainer(store, containerId);
  await deleteContainerFiles(store, blobs, containerId);
  await store.containers.delete(containerId);
  return { id: containerId, object: "container.deleted" as const, deleted: true };
}

export async function getContainerFile(store: Store, containerId: string, fileId: string): Promise<ContainerFile> {
  await getContainer(store, containerId);
  const file = await store.containerFiles.get(fileId, containerId);
  if (!file) throw NotFoundError.object("container file", fileId);
  return file;
}

/** A File (`file_id`) copied into the container. */
export async function addFileById(dependencies: Dependencies, containerId: string, fileId: string): Promise<ContainerFile> {
  const { store, blobs } = dependencies;
  await getUsableContainer(store, containerId);
  const added = await copyFileIntoContainer(store, blobs, containerId, fileId);
  if (!added) throw NotFoundError.object("file", fileId);
  await touchContainer(store, containerId);
  return added;
}

/** An upload whose bytes are already stored under the new container file's id; they are removed again on failure. */
export async function addUploadedFile({ store, blobs }: Dependencies, containerId: string, upload: ReceivedUpload): Promise<ContainerFile> {
  try {
    await getUsableContainer(store, containerId);
    const added = await recordUserFile(store, containerId, { id: upload.fileId, filename: upload.filename, bytes: upload.bytes });
    await touchContainer(store, containerId);
    return added;
  } catch (error) {
    await blobs.delete(upload.fileId);
    throw error;
  }
}

export async function listContainerFiles(store: Store, containerId: string, query: Pick<ListQuery, "limit" | "order" | "after">): Promise<ListPage<ContainerFile>> {
  await getContainer(store, containerId);
  return store.containerFiles.list({ ...query, parentId: containerId });
}

export async function deleteContainerFile({ store, blobs }: Dependencies, containerId: string, fileId: string) {
  await getContainerFile(store, containerId, fileId);
  await store.containerFiles.delete(fileId, containerId);
  await blobs.delete(fileId);
  return { id: fileId, object: "container.file.deleted" as const, deleted: true };
}

/** The raw bytes, streamed, with the MIME type of the file's name. */
export async function containerFileContent({ store, blobs }: Dependencies, containerId: string, fileId: string): Promise<Response> {
  const file = await getContainerFile(store, containerId, fileId);
  const blob = await blobs.open(fileId);
  if (!blob) throw NotFoundError.object("container file content", fileId);
  const filename = containerFileName(file);
  return new Response(Readable.toWeb(blob.stream) as unknown as ReadableStream<Uint8Array>, {
    headers: { "content-type": contentTypeOf(filename), "content-length": String(blob.size), "content-disposition": contentDispositionOf(filename) },
  });
}
