import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { chunkDocument } from "./chunk.js";
import { autoChunking, resolveChunkingStrategy } from "./chunking-strategy.js";
import { InvalidChunkingStrategyError } from "./errors.js";

const words = (count: number, prefix = "word") => Array.from({ length: count }, (_, n) => `${prefix}${n}`).join(" ");

describe("resolveChunkingStrategy", () => {
  it("defaults to the auto strategy (800 / 400)", () => {
    expect(resolveChunkingStrategy()).toEqual({ maxChunkSizeTokens: 800, chunkOverlapTokens: 400 });
    expect(resolveChunkingStrategy({ type: "auto" })).toEqual(autoChunking);
  });

  it("accepts static strategies within bounds", () => {
    const strategy = (max: number, overlap: number) =>
      resolveChunkingStrategy({ type: "static", static: { max_chunk_size_tokens: max, chunk_overlap_tokens: overlap } });
    expect(strategy(100, 0)).toEqual({ maxChunkSizeTokens: 100, chunkOverlapTokens: 0 });
    expect(strategy(4096, 2048)).toEqual({ maxChunkSizeTokens: 4096, chunkOverlapTokens: 2048 });
  });

  it.each([
    [99, 0, "chunking_strategy.static.max_chunk_size_tokens"],
    [4097, 0, "chunking_strategy.static.max_chunk_size_tokens"],
    [500.5, 0, "chunking_strategy.static.max_chunk_size_tokens"],
    [500, -1, "chunking_strategy.static.chunk_overlap_tokens"],
    [500, 251, "chunking_strategy.static.chunk_overlap_tokens"],
    [500, 1.5, "chunking_strategy.static.chunk_overlap_tokens"],
  ])("rejects max %d / overlap %d naming %s", (max, overlap, param) => {
    const request = { type: "static", static: { max_chunk_size_tokens: max, chunk_overlap_tokens: overlap } } as const;
    expect(() => resolveChunkingStrategy(request)).toThrow(InvalidChunkingStrategyError);
    expect(() => resolveChunkingStrategy(request)).toThrow(expect.objectContaining({ param }));
  });
});

describe("chunkDocument", () => {
  it("windows each page with the requested size and overlap", () => {
    const text = words(1000);
    const chunks = chunkDocument({ pages: [{ pageNumber: 1, text }] }, { maxChunkSizeTokens: 300, chunkOverlapTokens: 100 });
    const total = encode(text).length;
    // Chunks are cut between words (1–3 tokens each here), so the stride is 200 give or take a word.
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil((total - 300) / 203) + 1);
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil((total - 300) / 197) + 1);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(300);
    for (const chunk of chunks) expect(chunk.tokenCount).toBe(encode(chunk.text).length);
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, position) => position));
    // Consecutive chunks share their overlap: the tail of one is the head of the next.
    for (let position = 1; position < chunks.length; position++) {
      const previous = chunks[position - 1]?.text ?? "";
      const current = chunks[position]?.text ?? "";
      const sharedWord = current.trim().split(" ")[1] ?? "";
      expect(previous).toContain(sharedWord);
    }
    expect(chunks[0]?.text.startsWith("word0 word1")).toBe(true);
    expect(chunks.at(-1)?.text.endsWith("word999")).toBe(true);
  });

  it("never lets a chunk span two pages and keeps page numbers", () => {
    const chunks = chunkDocument(
      {
        pages: [
          { pageNumber: 1, text: words(150, "alpha") },
          { pageNumber: 2, text: "" },
          { pageNumber: 3, text: words(30, "gamma") },
        ],
      },
      { maxChunkSizeTokens: 100, chunkOverlapTokens: 20 },
    );
    expect(chunks.map((chunk) => chunk.pageNumber)).toEqual([...chunks.filter((c) => c.text.includes("alpha")).map(() => 1), 3]);
    expect(chunks.filter((chunk) => chunk.pageNumber === 1).every((chunk) => !chunk.text.includes("gamma"))).toBe(true);
    expect(chunks.at(-1)?.text).toBe(words(30, "gamma"));
  });

  it("keeps short pages whole and skips blank ones", () => {
    const chunks = chunkDocument(
      { pages: [{ pageNumber: null, text: "  \n " }, { pageNumber: null, text: "대한민국의 수도는 서울입니다" }] },
      autoChunking,
    );
    expect(chunks).toEqual([
      { index: 0, text: "대한민국의 수도는 서울입니다", pageNumber: null, tokenCount: encode("대한민국의 수도는 서울입니다").length },
    ]);
  });

  it("splits unspaced text (Chinese) longer than a chunk without exceeding the limit", () => {
    const text = "中华人民共和国是世界上人口最多的国家之一".repeat(60);
    const chunks = chunkDocument({ pages: [{ pageNumber: 1, text }] }, { maxChunkSizeTokens: 100, chunkOverlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(100);
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(text);
  });

  it("never cuts through a character that spans several tokens", () => {
    // Rare Hangul syllables, a CJK extension-B ideograph and flags are split into byte-level tokens.
    const text = Array.from({ length: 400 }, (_, n) => ["뷁", "쀍", "똠방각하", "𠜎", "🇰🇷", "햏"][n % 6]).join("");
    const chunks = chunkDocument({ pages: [{ pageNumber: 1, text }] }, { maxChunkSizeTokens: 100, chunkOverlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.text).not.toContain("\uFFFD");
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(text);
  });

  it("keeps Korean intact with overlap", () => {
    const sentence = "2023년 국내총생산 성장률은 1.4%로 전망된다. ";
    const text = sentence.repeat(60);
    const chunks = chunkDocument({ pages: [{ pageNumber: 2, text }] }, { maxChunkSizeTokens: 120, chunkOverlapTokens: 40 });
    for (const chunk of chunks) {
      expect(chunk.text).not.toContain("\uFFFD");
      expect(text).toContain(chunk.text);
    }
  });

  it("treats special-token lookalikes in documents as plain text", () => {
    const [chunk] = chunkDocument({ pages: [{ pageNumber: null, text: "before <|endoftext|> after" }] }, autoChunking);
    expect(chunk?.text).toBe("before <|endoftext|> after");
  });
});
