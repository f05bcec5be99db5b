/** The customary RRF constant: damps the advantage of the very top ranks (Cormack et al., 2009). */
export const reciprocalRankConstant = 60;

export interface FusedItem<T> {
  item: T;
  /** Sum of 1 / (k + rank) over the rankings, divided by its maximum so it lies in 0..1. */
  score: number;
}

/**
 * Reciprocal-rank fusion: combines rankings from retrievers whose raw scores are not comparable
 * (cosine distance vs BM25). Items are identified by `keyOf`; a repeated key within one ranking only
 * counts at its best rank. The result is sorted best first; ties keep first-seen order.
 */
export function fuseRankings<T>(
  rankings: readonly (readonly T[])[],
  keyOf: (item: T) => string,
  k: number = reciprocalRankConstant,
): FusedItem<T>[] {
  const fused = new Map<string, FusedItem<T>>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    let rank = 0;
    for (const item of ranking) {
      const key = keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      rank++;
      const contribution = 1 / (k + rank);
      const existing = fused.get(key);
      if (existing === undefined) fused.set(key, { item, score: contribution });
      else existing.score += contribution;
    }
  }
  const bestPossible = rankings.length / (k + 1);
  return [...fused.values()]
    .map((entry) => ({ item: entry.item, score: Math.min(1, entry.score / bestPossible) }))
    .sort((a, b) => b.score - a.score);
}
