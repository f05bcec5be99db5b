import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { connect } from "@lancedb/lancedb";
import { DataType } from "apache-arrow";
import { embeddingDimensions } from "../embedder.js";
import type { VectorIndex } from "../vector-index.js";
import { chunksTableName } from "./chunk-table.js";
import { createLanceDbVectorIndex } from "./lancedb-vector-index.js";

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
 * Opens the index in `directory` with the embedding model's dimension: an existing index says it itself,
 * a new one asks the model once.
 */
export async function openLanceDbIndex(options: { directory: string; embeddingModel: () => EmbeddingModelV3 }): Promise<VectorIndex> {
  const dimensions = (await storedDimensions(options.directory)) ?? (await embeddingDimensions(options.embeddingModel()));
  return createLanceDbVectorIndex({ directory: options.directory, dimensions });
}
