import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { embeddingDimensions } from "../embedder.js";
import type { VectorIndex } from "../vector-index.js";
import { connectVectorChunks, createPostgresVectorIndex, storedDimensions } from "./postgres-vector-index.js";

/**
 * Opens the index in the database with the embedding model's dimension: chunks already stored (by any
 * process) say it themselves, otherwise the model is asked once.
 */
export async function openPostgresIndex(options: { connectionString: string; embeddingModel: () => EmbeddingModelV3 }): Promise<VectorIndex> {
  const db = connectVectorChunks(options.connectionString);
  const stored = await storedDimensions(db).finally(() => db.destroy());
  const dimensions = stored ?? (await embeddingDimensions(options.embeddingModel()));
  return createPostgresVectorIndex({ connectionString: options.connectionString, dimensions });
}
