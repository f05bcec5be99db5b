import type { FileAttributes, VectorStoreFile } from "../domain/vector-stores.js";
import type { Logger } from "../logging/logger.js";
import type { ModelProvider } from "../providers/model-provider.js";
import { createInMemoryJobQueue } from "../queue/in-memory-job-queue.js";
import { saveVectorStoreFile } from "../resources/vector-stores/vector-store-records.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { Store } from "../storage/store.js";
import { embedTexts } from "../vector/embedder.js";
import { ingestFile } from "../vector/ingest.js";
import type { AttributeFilter, SearchHit } from "../vector/vector-index.js";
import { toLastError } from "./ingestion-error.js";
import type { VectorIndexHandle } from "./vector-index-handle.js";

export interface IngestionJob {
  vectorStoreId: string;
  fileId: string;
}

export interface RetrievalSearch {
  vectorStoreIds: string[];
  /** Each query is searched on its own; a chunk found by several keeps its best score. */
  queries: string[];
  limit: number;
  scoreThreshold?: number;
  filter?: AttributeFilter;
}

/**
 * Ingestion and search for vector stores. Every write path only records files as `in_progress` in the
 * store; this service finds them (right away through `wake`, and by a periodic sweep that also recovers
 * files left `in_progress` by a crash), extracts, embeds and indexes them in a small background queue,
 * and records `completed` or `failed`.
 */
export interface Retrieval {
  /** Queues every `in_progress` vector store file not queued yet. */
  wake(): void;
  /** Stops a file's ingestion if it runs and drops its chunks (after it left a store or was cancelled). */
  forget(vectorStoreId: string, fileId: string): Promise<void>;
  forgetStore(vectorStoreId: string): Promise<void>;
  updateAttributes(vectorStoreId: string, fileId: string, attributes: FileAttributes | null): Promise<void>;
  /** Best chunks of the stores' completed files, best first. */
  search(request: RetrievalSearch): Promise<SearchHit[]>;
  start(sweepIntervalMs: number): void;
  stop(timeoutMs: number): Promise<void>;
}

export interface RetrievalDependencies {
  store: Store;
  blobs: Pick<BlobStore, "withLocalFile">;
  models: ModelProvider;
  logger: Logger;
  index: VectorIndexHandle;
  concurrency: number;
}

const keyOf = (vectorStoreId: string, fileId: string) => `${vectorStoreId}/${fileId}`;

export function createRetrieval(dependencies: RetrievalDependencies): Retrieval {
  const { store, blobs, models, logger, index } = dependencies;
  const queue = createInMemoryJobQueue<IngestionJob>({
    concurrency: dependencies.concurrency,
    onError: (job, error) => logger.error("ingestion job crashed", { ...job, error: String(error) }),
  });
  const queued = new Set<string>();
  const running = new Map<string, AbortController>();
  let sweeper: NodeJS.Timeout | undefined;
  let stopped = false;

  async function dropChunks(vectorStoreId: string, fileId: string): Promise<void> {
    try {
      await (await index.get()).deleteFile(vectorStoreId, fileId);
    } catch (error) {
      // Search only returns chunks of files the store still lists as completed, so a leftover is inert.
      logger.warn("could not drop chunks from the vector index", { vectorStoreId, fileId, error: String(error) });
    }
  }

  async function ingest(job: IngestionJob): Promise<void> {
    const { vectorStoreId, fileId } = job;
    const key = keyOf(vectorStoreId, fileId);
    const abort = new AbortController();
    running.set(key, abort);
    try {
      const record = await store.vectorStoreFiles.get(fileId, vectorStoreId);
      if (!record || record.status !== "in_progress") return;
      const file = await store.files.get(fileId);
      let outcome: Pick<VectorStoreFile, "status" | "last_error" | "usage_bytes">;
      try {
        if (!file) throw new Error("the file was deleted");
        const { max_chunk_size_tokens, chunk_overlap_tokens } = record.chunking_strategy.static;
        const ingested = await blobs.withLocalFile(fileId, async (path) => {
          await ingestFile({
            path,
            filename: file.filename,
            fileId,
            vectorStoreId,
            attributes: record.attributes,
            chunking: { maxChunkSizeTokens: max_chunk_size_tokens, chunkOverlapTokens: chunk_overlap_tokens },
            embeddingModel: models.embeddingModel(),
            index: await index.get(),
            signal: abort.signal,
          });
          return true;
        });
        if (!ingested) throw new Error("the file's content is missing");
        outcome = { status: "completed", last_error: null, usage_bytes: file.bytes };
      } catch (error) {
        if (abort.signal.aborted) return void (await dropChunks(vectorStoreId, fileId));
        logger.warn("file ingestion failed", { vectorStoreId, fileId, error: String(error) });
        outcome = { status: "failed", last_error: toLastError(error), usage_bytes: 0 };
      }
      const recorded = await store.transaction(async (transaction) => {
        const current = await transaction.vectorStoreFiles.get(fileId, vectorStoreId);
        if (!current || current.status !== "in_progress") return undefined;
        await saveVectorStoreFile(transaction, current, { ...current, ...outcome });
        return current;
      });
      // Removed or cancelled while it was being indexed: its chunks must not stay searchable.
      if (!recorded && outcome.status === "completed") await dropChunks(vectorStoreId, fileId);
      if (recorded && outcome.status === "completed" && JSON.stringify(recorded.attributes) !== JSON.stringify(record.attributes)) {
        await (await index.get()).updateAttributes(vectorStoreId, fileId, recorded.attributes);
      }
    } finally {
      running.delete(key);
      queued.delete(key);
    }
  }

  async function wakeNow(): Promise<void> {
    if (stopped) return;
    const files = await store.vectorStoreFiles.findAll({ statuses: ["in_progress"] });
    for (const file of files) {
      const key = keyOf(file.vector_store_id, file.id);
      if (queued.has(key) || stopped) continue;
      queued.add(key);
      void queue.enqueue({ vectorStoreId: file.vector_store_id, fileId: file.id });
    }
  }

  const wake = () => void wakeNow().catch((error: unknown) => logger.error("ingestion sweep failed", { error: String(error) }));

  async function search(request: RetrievalSearch): Promise<SearchHit[]> {
    const searchable = new Set<string>();
    for (const vectorStoreId of new Set(request.vectorStoreIds)) {
      for (const file of await store.vectorStoreFiles.findAll({ parentId: vectorStoreId, statuses: ["completed"] })) {
        searchable.add(keyOf(vectorStoreId, file.id));
      }
    }
    const queries = request.queries.filter((query) => query.trim().length > 0);
    if (searchable.size === 0 || queries.length === 0 || request.limit <= 0) return [];
    const vectors = await embedTexts(models.embeddingModel(), queries);
    const vectorIndex = await index.get();
    const best = new Map<string, SearchHit>();
    for (const [position, query] of queries.entries()) {
      const hits = await vectorIndex.search({
        vectorStoreIds: [...new Set(request.vectorStoreIds)],
        text: query,
        vector: vectors[position] ?? [],
        // Headroom for chunks of files that left their store but are still being dropped from the index.
        limit: request.limit * 2,
        ...(request.scoreThreshold !== undefined ? { scoreThreshold: request.scoreThreshold } : {}),
        ...(request.filter ? { filter: request.filter } : {}),
      });
      for (const hit of hits) {
        if (!searchable.has(keyOf(hit.vectorStoreId, hit.fileId))) continue;
        const chunk = `${hit.vectorStoreId}/${hit.fileId}/${hit.chunkIndex}`;
        if ((best.get(chunk)?.score ?? -1) < hit.score) best.set(chunk, hit);
      }
    }
    return [...best.values()].sort((left, right) => right.score - left.score).slice(0, request.limit);
  }

  queue.process(ingest);

  return {
    wake,
    async forget(vectorStoreId, fileId) {
      running.get(keyOf(vectorStoreId, fileId))?.abort();
      await dropChunks(vectorStoreId, fileId);
    },
    async forgetStore(vectorStoreId) {
      for (const [key, abort] of running) if (key.startsWith(`${vectorStoreId}/`)) abort.abort();
      try {
        await (await index.get()).deleteStore(vectorStoreId);
      } catch (error) {
        logger.warn("could not drop a vector store from the index", { vectorStoreId, error: String(error) });
      }
    },
    async updateAttributes(vectorStoreId, fileId, attributes) {
      await (await index.get()).updateAttributes(vectorStoreId, fileId, attributes);
    },
    search,
    start(sweepIntervalMs) {
      wake();
      sweeper = setInterval(wake, sweepIntervalMs);
      sweeper.unref();
    },
    async stop(timeoutMs) {
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      for (const abort of running.values()) abort.abort();
      // Files still in progress stay so in the store and are picked up again on the next start.
      await queue.stop(timeoutMs);
      await index.close();
    },
  };
}
