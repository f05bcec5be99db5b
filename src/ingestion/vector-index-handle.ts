import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { VectorIndex } from "../vector/vector-index.js";

/** The vector index, opened on first use. */
export interface VectorIndexHandle {
  get(): Promise<VectorIndex>;
  close(): Promise<void>;
}

export interface VectorIndexLocation {
  /** LanceDB directory, used when there is no database URL. */
  directory: string;
  /** Postgres URL: the index lives in the database, so every process on it searches the same chunks. */
  databaseUrl?: string | undefined;
  embeddingModel: () => EmbeddingModelV3;
}

/**
 * Opens the index lazily because its dimension is the embedding model's, which only the upstream (or an
 * existing index) knows. Being lazy also lets the server start while the upstream is down, and servers
 * that never use file search never load LanceDB and Arrow (~40 MB). A failed open is retried on the next use.
 */
export function lazyVectorIndex(location: VectorIndexLocation): VectorIndexHandle {
  let opening: Promise<VectorIndex> | undefined;
  const { databaseUrl, embeddingModel } = location;
  const open = async (): Promise<VectorIndex> =>
    databaseUrl
      ? (await import("../vector/postgres/open-postgres-index.js")).openPostgresIndex({ connectionString: databaseUrl, embeddingModel })
      : (await import("../vector/lancedb/open-lancedb-index.js")).openLanceDbIndex(location);
  return {
    get() {
      opening ??= open().catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
      return opening;
    },
    async close() {
      const index = await opening?.catch(() => undefined);
      opening = undefined;
      await index?.close();
    },
  };
}
