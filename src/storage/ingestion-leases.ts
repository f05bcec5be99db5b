import type { Leases } from "./leases.js";

/** A claim on one vector store file's ingestion: only the holder of the current `attempt` may record its outcome. */
export interface IngestionLease {
  vectorStoreId: string;
  fileId: string;
  /**
   * The file's row (its `seq`). A file removed from its store and added again is a new row, so the lease
   * of an ingestion of its earlier incarnation never matches the new one.
   */
  job: number;
  owner: string;
  attempt: number;
}

/**
 * Ingestion dispatch on the vector_store_files table: a file `in_progress` without a live lease needs
 * ingesting. Renewal reports the `job`s still held.
 */
export type IngestionLeases = Leases<IngestionLease, number>;
