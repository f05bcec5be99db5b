import { fuseRankings } from "./rank-fusion.js";
import type { SearchHit, SearchMode, SearchQuery } from "./vector-index.js";

/** A chunk one retriever found, before it is scored as a hit. */
export type Candidate = Omit<SearchHit, "score">;

/** A candidate of vector retrieval, with its cosine similarity to the query. */
export type VectorCandidate = Candidate & { similarity: number };

/**
 * How many candidates each retriever should return for `limit` hits. Fusion needs depth: a chunk ranked
 * 30th by one retriever and 2nd by the other can win overall.
 */
export function candidateDepth(mode: SearchMode, limit: number): number {
  return mode === "hybrid" ? Math.max(limit * 3, 50) : limit * 2;
}

export function chunkKey(hit: { vectorStoreId: string; fileId: string; chunkIndex: number }): string {
  return `${hit.vectorStoreId}\u0000${hit.fileId}\u0000${hit.chunkIndex}`;
}

/**
 * The hits of `query` from the retrievers' rankings (best first; the one `query.mode` does not use is
 * empty): scored as {@link SearchHit.score} documents, deduplicated, cut at the threshold and the limit.
 */
export function selectHits(query: SearchQuery, vectorRanking: VectorCandidate[], textRanking: Candidate[]): SearchHit[] {
  const mode = query.mode ?? "hybrid";
  const scored: { item: Candidate; score: number }[] =
    mode === "vector"
      ? vectorRanking.map((item) => ({ item, score: Math.min(1, Math.max(0, item.similarity)) }))
      : fuseRankings<Candidate>(mode === "text" ? [textRanking] : [vectorRanking, textRanking], chunkKey);

  const seen = new Set<string>();
  const hits: SearchHit[] = [];
  for (const { item, score } of scored) {
    const key = chunkKey(item);
    if (seen.has(key) || score < (query.scoreThreshold ?? 0)) continue;
    seen.add(key);
    const { vectorStoreId, fileId, filename, chunkIndex, pageNumber, text, attributes } = item;
    hits.push({ vectorStoreId, fileId, filename, chunkIndex, pageNumber, text, score, attributes });
    if (hits.length === query.limit) break;
  }
  return hits;
}
