import fsp from "node:fs/promises";
import path from "node:path";
import type { StoredFile } from "../domain/files.js";

export interface LocalFile {
  path: string;
  size: number;
}

export type LocalMatch = { kind: "found"; file: LocalFile } | { kind: "none" } | { kind: "unusable"; note: string };

/** The name a File had when uploaded, without any directory (code interpreter outputs may carry /mnt/data/). */
function baseName(filename: string): string {
  return path.posix.basename(filename.replaceAll("\\", "/"));
}

function addTo(index: Map<string, LocalFile[]>, key: string, file: LocalFile): void {
  const files = index.get(key);
  if (files) files.push(file);
  else index.set(key, [file]);
}

/**
 * The original files a user kept (`--files DIR`, any depth), to re-upload under their File ids. A File
 * matches a file in a folder named by its id (how `spool export` writes them), else a file with its
 * filename and exactly its size. A name that fits several files of that size is not guessed at.
 */
export class LocalFiles {
  private readonly byName = new Map<string, LocalFile[]>();
  private readonly byFolder = new Map<string, LocalFile[]>();

  private constructor() {}

  static async scan(root: string): Promise<LocalFiles> {
    const files = new LocalFiles();
    await files.walk(root);
    return files;
  }

  private async walk(directory: string): Promise<void> {
    for (const entry of await fsp.readdir(directory, { withFileTypes: true })) {
      const entryPath = path.join(directory, entry.name);
      if (entry.isDirectory()) await this.walk(entryPath);
      if (!entry.isFile()) continue;
      const file = { path: entryPath, size: (await fsp.stat(entryPath)).size };
      addTo(this.byName, entry.name, file);
      addTo(this.byFolder, path.basename(directory), file);
    }
  }

  match(file: Pick<StoredFile, "id" | "filename" | "bytes">): LocalMatch {
    const name = baseName(file.filename);
    const inFolder = this.byFolder.get(file.id) ?? [];
    const byId = inFolder.length === 1 ? inFolder[0] : inFolder.find((candidate) => path.basename(candidate.path) === name);
    if (byId) {
      if (byId.size === file.bytes) return { kind: "found", file: byId };
      return { kind: "unusable", note: `${byId.path} has ${byId.size} bytes, the File ${file.bytes}` };
    }
    const named = this.byName.get(name) ?? [];
    const sized = named.filter((candidate) => candidate.size === file.bytes);
    const [only] = sized;
    if (only && sized.length === 1) return { kind: "found", file: only };
    if (sized.length > 1) return { kind: "unusable", note: `${sized.length} files named ${name} have ${file.bytes} bytes; put the right one in a folder named ${file.id}` };
    if (named.length > 0) return { kind: "unusable", note: `found ${name}, but not with the File's ${file.bytes} bytes` };
    return { kind: "none" };
  }
}
