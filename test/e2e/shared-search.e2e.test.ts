import fs from "node:fs";
import path from "node:path";
import type OpenAI from "openai";
import { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../src/testing/throwaway-postgres.js";
import { economyReport, makeEconomyReportPdf } from "../fixtures/documents.js";

let postgres: ThrowawayPostgres;
let upstream: ScriptedUpstream;
const spools: StartedSpool[] = [];

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  upstream = await startScriptedUpstream();
}, 60_000);

afterAll(async () => {
  await Promise.all(spools.map((spool) => spool.close()));
  await upstream?.close();
  await postgres?.stop();
});

async function startOnSharedDatabase(): Promise<StartedSpool> {
  // Each gets its own temporary data dir: the processes share nothing but the database.
  const spool = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_DATABASE_URL: postgres.url } });
  spools.push(spool);
  return spool;
}

const searches: OpenAI.VectorStores.VectorStoreSearchParams[] = [
  { query: "2023년 경제성장률 전망" },
  { query: "Busan office opening", max_num_results: 3 },
  { query: ["수출", "export projections"], max_num_results: 5 },
  { query: "XK-4471Q warranty" },
];

describe("file_search on several Spool processes sharing one Postgres", () => {
  it("finds through one process what another ingested, with the same hits and scores", async () => {
    const a = await startOnSharedDatabase();
    const clientA = a.client();
    const vectorStore = await clientA.vectorStores.create({ name: "Shared" });
    const memo = [
      "Quarterly memo: the new office in Busan opens in March 2024.",
      "부산 사무소는 2024년 3월에 문을 엽니다.",
      "Warranty: the compressor unit XK-4471Q is covered for five years.",
    ].join("\n\n");
    const batch = await clientA.vectorStores.fileBatches.uploadAndPoll(
      vectorStore.id,
      { files: [await toFile(await makeEconomyReportPdf(), "economy-report.pdf"), await toFile(Buffer.from(memo), "memo.txt")] },
      { pollIntervalMs: 50 },
    );
    expect(batch.file_counts).toMatchObject({ completed: 2, failed: 0 });

    // Started after ingestion, so only the database can have told it about the chunks.
    const b = await startOnSharedDatabase();
    const clientB = b.client();
    for (const search of searches) {
      const throughA = await clientA.vectorStores.search(vectorStore.id, search);
      const throughB = await clientB.vectorStores.search(vectorStore.id, search);
      expect(throughA.data.length).toBeGreaterThan(0);
      expect(throughB.data).toEqual(throughA.data);
    }
    const korean = await clientB.vectorStores.search(vectorStore.id, { query: "2023년 경제성장률 전망" });
    expect(korean.data[0]?.content[0]?.text).toContain(economyReport.koreanGrowthForecast);
    const code = await clientB.vectorStores.search(vectorStore.id, { query: "XK-4471Q", max_num_results: 1 });
    expect(code.data[0]).toMatchObject({ filename: "memo.txt" });

    // A write through B (attributes) is what A's filtered search sees.
    const memoId = code.data[0]?.file_id ?? "";
    await clientB.vectorStores.files.update(memoId, { vector_store_id: vectorStore.id, attributes: { kind: "memo" } });
    const memos = await clientA.vectorStores.search(vectorStore.id, {
      query: "2024",
      filters: { type: "eq", key: "kind", value: "memo" },
    });
    expect(memos.data.length).toBeGreaterThan(0);
    expect(new Set(memos.data.map((hit) => hit.file_id))).toEqual(new Set([memoId]));

    // Neither process kept a local (LanceDB) index.
    for (const spool of [a, b]) expect(fs.existsSync(path.join(spool.dataDir, "vectors"))).toBe(false);
  });
});
