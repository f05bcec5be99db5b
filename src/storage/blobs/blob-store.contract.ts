import fsp from "node:fs/promises";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore } from "./blob-store.js";

const mebibyte = 1024 * 1024;

/** Deterministic bytes that differ at every offset mod 251, so a misplaced or repeated piece shows. */
function patterned(length: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += 1) bytes[offset] = (offset + seed) % 251;
  return bytes;
}

/** `bytes` as a stream of 64 KiB reads, like a socket or a file stream hands them over. */
function streamOf(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.byteLength; offset += 64 * 1024) yield bytes.subarray(offset, offset + 64 * 1024);
    })(),
    { objectMode: false },
  );
}

/** A source that sends `bytes` and then fails, like a client hanging up mid-upload. */
function failingAfter(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      throw new Error("the client went away");
    })(),
    { objectMode: false },
  );
}

async function piecesOf(stream: Readable): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(piece as Buffer);
  return pieces;
}

/** What callers rely on from blob storage; every BlobStore implementation (disk, Postgres, …) runs this suite. */
export function defineBlobStoreContract(name: string, open: () => Promise<BlobStore>): void {
  describe(`${name}: blob store contract`, () => {
    let blobs: BlobStore;
    beforeEach(async () => {
      blobs = await open();
    });
    afterEach(async () => {
      await blobs.close();
    });

    it("round-trips a multi-chunk file by stream, in pieces of at most 1 MiB", async () => {
      const bytes = patterned(3.5 * mebibyte);
      expect(await blobs.write("file-big", streamOf(bytes))).toBe(bytes.byteLength);
      const opened = await blobs.open("file-big");
      expect(opened?.size).toBe(bytes.byteLength);
      const pieces = await piecesOf(opened!.stream);
      // The reader never hands over (so never holds) much more than a chunk at a time.
      expect(pieces.length).toBeGreaterThanOrEqual(4);
      expect(Math.max(...pieces.map((piece) => piece.byteLength))).toBeLessThanOrEqual(mebibyte);
      expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
      expect((await blobs.readBytes("file-big"))?.equals(bytes)).toBe(true);
    });

    it("keeps small and empty blobs written from bytes", async () => {
      await blobs.writeBytes("file-small", new TextEncoder().encode("héllo, 세계"));
      expect((await blobs.readBytes("file-small"))?.toString("utf8")).toBe("héllo, 세계");
      await blobs.writeBytes("file-empty", new Uint8Array());
      const empty = await blobs.open("file-empty");
      expect(empty?.size).toBe(0);
      expect(Buffer.concat(await piecesOf(empty!.stream)).byteLength).toBe(0);
      expect((await blobs.readBytes("file-empty"))?.byteLength).toBe(0);
    });

    it("answers undefined for a blob that does not exist", async () => {
      expect(await blobs.open("file-missing")).toBeUndefined();
      expect(await blobs.readBytes("file-missing")).toBeUndefined();
      let called = false;
      const result = await blobs.withLocalFile("file-missing", async () => {
        called = true;
        return "used";
      });
      expect(result).toBeUndefined();
      expect(called).toBe(false);
    });

    it("replaces a blob that is written again", async () => {
      await blobs.write("file-twice", streamOf(patterned(2.5 * mebibyte, 1)));
      await blobs.writeBytes("file-twice", Buffer.from("short now"));
      expect((await blobs.readBytes("file-twice"))?.toString()).toBe("short now");
      expect((await blobs.open("file-twice"))?.size).toBe(9);
    });

    it("deletes a blob, and deleting it again is fine", async () => {
      await blobs.writeBytes("file-doomed", Buffer.from("bye"));
      await blobs.delete("file-doomed");
      expect(await blobs.open("file-doomed")).toBeUndefined();
      await blobs.delete("file-doomed");
    });

    it("leaves nothing behind when the source fails mid-way, and keeps an earlier version", async () => {
      await expect(blobs.write("file-broken", failingAfter(patterned(2.5 * mebibyte)))).rejects.toThrow("the client went away");
      expect(await blobs.open("file-broken")).toBeUndefined();
      expect(await blobs.readBytes("file-broken")).toBeUndefined();

      await blobs.writeBytes("file-kept", Buffer.from("version 1"));
      await expect(blobs.write("file-kept", failingAfter(patterned(1.5 * mebibyte)))).rejects.toThrow("the client went away");
      expect((await blobs.readBytes("file-kept"))?.toString()).toBe("version 1");
    });

    it("lends a local path with the exact bytes for as long as the callback runs", async () => {
      const bytes = patterned(1.5 * mebibyte, 7);
      await blobs.write("file-local", streamOf(bytes));
      const size = await blobs.withLocalFile("file-local", async (path) => {
        expect((await fsp.readFile(path)).equals(bytes)).toBe(true);
        return (await fsp.stat(path)).size;
      });
      expect(size).toBe(bytes.byteLength);
    });
  });
}
