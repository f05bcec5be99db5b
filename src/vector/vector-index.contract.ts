import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Attributes } from "./attribute-filter.js";
import { hashingEmbedding } from "./testing/hashing-embedding-model.js";
import type { IndexedChunk, SearchQuery, VectorIndex } from "./vector-index.js";

/** Vector dimension the contract's chunks use; factories must create indexes of this size. */
export const contractDimensions = 256;

/** A chunk of `fileId` whose vector is its text's hashing embedding, as the contract and the index tests add them. */
export function contractChunk(
  vectorStoreId: string,
  fileId: string,
  chunkIndex: number,
  text: string,
  attributes: Attributes | null = null,
): IndexedChunk {
  return {
    vectorStoreId,
    fileId,
    filename: `${fileId}.txt`,
    chunkIndex,
    pageNumber: chunkIndex + 1,
    text,
    vector: hashingEmbedding(text, contractDimensions),
    attributes,
  };
}

function query(vectorStoreIds: string[], text: string, options: Partial<SearchQuery> = {}): SearchQuery {
  return { vectorStoreIds, text, vector: hashingEmbedding(text, contractDimensions), limit: 10, ...options };
}

const fileIds = (hits: { fileId: string }[]) => hits.map((hit) => hit.fileId);

/**
 * Behaviour every {@link VectorIndex} must have. `factory` opens an index in `directory`; calling it
 * twice with the same directory must reopen the same data.
 */
export function defineVectorIndexContract(name: string, factory: (directory: string) => Promise<VectorIndex>): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let directory: string;
    let index: VectorIndex;

    beforeEach(async () => {
      directory = await mkdtemp(path.join(tmpdir(), "spool-vector-index-"));
      index = await factory(directory);
    });

    afterEach(async () => {
      await index.close();
      await rm(directory, { recursive: true, force: true });
    });

    it("returns nothing before anything is added", async () => {
      expect(await index.search(query(["vs_a"], "anything"))).toEqual([]);
    });

    it("finds added chunks with their metadata and a 0..1 score", async () => {
      await index.add([
        contractChunk("vs_a", "file_paris", 0, "The capital of France is Paris, on the river Seine.", { lang: "en" }),
        contractChunk("vs_a", "file_tokyo", 0, "Tokyo is the capital of Japan and its largest city."),
        contractChunk("vs_a", "file_cats", 0, "Cats sleep for most of the day and hunt at dusk."),
      ]);
      for (const mode of ["hybrid", "vector", "text"] as const) {
        const hits = await index.search(query(["vs_a"], "What is the capital of France?", { mode }));
        expect(hits[0]).toMatchObject({
          vectorStoreId: "vs_a",
          fileId: "file_paris",
          filename: "file_paris.txt",
          chunkIndex: 0,
          pageNumber: 1,
          text: "The capital of France is Paris, on the river Seine.",
          attributes: { lang: "en" },
        });
        for (const hit of hits) expect(hit.score).toBeGreaterThanOrEqual(0);
        for (const hit of hits) expect(hit.score).toBeLessThanOrEqual(1);
        expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
      }
    });

    it("never returns chunks of a store that was not asked for", async () => {
      await index.add([
        contractChunk("vs_a", "file_a", 0, "Quarterly revenue grew by twelve percent."),
        contractChunk("vs_b", "file_b", 0, "Quarterly revenue grew by twelve percent."),
        contractChunk("vs_it's", "file_c", 0, "Quarterly revenue grew by twelve percent."),
      ]);
      for (const mode of ["hybrid", "vector", "text"] as const) {
        expect(fileIds(await index.search(query(["vs_a"], "quarterly revenue", { mode })))).toEqual(["file_a"]);
        expect(fileIds(await index.search(query(["vs_it's"], "quarterly revenue", { mode })))).toEqual(["file_c"]);
      }
      expect(fileIds(await index.search(query(["vs_a", "vs_b"], "quarterly revenue"))).sort()).toEqual(["file_a", "file_b"]);
      expect(await index.search(query([], "quarterly revenue"))).toEqual([]);
    });

    it("deleteFile removes the file's chunks from every retriever and keeps the others", async () => {
      await index.add([
        contractChunk("vs_a", "file_gone", 0, "Zebra migration patterns in the Serengeti."),
        contractChunk("vs_a", "file_gone", 1, "Zebra stripes confuse biting flies."),
        contractChunk("vs_a", "file_kept", 0, "Zebra crossings give pedestrians right of way."),
        contractChunk("vs_b", "file_gone", 0, "Zebra foals can stand within an hour of birth."),
      ]);
      await index.deleteFile("vs_a", "file_gone");
      for (const mode of ["hybrid", "vector", "text"] as const) {
        expect(fileIds(await index.search(query(["vs_a"], "zebra", { mode })))).toEqual(["file_kept"]);
        expect(fileIds(await index.search(query(["vs_b"], "zebra", { mode })))).toEqual(["file_gone"]);
      }
      await index.deleteFile("vs_a", "no_such_file");
    });

    it("deleteStore removes every chunk of the store and nothing else", async () => {
      await index.add([
        contractChunk("vs_a", "file_1", 0, "Photosynthesis converts light into chemical energy."),
        contractChunk("vs_a", "file_2", 0, "Chlorophyll absorbs red and blue light."),
        contractChunk("vs_b", "file_3", 0, "Photosynthesis happens in chloroplasts."),
      ]);
      await index.deleteStore("vs_a");
      expect(await index.search(query(["vs_a"], "photosynthesis light"))).toEqual([]);
      expect(fileIds(await index.search(query(["vs_b"], "photosynthesis")))).toEqual(["file_3"]);
    });

    it("hybrid search finds an exact rare token that vector search ranks below look-alikes", async () => {
      const target =
        "Warranty terms: the compressor unit XK-4471Q is covered for five years, including parts and " +
        "labour, provided it is serviced annually by an authorised technician.";
      // Glued variants share almost every character n-gram with the code, so their embeddings sit
      // closer to the query than the long target passage, yet none contains the tokens "xk" and "4471q".
      const lookAlikes = ["XK4471Q", "XK4471QA", "XK44710Q", "XK4471QQ", "XKK4471Q", "XK4417Q", "KX4471Q", "XK4471"];
      await index.add([
        contractChunk("vs_a", "file_target", 0, target),
        ...lookAlikes.map((code, position) => contractChunk("vs_a", `file_lookalike_${position}`, 0, `Part ${code}`)),
      ]);
      const rareToken = query(["vs_a"], "XK-4471Q", { limit: 3 });

      const vectorHits = await index.search({ ...rareToken, mode: "vector" });
      expect(fileIds(vectorHits)).not.toContain("file_target");
      const hybridHits = await index.search({ ...rareToken, mode: "hybrid" });
      expect(hybridHits[0]?.fileId).toBe("file_target");
    });

    it("matches a Korean word inside a longer word", async () => {
      await index.add([
        contractChunk("vs_a", "file_seoul", 0, "대한민국의 수도는 서울입니다"),
        contractChunk("vs_a", "file_tokyo", 0, "일본의 수도는 도쿄입니다"),
        contractChunk("vs_a", "file_busan", 0, "부산은 큰 항구 도시입니다"),
        contractChunk("vs_a", "file_english", 0, "The capital of South Korea is a large city."),
      ]);
      for (const mode of ["hybrid", "text"] as const) {
        const hits = await index.search(query(["vs_a"], "서울", { mode }));
        expect(hits[0]?.fileId).toBe("file_seoul");
        expect(hits[0]?.text).toBe("대한민국의 수도는 서울입니다");
      }
      expect(fileIds(await index.search(query(["vs_a"], "서울", { mode: "text" })))).toEqual(["file_seoul"]);
    });

    describe("attribute filters", () => {
      beforeEach(async () => {
        await index.add([
          contractChunk("vs_a", "file_kr", 0, "Annual report on exports and growth.", { region: "kr", year: 2023, public: true }),
          contractChunk("vs_a", "file_us", 0, "Annual report on imports and inflation.", { region: "us", year: 2022, public: false }),
          contractChunk("vs_a", "file_jp", 0, "Annual report on tourism.", { region: "jp", year: 2024 }),
          contractChunk("vs_a", "file_none", 0, "Annual report without attributes."),
        ]);
      });

      const filtered = async (filter: SearchQuery["filter"]) =>
        fileIds(await index.search(query(["vs_a"], "annual report", { filter }))).sort();

      it("supports comparison operators", async () => {
        expect(await filtered({ type: "eq", key: "region", value: "kr" })).toEqual(["file_kr"]);
        expect(await filtered({ type: "ne", key: "region", value: "kr" })).toEqual(["file_jp", "file_none", "file_us"]);
        expect(await filtered({ type: "gt", key: "year", value: 2022 })).toEqual(["file_jp", "file_kr"]);
        expect(await filtered({ type: "lte", key: "year", value: 2023 })).toEqual(["file_kr", "file_us"]);
        expect(await filtered({ type: "eq", key: "public", value: false })).toEqual(["file_us"]);
        expect(await filtered({ type: "in", key: "region", value: ["us", "jp"] })).toEqual(["file_jp", "file_us"]);
        expect(await filtered({ type: "nin", key: "region", value: ["us", "jp"] })).toEqual(["file_kr", "file_none"]);
        expect(await filtered({ type: "eq", key: "region", value: "fr" })).toEqual([]);
      });

      it("supports and / or compounds", async () => {
        expect(
          await filtered({
            type: "and",
            filters: [
              { type: "gte", key: "year", value: 2023 },
              { type: "eq", key: "public", value: true },
            ],
          }),
        ).toEqual(["file_kr"]);
        expect(
          await filtered({
            type: "or",
            filters: [
              { type: "eq", key: "region", value: "us" },
              { type: "and", filters: [{ type: "gt", key: "year", value: 2023 }] },
            ],
          }),
        ).toEqual(["file_jp", "file_us"]);
      });

      it("filters before applying the limit", async () => {
        const hits = await index.search(
          query(["vs_a"], "exports and growth", { limit: 1, filter: { type: "eq", key: "region", value: "jp" } }),
        );
        expect(fileIds(hits)).toEqual(["file_jp"]);
      });

      it("sees attributes updated after indexing", async () => {
        await index.updateAttributes("vs_a", "file_none", { region: "kr", year: 2025 });
        expect(await filtered({ type: "eq", key: "region", value: "kr" })).toEqual(["file_kr", "file_none"]);
        const [hit] = await index.search(
          query(["vs_a"], "annual report", { filter: { type: "eq", key: "year", value: 2025 } }),
        );
        expect(hit?.attributes).toEqual({ region: "kr", year: 2025 });
        await index.updateAttributes("vs_a", "file_none", null);
        expect(await filtered({ type: "eq", key: "region", value: "kr" })).toEqual(["file_kr"]);
      });

      it("keeps filtering correctly after the index is reopened", async () => {
        await index.close();
        index = await factory(directory);
        expect(await filtered({ type: "eq", key: "region", value: "kr" })).toEqual(["file_kr"]);
      });
    });

    it("drops hits below scoreThreshold", async () => {
      await index.add([
        contractChunk("vs_a", "file_exact", 0, "solar panel efficiency"),
        contractChunk("vs_a", "file_related", 0, "The efficiency of solar panels drops in hot weather."),
        contractChunk("vs_a", "file_unrelated", 0, "Medieval castles had thick stone walls."),
      ]);
      const all = await index.search(query(["vs_a"], "solar panel efficiency", { mode: "vector" }));
      expect(all).toHaveLength(3);
      const threshold = 0.9;
      const kept = await index.search(query(["vs_a"], "solar panel efficiency", { mode: "vector", scoreThreshold: threshold }));
      expect(fileIds(kept)).toEqual(["file_exact"]);
      const hybridKept = await index.search(query(["vs_a"], "solar panel efficiency", { scoreThreshold: threshold }));
      for (const hit of hybridKept) expect(hit.score).toBeGreaterThanOrEqual(threshold);
    });

    it("returns at most limit distinct chunks", async () => {
      const texts = Array.from({ length: 12 }, (_, position) => `Recipe ${position}: bake the bread for ${20 + position} minutes.`);
      await index.add(texts.map((text, position) => contractChunk("vs_a", "file_recipes", position, text)));
      await index.add([contractChunk("vs_a", "file_recipes", 0, texts[0] ?? "")]);
      for (const mode of ["hybrid", "vector", "text"] as const) {
        const hits = await index.search(query(["vs_a"], "bake the bread", { limit: 5, mode }));
        expect(hits).toHaveLength(5);
        expect(new Set(hits.map((hit) => hit.chunkIndex)).size).toBe(5);
      }
      const everything = await index.search(query(["vs_a"], "bake the bread", { limit: 50 }));
      expect(everything).toHaveLength(12);
    });

    it("treats query text literally, whatever characters it contains", async () => {
      await index.add([contractChunk("vs_a", "file_1", 0, "C++ templates: \"SFINAE\" (substitution failure) AND/OR concepts*")]);
      for (const text of ['"SFINAE" AND (failure) OR NOT c++:*', "the of and", "?!", "", "'; DROP TABLE chunks; --"]) {
        const hits = await index.search(query(["vs_a"], text));
        expect(hits.length).toBeLessThanOrEqual(1);
      }
    });

    it("makes chunks searchable as soon as concurrent adds resolve", async () => {
      await index.add([contractChunk("vs_a", "file_seed", 0, "Seed document about gardening.")]);
      const topics = ["volcano", "glacier", "desert", "rainforest", "tundra", "savanna", "estuary", "canyon"];
      await Promise.all(topics.map((topic) => index.add([contractChunk("vs_a", `file_${topic}`, 0, `A field guide to the ${topic}.`)])));
      for (const topic of topics) {
        const [hit] = await index.search(query(["vs_a"], topic, { mode: "text", limit: 1 }));
        expect(hit?.fileId).toBe(`file_${topic}`);
      }
    });
  });
}
