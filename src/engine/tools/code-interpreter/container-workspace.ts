import { readFile } from "node:fs/promises";
import type { ContainerFile } from "../../../domain/containers.js";
import { nameInContainer, saveCodeImage, saveCodeOutput, touchContainer } from "../../../records/container-records.js";
import type { CodeSandbox, ExecutionResult } from "../../../sandbox/code-sandbox.js";
import type { BlobStore } from "../../../storage/blobs/blob-store.js";
import type { Store } from "../../../storage/store.js";
import { isPrintableName, unprintableNameNote, type CodeWorkspace, type KeptOutputs } from "./code-workspace.js";
import type { SessionFiles } from "./session-files.js";

/** A container file as the session holds it: another version under the same id is written again. */
const versionOf = (file: ContainerFile) => `${file.id}@${file.bytes}`;

/**
 * A response's code runs in its container: the session is the container's, /mnt/data holds its files
 * (written in before each cell, from whichever process added them), and what the code writes or shows
 * is kept as container files, so the next response naming the container sees it. Each cell counts as
 * activity of the container.
 */
export async function openContainerWorkspace(
  dependencies: { store: Store; blobs: BlobStore; sandbox: CodeSandbox; used: (sessionId: string) => void },
  containerId: string,
): Promise<CodeWorkspace> {
  const { store, blobs, sandbox, used } = dependencies;
  if (!(await store.containers.get(containerId))) throw new Error(`Container ${containerId} no longer exists.`);
  const links = new Map<string, string>();
  const known = await store.containerFiles.findAll({ parentId: containerId });
  for (const file of known) links.set(nameInContainer(file), file.id);

  async function prepare(files: SessionFiles, signal: AbortSignal): Promise<string[]> {
    const notes: string[] = [];
    for (const file of await store.containerFiles.findAll({ parentId: containerId })) {
      if (files.placed.has(versionOf(file))) continue;
      signal.throwIfAborted();
      const content = await blobs.readBytes(file.id);
      if (!content) {
        notes.push(`[${file.path} is not available: the file was deleted.]`);
        continue;
      }
      await sandbox.putFile(containerId, nameInContainer(file), content);
      used(containerId);
      files.placed.add(versionOf(file));
      links.set(nameInContainer(file), file.id);
    }
    return notes;
  }

  async function keep(files: SessionFiles, result: ExecutionResult): Promise<KeptOutputs> {
    const imageIds: string[] = [];
    for (const image of result.images) imageIds.push((await saveCodeImage(store, blobs, containerId, image)).id);
    const saved: KeptOutputs["saved"] = [];
    const notes: string[] = [];
    for (const output of result.files) {
      if (!isPrintableName(output.name)) {
        notes.push(unprintableNameNote);
        continue;
      }
      const file = await saveCodeOutput(store, blobs, containerId, output.name, new Uint8Array(await readFile(output.hostPath)));
      // The session holds these bytes already, so they are not written in again.
      files.placed.add(versionOf(file));
      links.set(output.name, file.id);
      saved.push({ name: output.name, fileId: file.id });
    }
    await touchContainer(store, containerId);
    return { imageIds, saved, notes };
  }

  return { sessionId: containerId, fileNames: known.map(nameInContainer), imagesInMessage: false, prepare, keep, links: () => links };
}
