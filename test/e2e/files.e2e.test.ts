import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unixNow } from "../../src/domain/time.js";
import { openSqliteStore } from "../../src/storage/sql/sqlite-store.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();

let scratch: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "spool-files-e2e-"));
});

afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof OpenAI.APIError ? error.status : -1;
  }
}

describe("Files API with the official SDK", () => {
  it("uploads from a stream and a buffer, lists, retrieves, downloads the exact bytes and deletes", async () => {
    const csvPath = path.join(scratch, "scores.csv");
    fs.writeFileSync(csvPath, "name,score\nmin-ji,93\n");
    const fromStream = await server.client.files.create({ file: fs.createReadStream(csvPath), purpose: "assistants" });
    expect(fromStream).toMatchObject({ object: "file", filename: "scores.csv", purpose: "assistants", bytes: 21, status: "processed" });
    // The spec allows neither null: unset, they are left out.
    expect(fromStream).not.toHaveProperty("expires_at");
    expect(fromStream).not.toHaveProperty("status_details");
    expect(fromStream.id).toMatch(/^file-/);

    const pdfBytes = new Uint8Array(Array.from({ length: 70_000 }, (_, index) => (index * 31) % 256));
    const fromBuffer = await server.client.files.create({ file: await toFile(pdfBytes, "보고서 2023.pdf"), purpose: "user_data" });
    expect(fromBuffer).toMatchObject({ filename: "보고서 2023.pdf", bytes: pdfBytes.byteLength, purpose: "user_data" });

    expect(await server.client.files.retrieve(fromStream.id)).toEqual(fromStream);
    const all = await server.client.files.list();
    expect(all.data.map((file) => file.id)).toEqual([fromBuffer.id, fromStream.id]);
    const assistantsOnly = await server.client.files.list({ purpose: "assistants" });
    expect(assistantsOnly.data.map((file) => file.id)).toEqual([fromStream.id]);
    const paged = await server.client.files.list({ limit: 1, order: "asc" });
    expect(paged.data.map((file) => file.id)).toEqual([fromStream.id]);
    expect(paged.has_more).toBe(true);

    const download = await server.client.files.content(fromBuffer.id);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdfBytes);
    const csv = await server.client.files.content(fromStream.id);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toBe("name,score\nmin-ji,93\n");

    expect(await server.client.files.delete(fromStream.id)).toEqual({ id: fromStream.id, object: "file", deleted: true });
    expect(await statusOf(server.client.files.retrieve(fromStream.id))).toBe(404);
    expect(await statusOf(server.client.files.content(fromStream.id))).toBe(404);
    expect((await server.client.files.list()).data.map((file) => file.id)).toEqual([fromBuffer.id]);
    expect(fs.existsSync(path.join(server.spool.dataDir, "files", fromStream.id))).toBe(false);
  });

  it("honours expires_after and rejects a bad purpose or a missing file without storing anything", async () => {
    const expiring = await server.client.files.create({
      file: await toFile(Buffer.from("x"), "short.txt"),
      purpose: "assistants",
      expires_after: { anchor: "created_at", seconds: 3600 },
    });
    expect(expiring.expires_at).toBe(expiring.created_at + 3600);

    const before = fs.readdirSync(path.join(server.spool.dataDir, "files")).length;
    const badPurpose = server.client.files.create({ file: await toFile(Buffer.from("x"), "a.txt"), purpose: "nonsense" as "assistants" });
    expect(await statusOf(badPurpose)).toBe(400);
    const form = new FormData();
    form.set("purpose", "assistants");
    const noFile = await fetch(`${server.spool.url}/v1/files`, { method: "POST", body: form });
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as { error: { param: string } }).error.param).toBe("file");
    expect(fs.readdirSync(path.join(server.spool.dataDir, "files")).length).toBe(before);
  });
});

describe("file expiry", () => {
  /** An hour is the shortest expiry the API takes: move a file's stored expiry into the past instead of waiting. */
  async function expireNow(fileId: string): Promise<void> {
    const store = await openSqliteStore(path.join(server.spool.dataDir, "spool.db"));
    try {
      const stored = await store.files.get(fileId);
      if (!stored) throw new Error(`no file ${fileId}`);
      await store.files.update({ ...stored, expires_at: unixNow() - 1 });
    } finally {
      await store.close();
    }
  }

  it("deletes a file once it expires, as hosted: gone from reads at once, and from its vector stores within a sweep", async () => {
    const expiring = await server.client.files.create({
      file: await toFile(Buffer.from("Kestrels hover over motorway verges."), "kestrels.txt"),
      purpose: "assistants",
      expires_after: { anchor: "created_at", seconds: 3600 },
    });
    const kept = await server.client.files.create({ file: await toFile(Buffer.from("Owls hunt at night."), "owls.txt"), purpose: "assistants" });
    const vectorStore = await server.client.vectorStores.create({ name: "birds", file_ids: [expiring.id, kept.id] });
    await server.client.vectorStores.files.poll(vectorStore.id, expiring.id, { pollIntervalMs: 50 });
    await server.client.vectorStores.files.poll(vectorStore.id, kept.id, { pollIntervalMs: 50 });
    expect((await server.client.files.retrieve(expiring.id)).expires_at).toBe(expiring.created_at + 3600);

    await expireNow(expiring.id);
    expect(await statusOf(server.client.files.retrieve(expiring.id))).toBe(404);
    expect(await statusOf(server.client.files.content(expiring.id))).toBe(404);
    expect(await statusOf(server.client.files.delete(expiring.id))).toBe(404);
    const listed = (await server.client.files.list({ limit: 100 })).data.map((file) => file.id);
    expect(listed).toContain(kept.id);
    expect(listed).not.toContain(expiring.id);
    const attach = server.client.vectorStores.files.create(vectorStore.id, { file_id: expiring.id });
    expect(await statusOf(attach)).toBe(400);

    // The housekeeping sweep deletes it for good: out of the vector store (counts too), its bytes off disk.
    const storeFiles = async () => (await server.client.vectorStores.files.list(vectorStore.id)).data.map((file) => file.id);
    await expect.poll(storeFiles, { timeout: 15_000 }).toEqual([kept.id]);
    expect((await server.client.vectorStores.retrieve(vectorStore.id)).file_counts).toMatchObject({ completed: 1, total: 1 });
    expect(fs.existsSync(path.join(server.spool.dataDir, "files", expiring.id))).toBe(false);
    const hits = await server.client.vectorStores.search(vectorStore.id, { query: "kestrels owls" });
    expect(hits.data.map((hit) => hit.file_id)).toEqual([kept.id]);
    expect((await server.client.files.retrieve(kept.id)).id).toBe(kept.id);
  });
});

describe("upload size limit", () => {
  let small: StartedSpool;

  beforeAll(async () => {
    small = await startSpool({ upstreamUrl: server.upstream.url, env: { SPOOL_MAX_UPLOAD_BYTES: "1024" } });
  });

  afterAll(async () => {
    await small?.close();
  });

  it("answers 413 with a clear error and leaves nothing behind", async () => {
    const smallClient = small.client();
    const ok = await smallClient.files.create({ file: await toFile(Buffer.alloc(1024, 97), "fits.txt"), purpose: "assistants" });
    expect(ok.bytes).toBe(1024);

    let caught: unknown;
    try {
      await smallClient.files.create({ file: await toFile(Buffer.alloc(5000, 97), "big.txt"), purpose: "assistants" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((caught as InstanceType<typeof OpenAI.APIError>).message).toContain("1024 bytes");

    expect((await smallClient.files.list()).data.map((file) => file.id)).toEqual([ok.id]);
    // Uploads are written under .incoming and moved into place only once complete.
    expect(fs.readdirSync(path.join(small.dataDir, "files")).sort()).toEqual([".incoming", ok.id]);
    expect(fs.readdirSync(path.join(small.dataDir, "files", ".incoming"))).toEqual([]);
  });
});
