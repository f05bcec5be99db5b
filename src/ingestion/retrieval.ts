import type { FileAttributes, VectorStoreFile } from "../domain/vector-stores.js";
import type { Notifications } from "../events/notifications.js";
import type { Logger } from "../logging/logger.js";
import type { IngestionMetrics } from "../observability/metrics.js";
import type { Tracing } from "../observability/tracing.js";
import type { ModelProvider } from "../providers/model-provider.js";
import { createLeasedQueue } from "../queue/leased-queue.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { IngestionLease } from "../storage/ingestion-leases.js";
import type { Store } from "../storage/store.js";
import { embedTexts } from "../vector/embedder.js";
import { ingestFile } from "../vector/ingest.js";
import type { AttributeFilter, SearchHit } from "../vector/vector-index.js";
import { toLastError } from "./ingestion-error.js";
import { recordIngestionOutcome, type IngestionOutcome } from "./ingestion-outcome.js";
import type { VectorIndexHandle } from "./vector-index-handle.js";

/** Every process listens here for "files wait to be ingested". */
export const ingestionWaitingChannel = "spool_ingestion_waiting";

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
 * store; any process on the database may then claim a file under a lease (right away through `wake`, and
 * by a periodic sweep that also takes over files whose ingesting process died), extract, embed and index
 * it, and record `completed` or `failed` if it still holds the lease.
 */
export interface Retrieval {
  /** Tells this and every other process that files wait to be ingested. Call after the commit that added them. */
  wake(): void;
  /** Stops a file's ingestion if it runs here and drops its chunks (after it left a store or was cancelled). */
  forget(vectorStoreId: string, fileId: string): Promise<void>;
  forgetStore(vectorStoreId: string): Promise<void>;
  updateAttributes(vectorStoreId: string, fileId: string, attributes: FileAttributes | null): Promise<void>;
  /** Best chunks of the stores' completed files, best first. */
  search(request: RetrievalSearch): Promise<SearchHit[]>;
  /** Starts claiming files to ingest. */
  start(): void;
  /** Lets running ingestions finish up to `timeoutMs`, then hands the rest back for another process (or the next start). */
  stop(timeoutMs: number): Promise<void>;
}

export interface RetrievalDependencies {
  store: Store;
  blobs: Pick<BlobStore, "withLocalFile">;
  models: ModelProvider;
  logger: Logger;
  index: VectorIndexHandle;
  notifications: Notifications;
  /** This process's identity in the files' `lease_owner`; unique per process start. */
  owner: string;
  /** Files ingested at the same time by this process. */
  concurrency: number;
  leaseTtlMs: number;
  /** How often to look for files nobody holds (a lapsed lease, a missed notification). */
  sweepIntervalMs: number;
  telemetry: { metrics: IngestionMetrics; tracing: Tracing };
}

/** Claims of one file's ingestion before it is failed instead of tried again. */
export const maxIngestionAttempts = 5;

const givenUp = (attempt: number): IngestionOutcome => ({
  status: "failed",
  last_error: { code: "server_error", message: `The processes indexing this file stopped ${attempt - 1} times before it finished; add the file again to retry.` },
  usage_bytes: 0,
});

const keyOf = (vectorStoreId: string, fileId: string) => `${vectorStoreId}/${fileId}`;
const leaseFields = ({ vectorStoreId, fileId, attempt }: IngestionLease) => ({ vectorStoreId, fileId, attempt });

export function createRetrieval(dependencies: RetrievalDependencies): Retrieval {
  const { store, blobs, models, logger, index, leaseTtlMs } = dependencies;
  const queue = createLeasedQueue<IngestionLease, number>({
    leases: store.ingestionLeases,
    keyOf: (lease) => lease.job,
    describe: leaseFields,
    kind: "ingestion",
    channel: ingestionWaitingChannel,
    notifications: dependencies.notifications,
    owner: dependencies.owner,
    concurrency: dependencies.concurrency,
    leaseTtlMs,
    sweepIntervalMs: dependencies.sweepIntervalMs,
    logger,
  });
  /** Ingestions running here, each with the controller `forget` aborts it with. */
  const running = new Map<number, { lease: IngestionLease; withdraw: AbortController }>();

  async function dropChunks(vectorStoreId: string, fileId: string): Promise<void> {
    try {
      await (await index.get()).deleteFile(vectorStoreId, fileId);
    } catch (error) {
      // Search only returns chunks of files the store still lists as completed, so a leftover is inert.
      logger.warn("could not drop chunks from the vector index", { vectorStoreId, fileId, error: String(error) });
    }
  }

  /**
   * Extracts, embeds and indexes the file as `record` describes it; `undefined` when aborted before it
   * finished. `ingestFile` replaces the file's chunks, so whatever an earlier attempt (a process that died)
   * left in the index is dropped first.
   */
  async function indexFile(record: VectorStoreFile, signal: AbortSignal): Promise<IngestionOutcome | undefined> {
    const { vector_store_id: vectorStoreId, id: fileId } = record;
    try {
      const file = await store.files.get(fileId);
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
          signal,
        });
        return true;
      });
      if (!ingested) throw new Error("the file's content is missing");
      return { status: "completed", last_error: null, usage_bytes: file.bytes };
    } catch (error) {
      if (signal.aborted) return undefined;
      logger.warn("file ingestion failed", { vectorStoreId, fileId, error: String(error) });
      return { status: "failed", last_error: toLastError(error), usage_bytes: 0 };
    }
  }

  /** One ingestion job, a trace of its own (it may run long after, and far from, the upload that queued it). */
  function ingest(lease: IngestionLease, handBack: AbortSignal): Promise<void> {
    const attributes = { "spool.vector_store.id": lease.vectorStoreId, "spool.file.id": lease.fileId, "spool.ingestion.attempt": lease.attempt };
    return dependencies.telemetry.tracing.inSpan("ingest_file", { parent: "root", attributes }, async (span) => {
      const started = performance.now();
      const outcome = await ingestLeased(lease, handBack);
      if (outcome) {
        dependencies.telemetry.metrics.ingestionFinished(outcome.status === "completed" ? "completed" : "failed", performance.now() - started);
        span.setAttribute("spool.ingestion.status", outcome.status);
      }
    });
  }

  /** The outcome this process reached, if it reached one. */
  async function ingestLeased(lease: IngestionLease, handBack: AbortSignal): Promise<IngestionOutcome | undefined> {
    const { vectorStoreId, fileId } = lease;
    const withdraw = new AbortController();
    running.set(lease.job, { lease, withdraw });
    try {
      const record = await store.vectorStoreFiles.get(fileId, vectorStoreId);
      if (!record || record.status !== "in_progress") return undefined;
      // A file whose ingestion outlived its process this often (one that crashes it, say) is not tried again.
      const outcome = lease.attempt > maxIngestionAttempts ? givenUp(lease.attempt) : await indexFile(record, AbortSignal.any([handBack, withdraw.signal]));
      if (!outcome) {
        // Withdrawn here: drop what it indexed. Handed back: the next holder starts over, and the chunks
        // may already be that holder's.
        if (withdraw.signal.aborted) await dropChunks(vectorStoreId, fileId);
        return undefined;
      }
      const recorded = await recordIngestionOutcome(store, lease, outcome, leaseTtlMs);
      if (recorded.kind === "lease-lost") {
        logger.info("another process took this file's ingestion over; its result counts", leaseFields(lease));
      } else if (recorded.kind === "withdrawn") {
        // Removed or cancelled while it was being indexed: its chunks must not stay searchable.
        if (outcome.status === "completed") await dropChunks(vectorStoreId, fileId);
      } else if (outcome.status === "completed" && JSON.stringify(recorded.file.attributes) !== JSON.stringify(record.attributes)) {
        await (await index.get()).updateAttributes(vectorStoreId, fileId, recorded.file.attributes);
      }
      return outcome;
    } finally {
      running.delete(lease.job);
    }
  }

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

  return {
    wake: () => queue.wake(),
    async forget(vectorStoreId, fileId) {
      for (const { lease, withdraw } of running.values()) {
        if (lease.vectorStoreId === vectorStoreId && lease.fileId === fileId) withdraw.abort();
      }
      await dropChunks(vectorStoreId, fileId);
    },
    async forgetStore(vectorStoreId) {
      for (const { lease, withdraw } of running.values()) if (lease.vectorStoreId === vectorStoreId) withdraw.abort();
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
    start: () => queue.process(ingest),
    async stop(timeoutMs) {
      await queue.stop(timeoutMs);
      await index.close();
    },
  };
}
