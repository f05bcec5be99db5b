import { InvalidChunkingStrategyError } from "./errors.js";

export interface ChunkingOptions {
  maxChunkSizeTokens: number;
  chunkOverlapTokens: number;
}

/** The `chunking_strategy` request body of the vector store file endpoints. */
export type ChunkingStrategyRequest =
  | { type: "auto" }
  | { type: "static"; static: { max_chunk_size_tokens: number; chunk_overlap_tokens: number } };

/** What `{ type: "auto" }` means, matching OpenAI's documented defaults. */
export const autoChunking: ChunkingOptions = { maxChunkSizeTokens: 800, chunkOverlapTokens: 400 };

/**
 * Turns a request's `chunking_strategy` into effective options, applying the API's bounds for static
 * strategies: 100 ≤ max ≤ 4096, 0 ≤ overlap ≤ max / 2.
 *
 * @throws InvalidChunkingStrategyError naming the offending field.
 */
export function resolveChunkingStrategy(request?: ChunkingStrategyRequest): ChunkingOptions {
  if (request === undefined || request.type === "auto") return autoChunking;
  if (request.type !== "static") {
    throw new InvalidChunkingStrategyError("chunking_strategy.type must be 'auto' or 'static'", "chunking_strategy.type");
  }
  const { max_chunk_size_tokens: max, chunk_overlap_tokens: overlap } = request.static;
  if (!Number.isInteger(max) || max < 100 || max > 4096) {
    throw new InvalidChunkingStrategyError(
      "max_chunk_size_tokens must be an integer between 100 and 4096",
      "chunking_strategy.static.max_chunk_size_tokens",
    );
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > max / 2) {
    throw new InvalidChunkingStrategyError(
      "chunk_overlap_tokens must be a non-negative integer not exceeding half of max_chunk_size_tokens",
      "chunking_strategy.static.chunk_overlap_tokens",
    );
  }
  return { maxChunkSizeTokens: max, chunkOverlapTokens: overlap };
}
