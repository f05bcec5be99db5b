import type { Generated } from "kysely";

/**
 * Every object table has the same shape: the object itself as JSON in `body`, plus the few columns that
 * lists filter and order by. `seq` gives a stable creation order when `created_at` seconds tie.
 */
export interface ObjectRow {
  seq: Generated<number>;
  id: string;
  created_at: number;
  /** The owning object: thread for messages and runs, run for steps, vector store for its files and batches. */
  parent_id: string | null;
  run_id: string | null;
  status: string | null;
  body: string;
  /** The project the object belongs to (see `collection.ts`). */
  project_id: string;
  /** Unix seconds after which the object is gone (reads skip it, a sweep deletes it); null for never. */
  expires_at: number | null;
}

export const objectTables = [
  "assistants",
  "threads",
  "messages",
  "runs",
  "run_steps",
  "files",
  "vector_stores",
  "vector_store_files",
  "file_batches",
] as const;

/**
 * The tables of migration 0001, and those of the same shape added later (0006: each thread's item log,
 * 0007: responses, 0009: projects, their service accounts and API keys, 0010: containers).
 */
export type ObjectTable =
  | (typeof objectTables)[number]
  | "thread_items"
  | "responses"
  | "projects"
  | "service_accounts"
  | "api_keys"
  | "containers"
  | "container_files";

/** Runs and vector store files also carry the lease of the process working on them (see `leases.ts`). */
export interface LeasedRow extends ObjectRow {
  lease_owner: string | null;
  /** Milliseconds since the epoch, by the database's clock. */
  lease_expires_at: number | null;
  /** Incremented by every claim; an executor's writes are fenced by the attempt it claimed. */
  attempt: Generated<number>;
}

/** A batch of one run's events, for processes other than the one that published them. */
export interface RunEventRow {
  run_id: string;
  seq: number;
  origin: string;
  created_at: number;
  body: string;
}

/** The latest entry number of each run's event log. */
export interface RunEventHeadRow {
  run_id: string;
  seq: number;
}

export type Database = Record<Exclude<ObjectTable, "runs" | "vector_store_files">, ObjectRow> & {
  runs: LeasedRow;
  vector_store_files: LeasedRow;
  run_events: RunEventRow;
  run_event_heads: RunEventHeadRow;
};
