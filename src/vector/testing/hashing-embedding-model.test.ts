import { describe, expect, it } from "vitest";
import { createHashingEmbeddingModel, hashingEmbedding } from "./hashing-embedding-model.js";

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

describe("hashing embedding model", () => {
  it("implements EmbeddingModelV3 with unit-length, deterministic vectors", async () => {
    const model = createHashingEmbeddingModel({ dimensions: 64 });
    const { embeddings } = await model.doEmbed({ values: ["hello world", "hello world", ""] });
    const [first, second, empty] = embeddings;
    expect(first).toHaveLength(64);
    expect(first).toEqual(second);
    expect(Math.hypot(...(first ?? []))).toBeCloseTo(1, 6);
    expect(empty?.every((value) => value === 0)).toBe(true);
  });

  it("places texts sharing words and word fragments closer together", () => {
    const embed = (text: string) => hashingEmbedding(text, 256);
    const query = embed("solar panel efficiency");
    expect(cosine(query, embed("The efficiency of solar panels"))).toBeGreaterThan(cosine(query, embed("medieval stone castles")));
    const seoul = embed("서울");
    expect(cosine(seoul, embed("대한민국의 수도는 서울입니다"))).toBeGreaterThan(cosine(seoul, embed("일본의 수도는 도쿄입니다")));
    expect(cosine(embed("2023년"), embed("2023"))).toBeGreaterThan(0.5);
  });
});
