/**
 * Deterministic, dependency-free text embeddings for tests and benchmarks.
 *
 * Character n-grams are hashed into a fixed number of buckets ("feature
 * hashing"), so two texts that share many substrings get a high cosine
 * similarity without any model. It is nowhere near semantic, but it is stable
 * across runs and machines, which is what retrieval tests need.
 */

/** Longer n-grams carry more "meaning" than single letters, so they weigh more. */
const NGRAM_WEIGHTS: readonly (readonly [length: number, weight: number])[] = [
  [1, 0.5],
  [2, 1],
  [3, 1.5],
];

/**
 * Empty (or punctuation-only) text still needs a unit-length vector: a zero
 * vector makes cosine similarity NaN in vector stores.
 */
const EMPTY_TEXT_SENTINEL = "\u0000empty";

/** 32-bit FNV-1a over UTF-16 code units; fast and good enough for bucketing. */
function fnv1a32(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let position = 0; position < text.length; position++) {
    hash ^= text.charCodeAt(position);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Lowercases, NFC-normalizes (so decomposed Hangul jamo match precomposed
 * syllables) and reduces punctuation/whitespace runs to a single space, so
 * "Hello, world!" and "hello world" embed identically.
 */
function normalizeForEmbedding(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Embeds `text` into an L2-normalized vector of `dimensions` numbers by hashing
 * its lowercased character 1-, 2- and 3-grams (iterated by Unicode code point,
 * so Korean syllables and other non-BMP/multi-byte characters are never split).
 * Similar texts share n-grams and therefore score a higher cosine similarity.
 * Deterministic: the same input always yields the same vector.
 */
export function hashEmbedding(text: string, dimensions: number): number[] {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RangeError(`hashEmbedding: dimensions must be a positive integer, got ${dimensions}`);
  }
  const vector = new Array<number>(dimensions).fill(0);
  const normalized = normalizeForEmbedding(text);
  const codePoints = Array.from(normalized.length > 0 ? normalized : EMPTY_TEXT_SENTINEL);

  for (const [length, weight] of NGRAM_WEIGHTS) {
    for (let start = 0; start + length <= codePoints.length; start++) {
      const gram = codePoints.slice(start, start + length).join("");
      const bucket = fnv1a32(gram, length) % dimensions;
      // A hash-derived sign makes unrelated collisions cancel out on average
      // instead of inflating the similarity of dissimilar texts.
      const sign = (fnv1a32(gram, 0x9e3779b9) & 1) === 0 ? 1 : -1;
      vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
    }
  }

  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  if (norm === 0) {
    // Only possible if every contribution cancelled out; any unit vector will do.
    vector[0] = 1;
    return vector;
  }
  return vector.map((value) => value / norm);
}

/** Cosine similarity of two equal-length vectors (dot product when both are unit length). */
export function cosineSimilarity(left: readonly number[], right: readonly number[]): number {
  if (left.length !== right.length) {
    throw new RangeError(`cosineSimilarity: length mismatch ${left.length} vs ${right.length}`);
  }
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index++) {
    const leftValue = left[index] ?? 0;
    const rightValue = right[index] ?? 0;
    dot += leftValue * rightValue;
    leftNorm += leftValue * leftValue;
    rightNorm += rightValue * rightValue;
  }
  const denominator = Math.sqrt(leftNorm) * Math.sqrt(rightNorm);
  return denominator === 0 ? 0 : dot / denominator;
}
