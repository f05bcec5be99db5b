import { connect } from "@lancedb/lancedb";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { DataType } from "apache-arrow";
import { embedTexts } from "../vector/embedder.js";
import { chunksTableName } from "../vector/lancedb/chunk-table.js";
import { createLanceDbVectorIndex } from "../vector/lancedb/lancedb-vector-index.js";
import type { VectorIndex } from "../vector/vector-index.js";

/** The vector index, opened on first use. */
export interface VectorIndexHandle {
  get(): Promise<VectorIndex>;
  close(): Promise<void>;
}

/** Dimension of the embeddings an existing index holds, or undefined when nothing was indexed yet. */
async function storedDimensions(directory: string): Promise<number | undefined> {
  const connection = await connect(directory);
  try {
    if (!(await connection.tableNames()).includes(chunksTableName)) return undefined;
    const table = await connection.openTable(chunksTableName);
    const vectorType = (await table.schema()).fields.find((field) => field.name === "vector")?.type;
    table.close();
    return DataType.isFixedSizeList(vectorType) ? vectorType.listSize : undefined;
  } finally {
    connection.close();
  }
}

/**
 * Opens the LanceDB index lazily because its dimension is the embedding model's, which only the upstream
 * knows: an existing index says it itself, a new one asks the model once. Being lazy also lets the
 * server start while the upstream is down. A failed open is retried on the next use.
 */
export function lazyVectorIndex(options: { directory: string; embeddingModel: () => EmbeddingModelV3 }): VectorIndexHandle {
  let opening: Promise<VectorIndex> | undefined;
  const open = async (): Promise<VectorIndex> => {
    const dimensions =
      (await storedDimensions(options.directory)) ?? (await embedTexts(options.embeddingModel(), ["dimension probe"]))[0]?.length;
    if (!dimensions) throw new Error("The embedding model returned an empty embedding.");
    return createLanceDbVectorIndex({ directory: options.directory, dimensions });
  };
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
