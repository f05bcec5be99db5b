import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "@lancedb/lancedb";
import { hashingEmbedding } from "../testing/hashing-embedding-model.js";
import { contractChunk, contractDimensions, defineVectorIndexContract } from "../vector-index.contract.js";
import { searchTextColumn } from "./chunk-table.js";
import { createLanceDbVectorIndex } from "./lancedb-vector-index.js";

defineVectorIndexContract("LanceDB", (directory) => createLanceDbVectorIndex({ directory, dimensions: contractDimensions }));

describe("LanceDB vector index maintenance", () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "spool-lancedb-"));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const chunk = (fileId: string, text: string) => contractChunk("vs_a", fileId, 0, text);

  /** Rows of the chunk table not yet in its full-text index, as another connection sees the table. */
  const unindexedRows = async (): Promise<number | undefined> => {
    const connection = await connect(directory);
    try {
      const table = await connection.openTable("chunks");
      try {
        return (await table.indexStats(`${searchTextColumn}_idx`))?.numUnindexedRows;
      } finally {
        table.close();
      }
    } finally {
      connection.close();
    }
  };

  it("stays correct across optimizations (FTS index merge, compaction)", async () => {
    const index = await createLanceDbVectorIndex({ directory, dimensions: contractDimensions, maxUnindexedRows: 1 });
    await index.add([chunk("file_1", "Lighthouse keepers logged every passing ship.")]);
    await index.add([chunk("file_2", "Lighthouse lenses focus the beam far out to sea.")]);
    await index.add([chunk("file_3", "Lighthouse automation ended the keeper era.")]);
    await index.deleteFile("vs_a", "file_2");
    await index.optimize();
    const search = { vectorStoreIds: ["vs_a"], text: "lighthouse", vector: hashingEmbedding("lighthouse", contractDimensions), limit: 10 };
    for (const mode of ["hybrid", "text"] as const) {
      const hits = await index.search({ ...search, mode });
      expect(hits.map((hit) => hit.fileId).sort()).toEqual(["file_1", "file_3"]);
    }
    await index.close();
  });

  it("optimizes in the background shortly after writes", async () => {
    const failures: unknown[] = [];
    const index = await createLanceDbVectorIndex({
      directory,
      dimensions: contractDimensions,
      optimizeDelayMs: 10,
      onBackgroundError: (error) => failures.push(error),
    });
    await index.add([chunk("file_1", "first")]);
    await index.add([chunk("file_2", "second")]);
    // The second row waits outside the full-text index until the background optimization takes it in.
    await expect.poll(unindexedRows).toBe(0);
    const [hit] = await index.search({ vectorStoreIds: ["vs_a"], text: "second", vector: hashingEmbedding("second", contractDimensions), limit: 1, mode: "text" });
    expect(hit?.fileId).toBe("file_2");
    expect(failures).toEqual([]);
    await index.close();
  });

  it("refuses to reopen a table with a different embedding dimension", async () => {
    const index = await createLanceDbVectorIndex({ directory, dimensions: contractDimensions });
    await index.add([chunk("file_1", "text")]);
    await index.close();
    await expect(createLanceDbVectorIndex({ directory, dimensions: 1536 })).rejects.toThrow(/256-dimensional/);
  });
});
