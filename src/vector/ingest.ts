import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { Attributes } from "./attribute-filter.js";
import type { ChunkingOptions } from "./chunking-strategy.js";
import { embedTexts } from "./embedder.js";
import { extractDocument } from "./extract/extract-document.js";
import type { VectorIndex } from "./vector-index.js";

export interface IngestFileInput {
  /** Where the uploaded bytes are stored. */
  path: string;
  /** The upload's original name; its extension decides how the file is parsed. */
  filename: string;
  fileId: string;
  vectorStoreId: string;
  attributes: Attributes | null;
  /** Effective chunking, e.g. from {@link resolveChunkingStrategy}. */
  chunking: ChunkingOptions;
  embeddingModel: EmbeddingModelV3;
  index: VectorIndex;
  signal?: AbortSignal;
}

export interface IngestFileResult {
  chunkCount: number;
  /** o200k_base tokens across all chunks (overlapping tokens counted in each chunk). */
  tokenCount: number;
}

/**
 * Extracts, chunks, embeds and indexes one file into one vector store. Any chunks the file already has
 * in that store are replaced, so a retried ingestion never duplicates them.
 *
 * @throws UnsupportedFileError / InvalidFileError from extraction; embedding and index errors as thrown.
 */
export async function ingestFile(input: IngestFileInput): Promise<IngestFileResult> {
  const { signal } = input;
  const document = await extractDocument({ path: input.path, filename: input.filename });
  signal?.throwIfAborted();
  // The tokenizer behind chunking is ~50 MB of tables; servers that never index a file never load it.
  const { chunkDocument } = await import("./chunk.js");
  const chunks = chunkDocument(document, input.chunking);
  const vectors = await embedTexts(
    input.embeddingModel,
    chunks.map((chunk) => chunk.text),
    { signal },
  );
  signal?.throwIfAborted();

  await input.index.deleteFile(input.vectorStoreId, input.fileId);
  await input.index.add(
    chunks.map((chunk, position) => ({
      vectorStoreId: input.vectorStoreId,
      fileId: input.fileId,
      filename: input.filename,
      chunkIndex: chunk.index,
      pageNumber: chunk.pageNumber,
      text: chunk.text,
      vector: vectors[position] ?? [],
      attributes: input.attributes,
    })),
  );
  return { chunkCount: chunks.length, tokenCount: chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0) };
}
