import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";

/** File bytes on local disk, one file per File id, under `<dataDir>/files/`. */
export class FileBlobs {
  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
  }

  pathOf(fileId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(fileId)) throw new Error(`Invalid file id for storage: ${fileId}`);
    return path.join(this.directory, fileId);
  }

  /** Streams `source` to disk (never whole in memory); returns the byte count. */
  async write(fileId: string, source: Readable): Promise<number> {
    const target = this.pathOf(fileId);
    await pipeline(source, fs.createWriteStream(target));
    return (await fsp.stat(target)).size;
  }

  async writeBytes(fileId: string, bytes: Uint8Array): Promise<void> {
    await fsp.writeFile(this.pathOf(fileId), bytes);
  }

  read(fileId: string): Promise<Buffer> {
    return fsp.readFile(this.pathOf(fileId));
  }

  async delete(fileId: string): Promise<void> {
    await fsp.rm(this.pathOf(fileId), { force: true });
  }
}
