import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { throwawayPostgresForFile } from "../../testing/postgres-for-file.js";
import { openPostgresStore } from "../sql/postgres-store.js";
import { defineBlobStoreContract } from "./blob-store.contract.js";
import type { BlobStore } from "./blob-store.js";
import { openPostgresBlobStore } from "./postgres-blob-store.js";

const postgres = throwawayPostgresForFile();

/** A fresh database, migrated by the Postgres store as at startup, and blob storage in it. */
async function openFresh(scratchDir: string): Promise<BlobStore> {
  const url = await postgres.freshDatabase("blobs");
  await (await openPostgresStore(url)).close();
  return openPostgresBlobStore(url, { scratchDir });
}

const newScratchDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-blob-scratch-")), "scratch");

defineBlobStoreContract("postgres", () => openFresh(newScratchDir()));

describe("postgres blob store local copies", () => {
  it("removes the temporary copy once the callback settles, also when it throws", async () => {
    const scratchDir = newScratchDir();
    const blobs = await openFresh(scratchDir);
    try {
      await blobs.writeBytes("file-copied", Buffer.from("copy me"));
      const seen = await blobs.withLocalFile("file-copied", async (local) => {
        expect(local.startsWith(scratchDir + path.sep)).toBe(true);
        return fs.readFileSync(local, "utf8");
      });
      expect(seen).toBe("copy me");
      expect(fs.readdirSync(scratchDir)).toEqual([]);
      await expect(blobs.withLocalFile("file-copied", async () => Promise.reject(new Error("extraction failed")))).rejects.toThrow("extraction failed");
      expect(fs.readdirSync(scratchDir)).toEqual([]);
    } finally {
      await blobs.close();
    }
  });
});
