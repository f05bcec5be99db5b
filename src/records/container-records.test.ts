import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FilesystemBlobStore } from "../storage/blobs/filesystem-blob-store.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import type { Store } from "../storage/store.js";
import {
  containerRecord,
  copyFileIntoContainer,
  deleteContainerFiles,
  discardExpiredContainers,
  saveCodeImage,
  saveCodeOutput,
  touchContainer,
  withCurrentStatus,
} from "./container-records.js";
import { saveGeneratedFile } from "./file-records.js";

let directory: string;
let store: Store;
let blobs: FilesystemBlobStore;

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-containers-"));
  store = await openSqliteStore(":memory:");
  blobs = new FilesystemBlobStore(path.join(directory, "files"));
});

afterAll(async () => {
  await store.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function text(id: string): Promise<string | undefined> {
  return (await blobs.readBytes(id))?.toString("utf8");
}

describe("container records", () => {
  it("keeps one file per path the code writes: a rewrite keeps its id and takes the new bytes", async () => {
    const container = containerRecord({ name: "outputs" });
    await store.containers.insert(container);
    const first = await saveCodeOutput(store, blobs, container.id, "out/report.csv", Buffer.from("a\n"));
    const again = await saveCodeOutput(store, blobs, container.id, "out/report.csv", Buffer.from("a\nb\n"));
    expect(again).toEqual({ ...first, bytes: 4 });
    expect(first).toMatchObject({ path: "/mnt/data/out/report.csv", source: "assistant" });
    expect(await text(first.id)).toBe("a\nb\n");
    const image = await saveCodeImage(store, blobs, container.id, Buffer.from("png"));
    expect(image.path).toBe(`/mnt/data/${image.id}.png`);
    expect((await store.containerFiles.findAll({ parentId: container.id })).map((file) => file.id)).toEqual([first.id, image.id]);

    await deleteContainerFiles(store, blobs, container.id);
    expect(await store.containerFiles.findAll({ parentId: container.id })).toEqual([]);
    expect(await text(first.id)).toBeUndefined();
    expect(await text(image.id)).toBeUndefined();
  });

  it("copies a File in under a name no other file has, and notes that it did", async () => {
    const container = containerRecord({ name: "inputs" });
    await store.containers.insert(container);
    const file = await saveGeneratedFile({ store, blobs }, { filename: "../data.csv", bytes: Buffer.from("x,y\n"), purpose: "assistants" });
    const copied = await copyFileIntoContainer(store, blobs, container.id, file.id);
    const twice = await copyFileIntoContainer(store, blobs, container.id, file.id);
    expect(copied?.path).toBe("/mnt/data/data.csv");
    expect(twice?.path).toBe(`/mnt/data/data-${twice?.id}.csv`);
    expect(await text(copied?.id ?? "")).toBe("x,y\n");
    expect((await store.containers.get(container.id))?.file_ids).toEqual([file.id]);
    expect(await copyFileIntoContainer(store, blobs, container.id, "file-missing")).toBeUndefined();
  });

  it("discards the files of expired containers once, keeps them listed as expired, and leaves live ones alone", async () => {
    const live = containerRecord({ name: "live" });
    const stale = containerRecord({ name: "stale", expiresAfter: { anchor: "last_active_at", minutes: 1 } });
    await store.containers.insert(live);
    await store.containers.insert({ ...stale, last_active_at: stale.last_active_at - 60 });
    const kept = await saveCodeOutput(store, blobs, live.id, "keep.txt", Buffer.from("keep"));
    const lost = await saveCodeOutput(store, blobs, stale.id, "lose.txt", Buffer.from("lose"));

    expect(await discardExpiredContainers(store, blobs)).toBe(1);
    expect(await store.containerFiles.findAll({ parentId: stale.id })).toEqual([]);
    expect(await text(lost.id)).toBeUndefined();
    expect(await text(kept.id)).toBe("keep");
    const emptied = await store.containers.get(stale.id);
    expect(emptied?.status).toBe("expired");
    // Activity cannot bring it back.
    await touchContainer(store, stale.id);
    expect(withCurrentStatus((await store.containers.get(stale.id))!).status).toBe("expired");
    expect(await discardExpiredContainers(store, blobs)).toBe(0);
  });
});
