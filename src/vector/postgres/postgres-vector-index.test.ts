import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../../storage/sql/postgres-store.js";
import { throwawayPostgresForFile } from "../../testing/postgres-for-file.js";
import { hashingEmbedding } from "../testing/hashing-embedding-model.js";
import { contractChunk, contractDimensions, defineVectorIndexContract } from "../vector-index.contract.js";
import { createPostgresVectorIndex } from "./postgres-vector-index.js";

const postgres = throwawayPostgresForFile();
const databaseOfDirectory = new Map<string, string>();

/** A fresh database with the store's migrations applied, as a Spool server leaves it at startup. */
async function freshDatabase(): Promise<string> {
  const url = await postgres.freshDatabase("vector_index");
  await (await openPostgresStore(url)).close();
  return url;
}

// The contract reopens an index by its directory; here a directory stands for a database.
defineVectorIndexContract("Postgres", async (directory) => {
  let url = databaseOfDirectory.get(directory);
  if (url === undefined) {
    url = await freshDatabase();
    databaseOfDirectory.set(directory, url);
  }
  return createPostgresVectorIndex({ connectionString: url, dimensions: contractDimensions });
});

describe("Postgres vector index", () => {
  const chunk = (vectorStoreId: string, fileId: string, text: string) => contractChunk(vectorStoreId, fileId, 0, text);
  const search = (text: string) => ({ vectorStoreIds: ["vs_a"], text, vector: hashingEmbedding(text, contractDimensions), limit: 10 });

  it("shows one index's writes to another index on the same database at once", async () => {
    const url = await freshDatabase();
    const writer = await createPostgresVectorIndex({ connectionString: url, dimensions: contractDimensions });
    const reader = await createPostgresVectorIndex({ connectionString: url, dimensions: contractDimensions });
    try {
      await writer.add([chunk("vs_a", "file_1", "Lighthouse keepers logged every passing ship.")]);
      await writer.add([chunk("vs_a", "file_2", "Tide tables predict the harbour's water level.")]);
      for (const mode of ["hybrid", "vector", "text"] as const) {
        expect(await reader.search({ ...search("lighthouse keepers"), mode })).toEqual(await writer.search({ ...search("lighthouse keepers"), mode }));
      }
      expect((await reader.search({ ...search("lighthouse keepers"), mode: "text" })).map((hit) => hit.fileId)).toEqual(["file_1"]);
      await writer.updateAttributes("vs_a", "file_2", { harbour: true });
      const filtered = await reader.search({ ...search("water"), filter: { type: "eq", key: "harbour", value: true } });
      expect(filtered.map((hit) => hit.fileId)).toEqual(["file_2"]);
      await writer.deleteStore("vs_a");
      expect(await reader.search(search("lighthouse"))).toEqual([]);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it("replaces a chunk added again instead of keeping the old text", async () => {
    const index = await createPostgresVectorIndex({ connectionString: await freshDatabase(), dimensions: contractDimensions });
    try {
      await index.add([chunk("vs_a", "file_1", "The first draft mentions otters.")]);
      await index.add([chunk("vs_a", "file_1", "The second draft mentions beavers."), chunk("vs_a", "file_1", "The final draft mentions beavers.")]);
      const hits = await index.search(search("draft beavers otters"));
      expect(hits.map((hit) => hit.text)).toEqual(["The final draft mentions beavers."]);
    } finally {
      await index.close();
    }
  });

  it("ranks a chunk with a rare query term above chunks that only repeat a common one", async () => {
    const index = await createPostgresVectorIndex({ connectionString: await freshDatabase(), dimensions: contractDimensions });
    try {
      const common = Array.from({ length: 8 }, (_, position) => chunk("vs_a", `file_common_${position}`, `Shipping invoice shipping invoice ${position}.`));
      await index.add([...common, chunk("vs_a", "file_rare", "The invoice for the harpsichord arrived.")]);
      const [best] = await index.search({ ...search("harpsichord invoice shipping"), mode: "text" });
      expect(best?.fileId).toBe("file_rare");
    } finally {
      await index.close();
    }
  });

  it("refuses to open a database holding embeddings of another dimension", async () => {
    const url = await freshDatabase();
    const index = await createPostgresVectorIndex({ connectionString: url, dimensions: contractDimensions });
    await index.add([chunk("vs_a", "file_1", "text")]);
    await index.close();
    await expect(createPostgresVectorIndex({ connectionString: url, dimensions: 1536 })).rejects.toThrow(/256-dimensional/);
  });
});
