import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { VectorIndex } from "../vector/vector-index.js";

/** The vector index, opened on first use. */
export interface VectorIndexHandle {
  get(): Promise<VectorIndex>;
  close(): Promise<void>;
}

/**
 * Opens the LanceDB index lazily because its dimension is the embedding model's, which only the upstream
 * knows. Being lazy also lets the server start while the upstream is down, and servers that never use
 * file search never load LanceDB and Arrow (~40 MB). A failed open is retried on the next use.
 */
export function lazyVectorIndex(options: { directory: string; embeddingModel: () => EmbeddingModelV3 }): VectorIndexHandle {
  let opening: Promise<VectorIndex> | undefined;
  const open = async (): Promise<VectorIndex> => (await import("../vector/lancedb/open-lancedb-index.js")).openLanceDbIndex(options);
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
