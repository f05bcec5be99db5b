import type { EmbeddingModelV3 } from "@ai-sdk/provider";

/**
 * A deterministic, offline stand-in for a real embedding model: hashes character 1–3-grams of each
 * word into a fixed number of dimensions and L2-normalises, so texts sharing words or word fragments
 * (including Korean stems with different particles, e.g. 서울 / 서울은) get similar vectors.
 */
export function createHashingEmbeddingModel(options: { dimensions?: number } = {}): EmbeddingModelV3 {
  const dimensions = options.dimensions ?? 256;
  return {
    specificationVersion: "v3",
    provider: "spool-testing",
    modelId: `hashing-ngram-${dimensions}`,
    maxEmbeddingsPerCall: 2048,
    supportsParallelCalls: true,
    async doEmbed({ values }) {
      return {
        embeddings: values.map((value) => hashingEmbedding(value, dimensions)),
        usage: { tokens: values.reduce((sum, value) => sum + value.length, 0) },
        warnings: [],
      };
    },
  };
}

// Longer grams are more specific, so they carry more weight than single characters.
const gramWeights = [0, 0.5, 1, 1.5] as const;

export function hashingEmbedding(text: string, dimensions: number): number[] {
  const vector = new Float64Array(dimensions);
  for (const word of words(text)) {
    const characters = [...`\u0002${word}\u0003`];
    for (let size = 1; size <= 3; size++) {
      for (let start = 0; start + size <= characters.length; start++) {
        const gram = characters.slice(start, start + size).join("");
        if (size === 1 && (gram === "\u0002" || gram === "\u0003")) continue;
        const hash = fnv1a(gram);
        // The sign bit spreads collisions so they cancel out on average instead of piling up.
        const slot = hash % dimensions;
        vector[slot] = (vector[slot] ?? 0) + (hash & 0x80000000 ? -1 : 1) * (gramWeights[size] ?? 1);
      }
    }
  }
  const norm = Math.hypot(...vector);
  return Array.from(vector, (component) => (norm === 0 ? 0 : component / norm));
}

/**
 * Lower-cased words, additionally split where the script changes, so "2023년" yields "2023" and "년"
 * and a Korean particle glued to a Latin or numeric token does not hide it.
 */
function words(text: string): string[] {
  const separatedScripts = text
    .normalize("NFC")
    .toLowerCase()
    .replace(/\p{Script=Hangul}+|\p{Script=Han}+|[\p{Script=Hiragana}\p{Script=Katakana}]+/gu, " $& ");
  return separatedScripts.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
