import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { makePdf } from "../test/fixtures/documents.js";
import { retrievalPassages, retrievalQuestions } from "../test/fixtures/retrieval-questions.js";
import { autoChunking } from "../src/vector/chunking-strategy.js";
import { embedTexts } from "../src/vector/embedder.js";
import { ingestFile } from "../src/vector/ingest.js";
import { openPostgresStore } from "../src/storage/sql/postgres-store.js";
import { startThrowawayPostgres } from "../src/testing/throwaway-postgres.js";
import { createLanceDbVectorIndex } from "../src/vector/lancedb/lancedb-vector-index.js";
import { createPostgresVectorIndex } from "../src/vector/postgres/postgres-vector-index.js";
import { createHashingEmbeddingModel } from "../src/vector/testing/hashing-embedding-model.js";
import type { IndexedChunk, SearchMode, VectorIndex } from "../src/vector/vector-index.js";
import { percentile } from "./stats.js";

const dimensions = 256;
const embeddingModel = createHashingEmbeddingModel({ dimensions });

// Deterministic pseudo-random text, so runs are comparable.
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

const vocabulary = (
  "market growth inflation report capital river mountain export import policy interest rate bank " +
  "forecast revenue customer warranty shipping invoice contract employee leave planet energy climate " +
  "harbour factory semiconductor battery vehicle software database backup security network latency " +
  "경제 전망 수도 서울 성장률 물가 수출 금리 은행 정책 반도체 배터리 자동차 항구 기후 에너지 고객 계약"
).split(" ");

function sentence(random: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => {
    const word = vocabulary[Math.floor(random() * vocabulary.length)] ?? "";
    return random() < 0.08 ? `${word}${Math.floor(random() * 10_000)}` : word;
  });
  return `${picked.join(" ")}.`;
}


async function benchIngestion(directory: string): Promise<void> {
  const random = seededRandom(7);
  const pages = Array.from({ length: 100 }, (_, page) =>
    Array.from({ length: 18 }, () => sentence(random, 14)).join(" ") + ` Page ${page + 1}.`,
  );
  const pdfPath = path.join(directory, "hundred-pages.pdf");
  await writeFile(pdfPath, await makePdf(pages));

  const index = await createLanceDbVectorIndex({ directory: path.join(directory, "ingest-index"), dimensions });
  const started = performance.now();
  const { chunkCount, tokenCount } = await ingestFile({
    path: pdfPath,
    filename: "hundred-pages.pdf",
    fileId: "file_bench",
    vectorStoreId: "vs_bench",
    attributes: null,
    chunking: autoChunking,
    embeddingModel,
    index,
  });
  const seconds = (performance.now() - started) / 1000;
  await index.close();
  console.log(
    `ingestion: 100-page PDF → ${chunkCount} chunks, ${tokenCount} tokens in ${seconds.toFixed(2)} s ` +
      `= ${(100 / seconds).toFixed(1)} pages/s (extract + chunk + hashing embed + index)`,
  );
}

/** Adds the same `chunkCount` chunks to every index, so their figures compare like with like. */
async function buildLargeStore(indexes: { label: string; index: VectorIndex }[], chunkCount: number): Promise<void> {
  const random = seededRandom(42);
  const batchSize = 1_000;
  const seconds = indexes.map(() => 0);
  for (let batchStart = 0; batchStart < chunkCount; batchStart += batchSize) {
    const texts = Array.from({ length: batchSize }, () => Array.from({ length: 12 }, () => sentence(random, 12)).join(" "));
    const vectors = await embedTexts(embeddingModel, texts, { batchSize: 256 });
    const chunks: IndexedChunk[] = texts.map((text, offset) => {
      const position = batchStart + offset;
      return {
        vectorStoreId: position % 10 === 0 ? "vs_other" : "vs_large",
        fileId: `file_${Math.floor(position / 20)}`,
        filename: `doc-${Math.floor(position / 20)}.txt`,
        chunkIndex: position % 20,
        pageNumber: null,
        text,
        vector: vectors[offset] ?? [],
        attributes: { shard: Math.floor(position / 20) % 4 },
      };
    });
    for (const [position, { index }] of indexes.entries()) {
      const started = performance.now();
      await index.add(chunks);
      seconds[position] = (seconds[position] ?? 0) + (performance.now() - started) / 1000;
    }
  }
  const built = indexes.map(({ label }, position) => `${label} ${(seconds[position] ?? 0).toFixed(1)} s`).join(", ");
  console.log(`built ${chunkCount}-chunk store (~150 words each): ${built}`);
}

async function benchSearchLatency(label: string, index: VectorIndex, repeats: number): Promise<void> {
  const random = seededRandom(99);
  const queries = Array.from({ length: 100 }, () => sentence(random, 3 + Math.floor(random() * 8)));
  const vectors = await embedTexts(embeddingModel, queries);
  const searches: [string, SearchMode, boolean][] = [
    ["hybrid", "hybrid", false],
    ["vector", "vector", false],
    ["text", "text", false],
    ["hybrid+filter", "hybrid", true],
  ];
  for (const [search, mode, filtered] of searches) {
    const timings: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const [position, text] of queries.entries()) {
        const started = performance.now();
        await index.search({
          vectorStoreIds: ["vs_large"],
          text,
          vector: vectors[position] ?? [],
          limit: 10,
          mode,
          filter: filtered ? { type: "in", key: "shard", value: [1, 2] } : undefined,
        });
        timings.push(performance.now() - started);
      }
    }
    timings.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(8)} search ${search.padEnd(13)} p50 ${percentile(timings, 0.5).toFixed(1)} ms  p95 ${percentile(timings, 0.95).toFixed(1)} ms  (n=${timings.length}, limit 10)`,
    );
  }
}

async function benchRecall(label: string, index: VectorIndex): Promise<void> {
  const passageVectors = await embedTexts(embeddingModel, retrievalPassages.map((passage) => passage.text));
  await index.add(
    retrievalPassages.map((passage, position) => ({
      vectorStoreId: "vs_qa",
      fileId: passage.id,
      filename: `${passage.id}.txt`,
      chunkIndex: 0,
      pageNumber: null,
      text: passage.text,
      vector: passageVectors[position] ?? [],
      attributes: null,
    })),
  );
  const questionVectors = await embedTexts(embeddingModel, retrievalQuestions.map((question) => question.question));
  for (const mode of ["hybrid", "vector", "text"] as const) {
    let found = 0;
    const misses: string[] = [];
    for (const [position, { question, answerId }] of retrievalQuestions.entries()) {
      const hits = await index.search({
        vectorStoreIds: ["vs_qa"],
        text: question,
        vector: questionVectors[position] ?? [],
        limit: 5,
        mode,
      });
      if (hits.some((hit) => hit.fileId === answerId)) found++;
      else misses.push(question);
    }
    const recall = found / retrievalQuestions.length;
    console.log(
      `${label.padEnd(8)} recall@5 ${mode.padEnd(6)} ${recall.toFixed(2)} (${found}/${retrievalQuestions.length}, hashing embeddings)` +
        (misses.length > 0 ? ` misses: ${misses.join(" | ")}` : ""),
    );
  }
}

/** A Postgres vector index in a fresh database on the server at `serverUrl`, migrated as Spool migrates it. */
async function postgresIndex(serverUrl: string, database: string): Promise<VectorIndex> {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = serverUrl.replace(/\/postgres$/, `/${database}`);
  await (await openPostgresStore(url)).close();
  return createPostgresVectorIndex({ connectionString: url, dimensions });
}

export async function main(): Promise<void> {
  const directory = await mkdtemp(path.join(tmpdir(), "spool-vector-bench-"));
  const postgres = await startThrowawayPostgres();
  try {
    await benchIngestion(directory);
    const lance = await createLanceDbVectorIndex({ directory: path.join(directory, "large"), dimensions });
    // Postgres scans every chunk of the store per query (no ANN index), so one pass keeps the run short.
    const large = [
      { label: "LanceDB", index: lance, repeats: 3 },
      { label: "Postgres", index: await postgresIndex(postgres.url, "bench_large"), repeats: 1 },
    ];
    await buildLargeStore(large, 10_000);
    await lance.optimize();
    for (const { label, index, repeats } of large) {
      await benchSearchLatency(label, index, repeats);
      await index.close();
    }
    const qa = [
      { label: "LanceDB", index: await createLanceDbVectorIndex({ directory: path.join(directory, "qa"), dimensions }) },
      { label: "Postgres", index: await postgresIndex(postgres.url, "bench_qa") },
    ];
    for (const { label, index } of qa) {
      await benchRecall(label, index);
      await index.close();
    }
  } finally {
    await postgres.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
