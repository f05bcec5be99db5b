import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BlobStore, OpenedBlob } from "./blob-store.js";

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/** Blobs on local disk, one file per id under `directory` (`<dataDir>/files/`): one process, or a shared disk. */
export class FilesystemBlobStore implements BlobStore {
  /** Writes land here first and are renamed into place once complete, so a failed write leaves no part. */
  private readonly incoming: string;

  /**
   * `removeLeftovers: false` is for a process opening the directory beside a running server (the `spool`
   * command): what is in `.incoming` may then be the server's uploads in flight, not leftovers.
   */
  constructor(
    private readonly directory: string,
    options: { removeLeftovers?: boolean } = {},
  ) {
    this.incoming = path.join(directory, ".incoming");
    // Leftovers are writes a previous process never finished.
    if (options.removeLeftovers ?? true) fs.rmSync(this.incoming, { recursive: true, force: true });
    fs.mkdirSync(this.incoming, { recursive: true });
  }

  async write(id: string, source: Readable): Promise<number> {
    return this.writeVia(id, async (partial) => {
      await pipeline(source, fs.createWriteStream(partial));
      return (await fsp.stat(partial)).size;
    });
  }

  async writeBytes(id: string, bytes: Uint8Array): Promise<void> {
    await this.writeVia(id, (partial) => fsp.writeFile(partial, bytes));
  }

  async open(id: string): Promise<OpenedBlob | undefined> {
    const handle = await fsp.open(this.pathOf(id)).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (!handle) return undefined;
    try {
      // Sized from the open descriptor, so a rename over the name in between cannot mismatch size and bytes.
      const { size } = await handle.stat();
      return { stream: handle.createReadStream(), size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async readBytes(id: string): Promise<Buffer | undefined> {
    try {
      return await fsp.readFile(this.pathOf(id));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await fsp.rm(this.pathOf(id), { force: true });
  }

  async withLocalFile<T>(id: string, use: (path: string) => Promise<T>): Promise<T | undefined> {
    const target = this.pathOf(id);
    const exists = await fsp.stat(target).then(
      () => true,
      (error: unknown) => {
        if (isMissing(error)) return false;
        throw error;
      },
    );
    return exists ? use(target) : undefined;
  }

  async close(): Promise<void> {}

  private pathOf(id: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`Invalid blob id: ${id}`);
    return path.join(this.directory, id);
  }

  private async writeVia<T>(id: string, writePartial: (partial: string) => Promise<T>): Promise<T> {
    const target = this.pathOf(id);
    const partial = path.join(this.incoming, `${id}.${randomBytes(6).toString("hex")}`);
    try {
      const result = await writePartial(partial);
      await fsp.rename(partial, target);
      return result;
    } catch (error) {
      await fsp.rm(partial, { force: true });
      throw error;
    }
  }
}
