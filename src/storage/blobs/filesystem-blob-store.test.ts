import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { defineBlobStoreContract } from "./blob-store.contract.js";
import { FilesystemBlobStore } from "./filesystem-blob-store.js";

defineBlobStoreContract("filesystem", async () => new FilesystemBlobStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-blobs-")), "files")));

describe("FilesystemBlobStore opened beside a running one", () => {
  it("leaves the other's writes in flight alone with removeLeftovers: false", async () => {
    const directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-blobs-")), "files");
    const server = new FilesystemBlobStore(directory);
    const upload = new PassThrough();
    const writing = server.write("file-inflight", upload);
    upload.write("first half, ");
    // Wait until the partial exists, so the second store really opens while the write is in flight.
    await expect.poll(() => fs.readdirSync(path.join(directory, ".incoming")).length).toBe(1);

    const command = new FilesystemBlobStore(directory, { removeLeftovers: false });
    upload.end("second half");
    await writing;
    expect((await command.readBytes("file-inflight"))?.toString()).toBe("first half, second half");
  });
});
