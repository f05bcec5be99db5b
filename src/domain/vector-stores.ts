import type { Metadata } from "./objects.js";

export interface FileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

export interface VectorStore {
  id: string;
  object: "vector_store";
  created_at: number;
  name: string;
  usage_bytes: number;
  file_counts: FileCounts;
  status: "expired" | "in_progress" | "completed";
  expires_after: { anchor: "last_active_at"; days: number } | null;
  expires_at: number | null;
  last_active_at: number | null;
  metadata: Metadata;
}

export type StaticChunkingStrategy = {
  type: "static";
  static: { max_chunk_size_tokens: number; chunk_overlap_tokens: number };
};

export type FileAttributes = Record<string, string | number | boolean>;

export interface VectorStoreFile {
  id: string;
  object: "vector_store.file";
  usage_bytes: number;
  created_at: number;
  vector_store_id: string;
  status: "in_progress" | "completed" | "cancelled" | "failed";
  last_error: { code: "server_error" | "unsupported_file" | "invalid_file"; message: string } | null;
  chunking_strategy: StaticChunkingStrategy;
  attributes: FileAttributes | null;
  /** Not on the wire: the batch that added the file, if any. */
  batch_id: string | null;
}

export interface VectorStoreFileBatch {
  id: string;
  object: "vector_store.files_batch";
  created_at: number;
  vector_store_id: string;
  status: "in_progress" | "completed" | "cancelled" | "failed";
  file_counts: FileCounts;
}
