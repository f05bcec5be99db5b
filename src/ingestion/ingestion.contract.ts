import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { StoredFile } from "../domain/files.js";
import { newId } from "../domain/ids.js";
import { unixNow } from "../domain/time.js";
import type { Notifications } from "../events/notifications.js";
import { createLogger } from "../logging/logger.js";
import { createOpenAICompatibleProvider } from "../providers/openai-compatible-provider.js";
import { attachFile, newVectorStore, storedChunking } from "../resources/vector-stores/vector-store-records.js";
import { detachFile } from "../records/vector-store-bookkeeping.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { IngestionLease } from "../storage/ingestion-leases.js";
import type { Store } from "../storage/store.js";
import { hashEmbedding, startScriptedUpstream, type ScriptedUpstream } from "../testing/scripted-upstream.js";
import type { IndexedChunk, VectorIndex } from "../vector/vector-index.js";
import { recordIngestionOutcome } from "./ingestion-outcome.js";
import { noMetrics } from "../observability/metrics.js";
import { noTracing } from "../observability/tracing.js";
import { createRetrieval, maxIngestionAttempts, type Retrieval } from "./retrieval.js";
import type { VectorIndexHandle } from "./vector-index-handle.js";

/** What one process brings to ingestion: its own connections where the database has more than one. */
export interface ProcessResources {
  store: Store;
  blobs: Pick<BlobStore, "withLocalFile">;
  notifications: Notifications;
  index: VectorIndexHandle;
}

export interface IngestionFixture {
  /** The database every process works on, for setting files up and checking them. */
  store: Store;
  blobs: Pick<BlobStore, "writeBytes">;
  /** Resources as one process would have them; the fixture closes them. */
  openProcess(embeddingModel: () => EmbeddingModelV3): Promise<ProcessResources>;
  close(): Promise<void>;
}

interface ProcessOptions {
  leaseTtlMs: number;
  /** Long in tests of wake-ups, so that only a wake can have started an ingestion. */
  sweepIntervalMs: number;
  /** A process that only wakes the others never starts claiming. */
  claims?: boolean;
}

/** Long enough that a busy test machine never lets a live process's lease lapse. */
const steady: ProcessOptions = { leaseTtlMs: 10_000, sweepIntervalMs: 50 };
const logger = createLogger("silent");

/**
 * Ingestion jobs (vector store files `in_progress`) under leases, as several processes sharing one
 * database run them: each file is ingested by one process, a dead process's files are taken over once its
 * leases lapse, and only the current attempt may record the outcome.
 */
export function defineIngestionContract(name: string, processes: number, open: () => Promise<IngestionFixture>): void {
  describe(`${name}: ingestion under leases`, () => {
    let upstream: ScriptedUpstream;
    let fixture: IngestionFixture;
    const retrievals: Retrieval[] = [];
    /** Every `add` to the index: which process indexed which file. */
    let indexed: { owner: string; fileId: string }[] = [];
    /** Files whose indexing waits until the test lets it go. */
    let held = new Set<string>();
    let letGo = () => undefined as void;
    let gate = Promise.resolve();

    beforeAll(async () => {
      upstream = await startScriptedUpstream();
    });

    afterAll(async () => {
      await upstream?.close();
    });

    afterEach(async () => {
      letGo();
      for (const retrieval of retrievals.splice(0)) await retrieval.stop(1000);
      await fixture?.close();
      indexed = [];
      held = new Set();
    });

    const models = () => createOpenAICompatibleProvider({ baseURL: upstream.url, modelMap: {}, embeddingModel: "text-embedding-3-small" });

    function holdIndexing(fileId: string): void {
      held.add(fileId);
      gate = new Promise<void>((resolve) => (letGo = resolve));
    }

    /** The process's index, recording its adds (and holding back those of held files). */
    function recording(handle: VectorIndexHandle, owner: string): VectorIndexHandle {
      return {
        async get(): Promise<VectorIndex> {
          const index = await handle.get();
          return {
            async add(chunks: IndexedChunk[]) {
              const fileId = chunks[0]?.fileId ?? "";
              indexed.push({ owner, fileId });
              if (held.has(fileId)) await gate;
              await index.add(chunks);
            },
            deleteFile: (vectorStoreId, fileId) => index.deleteFile(vectorStoreId, fileId),
            deleteStore: (vectorStoreId) => index.deleteStore(vectorStoreId),
            updateAttributes: (vectorStoreId, fileId, attributes) => index.updateAttributes(vectorStoreId, fileId, attributes),
            search: (query) => index.search(query),
            close: () => index.close(),
          };
        },
        close: () => handle.close(),
      };
    }

    async function openProcesses(count: number, options: ProcessOptions): Promise<Retrieval[]> {
      const opened: Retrieval[] = [];
      for (let index = 0; index < count; index += 1) {
        const provider = models();
        const resources = await fixture.openProcess(() => provider.embeddingModel());
        const owner = `process-${retrievals.length + 1}`;
        const retrieval = createRetrieval({
          ...resources,
          index: recording(resources.index, owner),
          models: provider,
          logger,
          owner,
          concurrency: 2,
          leaseTtlMs: options.leaseTtlMs,
          sweepIntervalMs: options.sweepIntervalMs,
          telemetry: { metrics: noMetrics, tracing: noTracing },
        });
        if (options.claims ?? true) retrieval.start();
        retrievals.push(retrieval);
        opened.push(retrieval);
      }
      return opened;
    }

    /** A vector store with `count` small text files, all `in_progress` (as the API leaves them). */
    async function addFiles(count: number): Promise<{ vectorStoreId: string; fileIds: string[] }> {
      const vectorStore = newVectorStore({});
      await fixture.store.vectorStores.insert(vectorStore);
      const fileIds: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const bytes = Buffer.from(`Field note ${index}: the lighthouse keeper counted ${index * 7} gulls today.`);
        const file: StoredFile = {
          id: newId("file"),
          object: "file",
          bytes: bytes.byteLength,
          created_at: unixNow(),
          expires_at: null,
          filename: `note-${index}.txt`,
          purpose: "assistants",
          status: "processed",
          status_details: null,
        };
        await fixture.blobs.writeBytes(file.id, bytes);
        await fixture.store.files.insert(file);
        await attach(vectorStore.id, file.id);
        fileIds.push(file.id);
      }
      return { vectorStoreId: vectorStore.id, fileIds };
    }

    const attach = (vectorStoreId: string, fileId: string) =>
      fixture.store.transaction((transaction) => attachFile(transaction, vectorStoreId, fileId, { chunking: storedChunking(undefined), attributes: null, batchId: null }));

    const statusOf = async (vectorStoreId: string, fileId: string) => (await fixture.store.vectorStoreFiles.get(fileId, vectorStoreId))?.status;
    const completedIn = async (vectorStoreId: string) =>
      (await fixture.store.vectorStoreFiles.findAll({ parentId: vectorStoreId, statuses: ["completed"] })).map((file) => file.id).sort();
    const indexers = (fileId: string) => indexed.filter((entry) => entry.fileId === fileId).map((entry) => entry.owner);
    const completed = { status: "completed" as const, last_error: null, usage_bytes: 1 };

    it("ingests every in_progress file in exactly one process", async () => {
      fixture = await open();
      const { vectorStoreId, fileIds } = await addFiles(12);
      const [first] = await openProcesses(processes, steady);
      first!.wake();
      await expect.poll(() => completedIn(vectorStoreId)).toEqual([...fileIds].sort());
      for (const fileId of fileIds) expect(indexers(fileId)).toHaveLength(1);
      // Every completion moved the store's counts: none was lost to a concurrent one.
      const vectorStore = await fixture.store.vectorStores.get(vectorStoreId);
      expect(vectorStore?.file_counts).toEqual({ in_progress: 0, completed: 12, failed: 0, cancelled: 0, total: 12 });
      expect(vectorStore?.status).toBe("completed");
    });

    it("leaves a file alone while another process holds its lease", async () => {
      fixture = await open();
      const { vectorStoreId, fileIds } = await addFiles(2);
      const [live] = await fixture.store.ingestionLeases.claim("live-process", 1, 60_000);
      expect(live?.fileId).toBe(fileIds[0]);
      await openProcesses(processes, steady);
      // Each process claims all it can at once, so the held file would have gone with the other one.
      await expect.poll(() => completedIn(vectorStoreId)).toEqual([fileIds[1]]);
      expect(await statusOf(vectorStoreId, fileIds[0]!)).toBe("in_progress");
      expect(indexers(fileIds[0]!)).toEqual([]);
      await fixture.store.ingestionLeases.release(live!);
      await expect.poll(() => statusOf(vectorStoreId, fileIds[0]!)).toBe("completed");
    });

    it("takes over a file whose process died, and completes it", async () => {
      fixture = await open();
      const { vectorStoreId, fileIds } = await addFiles(1);
      const fileId = fileIds[0]!;
      // A process that claimed the file and died: its lease is never renewed, and it had indexed a chunk.
      const [dead] = await fixture.store.ingestionLeases.claim("dead-process", 1, 200);
      expect(dead).toMatchObject({ vectorStoreId, fileId, attempt: 1 });
      const leftover = "Leftover zeppelin chunk of an ingestion that never finished.";
      const index = await (await fixture.openProcess(() => models().embeddingModel())).index.get();
      await index.add([{ vectorStoreId, fileId, filename: "note-0.txt", chunkIndex: 7, pageNumber: null, text: leftover, vector: hashEmbedding(leftover, 256), attributes: null }]);
      await openProcesses(processes, steady);
      await expect.poll(() => statusOf(vectorStoreId, fileId)).toBe("completed");
      expect(indexers(fileId)).toHaveLength(1);
      // Ingested from scratch: only the new attempt's chunks are left.
      const hits = await index.search({ vectorStoreIds: [vectorStoreId], text: "zeppelin lighthouse gulls", vector: hashEmbedding("zeppelin", 256), limit: 10 });
      expect(hits.map((hit) => hit.chunkIndex)).toEqual([0]);
      // The dead holder's fencing token is stale: its writes are refused.
      expect(await fixture.store.ingestionLeases.hold(dead!, 1000)).toBe(false);
      expect(await recordIngestionOutcome(fixture.store, dead!, { status: "failed", last_error: null, usage_bytes: 0 }, 1000)).toEqual({ kind: "lease-lost" });
      expect(await statusOf(vectorStoreId, fileId)).toBe("completed");
    });

    it("fails a file whose ingestion outlived its process too often, instead of trying it again", async () => {
      fixture = await open();
      const { vectorStoreId, fileIds } = await addFiles(1);
      // Processes that claimed the file and died, one after another: each claim is a new attempt.
      let attempt = 0;
      while (attempt < maxIngestionAttempts) {
        await expect.poll(async () => ((await fixture.store.ingestionLeases.claim("dying-process", 1, 1))[0]?.attempt ?? 0) > attempt).toBe(true);
        attempt += 1;
      }
      await openProcesses(processes, steady);
      await expect.poll(() => statusOf(vectorStoreId, fileIds[0]!)).toBe("failed");
      expect(indexers(fileIds[0]!)).toEqual([]);
      const file = await fixture.store.vectorStoreFiles.get(fileIds[0]!, vectorStoreId);
      expect(file?.last_error).toEqual({ code: "server_error", message: `The processes indexing this file stopped ${maxIngestionAttempts} times before it finished; add the file again to retry.` });
      expect((await fixture.store.vectorStores.get(vectorStoreId))?.file_counts).toMatchObject({ in_progress: 0, failed: 1 });
    });

    it("refuses the outcome of a stale attempt and records the current one's", async () => {
      fixture = await open();
      const { vectorStoreId, fileIds } = await addFiles(1);
      // A process paused past its lease claims the file again: only the attempt tells its two leases apart.
      const [stale] = await fixture.store.ingestionLeases.claim("paused-process", 1, 1);
      let current: IngestionLease | undefined;
      await expect.poll(async () => (current ??= (await fixture.store.ingestionLeases.claim("paused-process", 1, 60_000))[0])).toBeDefined();
      expect([stale?.attempt, current?.attempt]).toEqual([1, 2]);
      expect(await recordIngestionOutcome(fixture.store, stale!, completed, 1000)).toEqual({ kind: "lease-lost" });
      expect(await statusOf(vectorStoreId, fileIds[0]!)).toBe("in_progress");
      expect((await fixture.store.vectorStores.get(vectorStoreId))?.file_counts.completed).toBe(0);
      expect(await recordIngestionOutcome(fixture.store, current!, completed, 1000)).toMatchObject({ kind: "recorded" });
      expect(await statusOf(vectorStoreId, fileIds[0]!)).toBe("completed");
      expect((await fixture.store.vectorStores.get(vectorStoreId))?.file_counts.completed).toBe(1);
    });

    it("refuses the outcome for a file that was removed and added again, even from the same owner and attempt", async () => {
      fixture = await open();
      const { vectorStoreId, fileIds } = await addFiles(1);
      const fileId = fileIds[0]!;
      const [earlier] = await fixture.store.ingestionLeases.claim("process-a", 1, 60_000);
      await fixture.store.transaction((transaction) => detachFile(transaction, vectorStoreId, fileId));
      await attach(vectorStoreId, fileId);
      const [again] = await fixture.store.ingestionLeases.claim("process-a", 1, 60_000);
      expect(again).toMatchObject({ fileId, owner: earlier?.owner, attempt: earlier?.attempt });
      expect(again?.job).not.toBe(earlier?.job);
      expect(await recordIngestionOutcome(fixture.store, earlier!, completed, 1000)).toEqual({ kind: "lease-lost" });
      expect(await statusOf(vectorStoreId, fileId)).toBe("in_progress");
    });

    it("wakes on a notification from any process, without waiting for a sweep", async () => {
      fixture = await open();
      const { vectorStoreId, fileIds } = await addFiles(1);
      const sentinel = fileIds[0]!;
      holdIndexing(sentinel);
      const options = { ...steady, sweepIntervalMs: 60_000 };
      await openProcesses(1, options);
      const [waker] = processes > 1 ? await openProcesses(1, { ...options, claims: false }) : retrievals;
      // The first claim has returned once the sentinel is being indexed; after that only a wake can start one.
      await expect.poll(() => indexers(sentinel)).toHaveLength(1);
      const added = await addFiles(1);
      waker!.wake();
      await expect.poll(() => completedIn(added.vectorStoreId)).toEqual(added.fileIds);
      expect(await statusOf(vectorStoreId, sentinel)).toBe("in_progress");
    });
  });
}
