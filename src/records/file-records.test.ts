import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unixNow } from "../domain/time.js";
import { FilesystemBlobStore } from "../storage/blobs/filesystem-blob-store.js";
import { openPostgresStore } from "../storage/sql/postgres-store.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import type { Store } from "../storage/store.js";
import { throwawayPostgresForFile } from "../testing/postgres-for-file.js";
import { deleteExpiredFiles, deleteStoredFile, fileRecord, type FileDeletion } from "./file-records.js";
import { saveVectorStoreFile } from "./vector-store-bookkeeping.js";
import { emptyVectorStore, queuedVectorStoreFile } from "./vector-store-objects.js";

const postgres = throwawayPostgresForFile();

let directory: string;
let blobs: FilesystemBlobStore;

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-file-expiry-"));
  blobs = new FilesystemBlobStore(path.join(directory, "files"));
});

afterAll(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** A file with bytes, in `vectorStoreId` when given. */
async function storedFile(store: Store, id: string, expiresAt: number | null, vectorStoreId?: string): Promise<void> {
  await blobs.writeBytes(id, Buffer.from(`bytes of ${id}`));
  await store.files.insert(fileRecord(id, `${id}.txt`, 10, "assistants", expiresAt));
  if (vectorStoreId) {
    const chunking = { type: "static" as const, static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } };
    await store.transaction((transaction) => saveVectorStoreFile(transaction, null, queuedVectorStoreFile(vectorStoreId, id, { chunking, attributes: null, batchId: null })));
  }
}

/** The deletion's dependencies, with the index entries it forgets recorded. */
function deletion(store: Store): FileDeletion & { forgotten: string[] } {
  const forgotten: string[] = [];
  return {
    store,
    blobs,
    forgotten,
    forget: async (vectorStoreId, fileId) => {
      forgotten.push(`${vectorStoreId}/${fileId}`);
    },
  };
}

/**
 * The sweep on each database; `openProcesses(n)` gives n stores on one database, as n processes have
 * (SQLite: one in-memory store they all share).
 */
function defineFileExpiryTests(name: string, openProcesses: (count: number) => Promise<{ stores: Store[]; close: () => Promise<void> }>) {
  describe(`${name}: expired files`, () => {
    it("deletes files once they expire, in every project: record, vector store entries, bytes and index entries", async () => {
      const { stores, close } = await openProcesses(1);
      const [store] = stores as [Store];
      try {
        const now = unixNow();
        const project = store.forProject("proj_b");
        await project.vectorStores.insert(emptyVectorStore("vs_b", now));
        await storedFile(project, "file_hour", now + 3600, "vs_b");
        await storedFile(store, "file_day", now + 86_400);
        await storedFile(store, "file_kept", null);
        const sweep = deletion(store);

        expect(await deleteExpiredFiles(sweep, now + 3599)).toBe(0);
        expect(await deleteExpiredFiles(sweep, now + 3600)).toBe(1);
        expect(await store.files.findExpired(now + 3600, 10)).toEqual([]);
        expect(await project.vectorStoreFiles.get("file_hour", "vs_b")).toBeUndefined();
        expect((await project.vectorStores.get("vs_b"))?.file_counts).toMatchObject({ in_progress: 0, total: 0 });
        expect(await blobs.readBytes("file_hour")).toBeUndefined();
        expect(sweep.forgotten).toEqual(["vs_b/file_hour"]);
        expect((await store.files.get("file_day"))?.id).toBe("file_day");
        expect((await blobs.readBytes("file_day"))?.toString()).toBe("bytes of file_day");

        expect(await deleteExpiredFiles(sweep, now + 86_400 * 365)).toBe(1);
        expect((await store.files.findAll({})).map((file) => file.id)).toEqual(["file_kept"]);
      } finally {
        await close();
      }
    });

    it("deletes a file once when two processes (a request, a sweep) delete it at the same time", async () => {
      const { stores, close } = await openProcesses(2);
      const [first, second] = stores as [Store, Store];
      try {
        const now = unixNow();
        await first.vectorStores.insert(emptyVectorStore("vs_one", now));
        await storedFile(first, "file_once", now - 1, "vs_one");
        const one = deletion(first);
        const other = deletion(second);
        expect((await Promise.all([deleteStoredFile(one, "file_once"), deleteStoredFile(other, "file_once")])).sort()).toEqual([false, true]);
        expect([...one.forgotten, ...other.forgotten]).toEqual(["vs_one/file_once"]);
        expect((await first.vectorStores.get("vs_one"))?.file_counts.total).toBe(0);
      } finally {
        await close();
      }
    });

    it("two processes sweeping at once delete each expired file once, and neither fails", async () => {
      const { stores, close } = await openProcesses(2);
      const [first, second] = stores as [Store, Store];
      try {
        const now = unixNow();
        await first.vectorStores.insert(emptyVectorStore("vs_shared", now));
        const ids = Array.from({ length: 8 }, (_, index) => `file_raced_${index}`);
        for (const id of ids) await storedFile(first, id, now - 1, "vs_shared");
        const sweeps = [deletion(first), deletion(second)];
        // Both connected already, so both sweeps find the same files before either has deleted them all.
        await Promise.all(stores.map((store) => store.ping()));
        const deleted = await Promise.all(sweeps.map((sweep) => deleteExpiredFiles(sweep)));
        expect(deleted[0]! + deleted[1]!).toBe(ids.length);
        expect(sweeps.flatMap((sweep) => sweep.forgotten).sort()).toEqual(ids.map((id) => `vs_shared/${id}`).sort());
        expect((await first.vectorStores.get("vs_shared"))?.file_counts).toMatchObject({ in_progress: 0, total: 0 });
        expect(await first.files.findExpired(now, 100)).toEqual([]);
      } finally {
        await close();
      }
    });
  });
}

defineFileExpiryTests("sqlite", async (count) => {
  const store = await openSqliteStore(":memory:");
  return { stores: Array.from({ length: count }, () => store), close: () => store.close() };
});

defineFileExpiryTests("postgres", async (count) => {
  const url = await postgres.freshDatabase("file_expiry");
  const stores = await Promise.all(Array.from({ length: count }, () => openPostgresStore(url)));
  return { stores, close: async () => void (await Promise.all(stores.map((store) => store.close()))) };
});
