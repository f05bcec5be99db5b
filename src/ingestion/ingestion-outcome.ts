import type { VectorStoreFile } from "../domain/vector-stores.js";
import { saveVectorStoreFile } from "../records/vector-store-bookkeeping.js";
import type { IngestionLease } from "../storage/ingestion-leases.js";
import type { Store } from "../storage/store.js";

export type IngestionOutcome = Pick<VectorStoreFile, "status" | "last_error" | "usage_bytes">;

/**
 * What became of an outcome: written; refused because another process holds the file now (a newer
 * attempt, whose result wins); or not needed because the file left its store or was cancelled meanwhile.
 */
export type RecordedOutcome = { kind: "recorded"; file: VectorStoreFile } | { kind: "lease-lost" } | { kind: "withdrawn" };

/**
 * Records `completed` or `failed`, fenced by the lease: only the current attempt may write. Holding the
 * lease locks the file's row until commit on Postgres, so nobody takes it over between check and write.
 */
export async function recordIngestionOutcome(store: Store, lease: IngestionLease, outcome: IngestionOutcome, leaseTtlMs: number): Promise<RecordedOutcome> {
  return store.transaction(async (transaction) => {
    if (!(await transaction.ingestionLeases.hold(lease, leaseTtlMs))) return { kind: "lease-lost" };
    const current = await transaction.vectorStoreFiles.get(lease.fileId, lease.vectorStoreId);
    if (!current || current.status !== "in_progress") return { kind: "withdrawn" };
    await saveVectorStoreFile(transaction, current, { ...current, ...outcome });
    return { kind: "recorded", file: current };
  });
}
