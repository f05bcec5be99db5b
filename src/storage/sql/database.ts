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

export type ObjectTable = (typeof objectTables)[number];

export type Database = Record<ObjectTable, ObjectRow>;
