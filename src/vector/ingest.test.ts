import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { economyReport, makeEconomyReportPdf } from "../../test/fixtures/documents.js";
import { autoChunking } from "./chunking-strategy.js";
import { UnsupportedFileError } from "./errors.js";
import { ingestFile } from "./ingest.js";
import { createLanceDbVectorIndex } from "./lancedb/lancedb-vector-index.js";
import { createHashingEmbeddingModel, hashingEmbedding } from "./testing/hashing-embedding-model.js";
import type { VectorIndex } from "./vector-index.js";

describe("ingestFile", () => {
  let directory: string;
  let index: VectorIndex;
  const embeddingModel = createHashingEmbeddingModel({ dimensions: 256 });

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "spool-ingest-"));
    index = await createLanceDbVectorIndex({ directory: path.join(directory, "index"), dimensions: 256 });
  });

  afterEach(async () => {
    await index.close();
    await rm(directory, { recursive: true, force: true });
  });

  const ingestReport = async (storedPath: string) =>
    ingestFile({
      path: storedPath,
      filename: "economy-report.pdf",
      fileId: "file_report",
      vectorStoreId: "vs_1",
      attributes: { year: 2023 },
      chunking: autoChunking,
      embeddingModel,
      index,
    });

  const search = (text: string) =>
    index.search({ vectorStoreIds: ["vs_1"], text, vector: hashingEmbedding(text, 256), limit: 3 });

  it("makes a PDF searchable with page numbers, and re-ingesting replaces its chunks", async () => {
    const storedPath = path.join(directory, "upload-1");
    await writeFile(storedPath, await makeEconomyReportPdf());

    const result = await ingestReport(storedPath);
    expect(result.chunkCount).toBe(economyReport.pages.length);
    expect(result.tokenCount).toBeGreaterThan(50);

    const [korean] = await search("2023년 경제성장률 전망");
    expect(korean).toMatchObject({ fileId: "file_report", filename: "economy-report.pdf", pageNumber: 2, attributes: { year: 2023 } });
    expect(korean?.text).toContain(economyReport.koreanGrowthForecast);
    const [code] = await search("XK-4471Q");
    expect(code?.pageNumber).toBe(3);

    await ingestReport(storedPath);
    const hits = await index.search({ vectorStoreIds: ["vs_1"], text: "report", vector: hashingEmbedding("report", 256), limit: 50 });
    expect(hits).toHaveLength(economyReport.pages.length);
  });

  it("propagates typed extraction errors without touching the index", async () => {
    const storedPath = path.join(directory, "upload-2");
    await writeFile(storedPath, "MZ");
    await expect(
      ingestFile({
        path: storedPath,
        filename: "tool.exe",
        fileId: "file_exe",
        vectorStoreId: "vs_1",
        attributes: null,
        chunking: autoChunking,
        embeddingModel,
        index,
      }),
    ).rejects.toBeInstanceOf(UnsupportedFileError);
  });
});
