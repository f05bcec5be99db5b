import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import OpenAIv7 from "openai-v7";
import { describe, expect, it } from "vitest";
import { economyReport, makeDocx, makeEconomyReportPdf, makePdf } from "../fixtures/documents.js";
import type { RecordedRequest } from "../../src/testing/scripted-upstream.js";
import { startSpool } from "../../src/testing/start-spool.js";
import { useTestServer } from "../../src/testing/test-server.js";
import { attachFile, storedChunking } from "../../src/resources/vector-stores/vector-store-records.js";
import { openSqliteStore } from "../../src/storage/sql/sqlite-store.js";

const server = useTestServer();

const includeContent = ["step_details.tool_calls[*].file_search.results[*].content"] as const;
const markerPattern = /【\d+:\d+†[^】]*】/g;

/** The text the server sent back to the model as the latest tool result. */
function lastToolResult(request: RecordedRequest): string {
  const messages = request.body.messages as { role: string; content: unknown }[];
  const tool = messages.filter((message) => message.role === "tool").at(-1);
  return typeof tool?.content === "string" ? tool.content : JSON.stringify(tool?.content ?? "");
}

/** Answers like a model that cites the first result whose text contains `needle`. */
function citeResultContaining(needle: string, answer: (marker: string) => string) {
  server.upstream.setResponder((request) => {
    const output = lastToolResult(request);
    const block = output.split(/(?=【\d+:\d+†)/).find((part) => part.startsWith("【") && part.includes(needle)) ?? "";
    const marker = block.match(markerPattern)?.[0] ?? "【missing】";
    return { text: answer(marker) };
  });
}

async function economyPdf() {
  return toFile(await makeEconomyReportPdf(), "economy-report.pdf");
}

describe("file_search with the official SDK", () => {
  let vectorStoreId: string;
  let pdfId: string;
  let docxId: string;

  it("ingests a Korean/English PDF and a DOCX with fileBatches.uploadAndPoll and finds them with search", async () => {
    const vectorStore = await server.client.vectorStores.create({ name: "Reports", metadata: { team: "econ" } });
    expect(vectorStore).toMatchObject({ object: "vector_store", name: "Reports", status: "completed", usage_bytes: 0, expires_at: null, metadata: { team: "econ" } });
    vectorStoreId = vectorStore.id;
    const docx = await toFile(makeDocx(["Quarterly memo", "The new office in Busan opens in March 2024.", "부산 사무소는 2024년 3월에 문을 엽니다."]), "memo.docx");
    const batch = await server.client.vectorStores.fileBatches.uploadAndPoll(vectorStoreId, { files: [await economyPdf(), docx] }, { pollIntervalMs: 50 });
    expect(batch).toMatchObject({ object: "vector_store.files_batch", status: "completed", file_counts: { completed: 2, failed: 0, in_progress: 0, cancelled: 0, total: 2 } });

    const files = await server.client.vectorStores.files.list(vectorStoreId);
    expect(files.data).toHaveLength(2);
    for (const file of files.data) {
      expect(file).toMatchObject({ object: "vector_store.file", status: "completed", last_error: null, vector_store_id: vectorStoreId });
      expect(file.chunking_strategy).toEqual({ type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } });
      expect(file).not.toHaveProperty("batch_id");
    }
    const uploaded = await server.client.files.list({ purpose: "assistants" });
    pdfId = uploaded.data.find((file) => file.filename === "economy-report.pdf")!.id;
    docxId = uploaded.data.find((file) => file.filename === "memo.docx")!.id;

    const stored = await server.client.vectorStores.retrieve(vectorStoreId);
    expect(stored.file_counts).toEqual({ in_progress: 0, completed: 2, failed: 0, cancelled: 0, total: 2 });
    expect(stored.usage_bytes).toBeGreaterThan(0);

    const korean = await server.client.vectorStores.search(vectorStoreId, { query: "2023년 경제성장률 전망" });
    expect(korean.data[0]).toMatchObject({ file_id: pdfId, filename: "economy-report.pdf" });
    expect(korean.data[0]?.content[0]?.text).toContain(economyReport.koreanGrowthForecast);
    expect(korean.data[0]?.score).toBeGreaterThan(0);

    const busan = await server.client.vectorStores.search(vectorStoreId, { query: ["부산 사무소", "Busan office"], max_num_results: 1 });
    expect(busan.data).toHaveLength(1);
    expect(busan.data[0]?.file_id).toBe(docxId);

    const content = await server.client.vectorStores.files.content(pdfId, { vector_store_id: vectorStoreId });
    const pages = [];
    for await (const page of content) pages.push(page);
    expect(pages).toHaveLength(3);
    expect(pages[1]?.text).toContain("대한민국");
  });

  it("filters search by file attributes and updates them", async () => {
    await server.client.vectorStores.files.update(pdfId, { vector_store_id: vectorStoreId, attributes: { kind: "report", year: 2023 } });
    await server.client.vectorStores.files.update(docxId, { vector_store_id: vectorStoreId, attributes: { kind: "memo", year: 2024 } });
    const memos = await server.client.vectorStores.search(vectorStoreId, { query: "2023년 경제성장률", filters: { type: "eq", key: "kind", value: "memo" } });
    expect(new Set(memos.data.map((hit) => hit.file_id))).toEqual(new Set([docxId]));
    expect(memos.data[0]?.attributes).toEqual({ kind: "memo", year: 2024 });
    const recent = await server.client.vectorStores.search(vectorStoreId, { query: "report", filters: { type: "gte", key: "year", value: 2024 } });
    expect(recent.data.every((hit) => hit.file_id === docxId)).toBe(true);
  });

  it("answers a run with a file_search step, the page number for the model and an exact citation", async () => {
    const assistant = await server.client.beta.assistants.create({
      model: "gpt-4o",
      instructions: "Answer from the files.",
      tools: [{ type: "file_search", file_search: { max_num_results: 5 } }],
      tool_resources: { file_search: { vector_store_ids: [vectorStoreId] } },
    });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "2023년 한국 경제성장률 전망은?" }] });
    server.upstream.reset();
    server.upstream.enqueue({ toolCalls: [{ name: "file_search", arguments: { query: "2023년 경제성장률 전망" } }] });
    citeResultContaining("1.4%", (marker) => `2023년 성장률은 1.4%로 전망됩니다${marker}. 물가는 3.5%입니다.`);

    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 20 });
    expect(run.status).toBe("completed");

    const [firstCall, secondCall] = server.upstream.chatRequests();
    expect(JSON.stringify(firstCall?.body.tools)).toContain("file_search");
    expect(JSON.stringify(firstCall?.body.messages)).toContain("marker");
    const toolResult = lastToolResult(secondCall!);
    expect(toolResult).toMatch(/【0:\d+†economy-report\.pdf†p\.2】/);
    expect(toolResult).toContain("대한민국의 2023년 8월 경제전망");

    const steps = await server.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: "asc", include: [...includeContent] });
    const toolStep = steps.data.find((step) => step.type === "tool_calls");
    expect(toolStep?.status).toBe("completed");
    const call = toolStep?.step_details.type === "tool_calls" ? toolStep.step_details.tool_calls[0] : undefined;
    expect(call?.type).toBe("file_search");
    if (call?.type !== "file_search") throw new Error("expected a file_search call");
    expect(call.file_search.ranking_options).toEqual({ ranker: "default_2024_08_21", score_threshold: 0 });
    expect(call.file_search.results?.length).toBeGreaterThan(0);
    expect(call.file_search.results?.length).toBeLessThanOrEqual(5);
    const koreanResult = call.file_search.results?.find((result) => result.content?.[0]?.text?.includes("1.4%"));
    expect(koreanResult).toMatchObject({ file_id: pdfId, file_name: "economy-report.pdf" });

    const withoutContent = await server.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: "asc" });
    const plainCall = withoutContent.data.find((step) => step.type === "tool_calls");
    expect(JSON.stringify(plainCall)).not.toContain("1.4%");

    const [answer] = (await server.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    const part = answer?.content[0];
    if (part?.type !== "text") throw new Error("expected text");
    expect(part.text.annotations).toHaveLength(1);
    const [annotation] = part.text.annotations;
    if (annotation?.type !== "file_citation") throw new Error("expected a file citation");
    expect(annotation.file_citation.file_id).toBe(pdfId);
    expect(part.text.value.slice(annotation.start_index, annotation.end_index)).toBe(annotation.text);
    expect(annotation.text).toMatch(/^【0:\d+†economy-report\.pdf†p\.2】$/);
    expect(part.text.value.startsWith("2023년 성장률은 1.4%로 전망됩니다【")).toBe(true);
  });

  it("streams the annotated message", async () => {
    const assistant = await server.client.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "file_search" }],
      tool_resources: { file_search: { vector_store_ids: [vectorStoreId] } },
    });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "When does the Busan office open?" }] });
    server.upstream.reset();
    server.upstream.enqueue({ toolCalls: [{ name: "file_search", arguments: { query: "Busan office opening" } }] });
    citeResultContaining("Busan", (marker) => `It opens in March 2024 ${marker}.`);

    // The newest SDK line checks stream ordering strictly; the annotation delta must satisfy it too.
    const strictClient = new OpenAIv7({ baseURL: `${server.spool.url}/v1`, apiKey: "test-key", maxRetries: 0 });
    const stream = strictClient.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const completed: OpenAIv7.Beta.Threads.Message[] = [];
    const deltaAnnotations: unknown[] = [];
    stream.on("messageDone", (message) => completed.push(message));
    stream.on("messageDelta", (delta) => {
      for (const part of delta.content ?? []) if (part.type === "text") deltaAnnotations.push(...(part.text?.annotations ?? []));
    });
    const run = await stream.finalRun();
    expect(run.status).toBe("completed");
    const part = completed[0]?.content[0];
    if (part?.type !== "text") throw new Error("expected text");
    const [annotation] = part.text.annotations;
    if (annotation?.type !== "file_citation") throw new Error("expected a file citation");
    expect(annotation.file_citation.file_id).toBe(docxId);
    expect(part.text.value.slice(annotation.start_index, annotation.end_index)).toBe(annotation.text);
    expect(annotation.file_citation).not.toHaveProperty("quote");
    expect(deltaAnnotations).toEqual([expect.objectContaining({ index: 0, type: "file_citation", text: annotation.text, start_index: annotation.start_index })]);
  });

  it("searches message attachments through the thread's own vector store, waiting for ingestion", async () => {
    const notes = await server.client.files.create({ file: await toFile(Buffer.from("# 회의록\n\n다음 워크숍은 제주도에서 10월 17일에 열립니다.\n"), "회의록.md"), purpose: "assistants" });
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "file_search" }] });
    const thread = await server.client.beta.threads.create();
    await server.client.beta.threads.messages.create(thread.id, {
      role: "user",
      content: "워크숍은 어디에서 열리나요?",
      attachments: [{ file_id: notes.id, tools: [{ type: "file_search" }] }],
    });
    const updated = await server.client.beta.threads.retrieve(thread.id);
    const threadStoreId = updated.tool_resources?.file_search?.vector_store_ids?.[0];
    expect(threadStoreId).toMatch(/^vs_/);
    const threadStore = await server.client.vectorStores.retrieve(threadStoreId!);
    expect(threadStore.expires_after).toEqual({ anchor: "last_active_at", days: 7 });
    expect(threadStore.expires_at).toBe((threadStore.last_active_at ?? 0) + 7 * 86_400);

    server.upstream.reset();
    server.upstream.enqueue({ toolCalls: [{ name: "file_search", arguments: { query: "워크숍 장소" } }] });
    citeResultContaining("제주도", (marker) => `제주도에서 열립니다 ${marker}`);
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 20 });
    expect(run.status).toBe("completed");
    expect(lastToolResult(server.upstream.chatRequests()[1]!)).toContain("【0:0†회의록.md】");
    const [answer] = (await server.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    const part = answer?.content[0];
    if (part?.type !== "text") throw new Error("expected text");
    expect(part.text.annotations[0]).toMatchObject({ type: "file_citation", file_citation: { file_id: notes.id }, text: "【0:0†회의록.md】" });
  });

  it("creates a vector store inline with the tool_resources vector_stores helper", async () => {
    const file = await server.client.files.create({ file: await toFile(Buffer.from("Helper-made store about kestrels."), "kestrels.txt"), purpose: "assistants" });
    const assistant = await server.client.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "file_search" }],
      tool_resources: { file_search: { vector_stores: [{ file_ids: [file.id], metadata: { made: "inline" } }] } },
    });
    const storeId = assistant.tool_resources?.file_search?.vector_store_ids?.[0];
    expect(storeId).toMatch(/^vs_/);
    const storeFile = await server.client.vectorStores.files.poll(storeId!, file.id, { pollIntervalMs: 50 });
    expect(storeFile.status).toBe("completed");
    expect((await server.client.vectorStores.retrieve(storeId!)).metadata).toEqual({ made: "inline" });
  });

  it("fails an unsupported and a corrupt file cleanly while their neighbours complete", async () => {
    const good = await server.client.files.create({ file: await toFile(Buffer.from("Plain notes about tide tables."), "tides.txt"), purpose: "assistants" });
    const binary = await server.client.files.create({ file: await toFile(Buffer.from("MZ\u0000\u0001"), "setup.exe"), purpose: "assistants" });
    const corrupt = await server.client.files.create({ file: await toFile(Buffer.from("%PDF-1.7 this is not really a pdf"), "broken.pdf"), purpose: "assistants" });
    const vectorStore = await server.client.vectorStores.create({ name: "mixed" });
    const batch = await server.client.vectorStores.fileBatches.createAndPoll(vectorStore.id, { file_ids: [good.id, binary.id, corrupt.id] }, { pollIntervalMs: 50 });
    expect(batch.status).toBe("completed");
    expect(batch.file_counts).toEqual({ in_progress: 0, completed: 1, failed: 2, cancelled: 0, total: 3 });

    const statuses = await server.client.vectorStores.fileBatches.listFiles(batch.id, { vector_store_id: vectorStore.id });
    const byId = new Map(statuses.data.map((file) => [file.id, file]));
    expect(byId.get(good.id)).toMatchObject({ status: "completed", last_error: null });
    expect(byId.get(binary.id)).toMatchObject({ status: "failed", last_error: { code: "unsupported_file" } });
    expect(byId.get(corrupt.id)).toMatchObject({ status: "failed", last_error: { code: "invalid_file" } });
    const failed = await server.client.vectorStores.files.list(vectorStore.id, { filter: "failed" });
    expect(failed.data.map((file) => file.id).sort()).toEqual([binary.id, corrupt.id].sort());
    const hits = await server.client.vectorStores.search(vectorStore.id, { query: "tide tables" });
    expect(hits.data.map((hit) => hit.file_id)).toEqual([good.id]);
  });

  it("removes a file from search when it leaves its store or is deleted", async () => {
    const report = await server.client.files.create({ file: await toFile(await makePdf(["Zebra migration survey page one", "Zebra counts on page two"]), "zebras.pdf"), purpose: "assistants" });
    const vectorStore = await server.client.vectorStores.create({ name: "zebras" });
    const attached = await server.client.vectorStores.files.createAndPoll(vectorStore.id, { file_id: report.id }, { pollIntervalMs: 50 });
    expect(attached.status).toBe("completed");
    expect((await server.client.vectorStores.search(vectorStore.id, { query: "zebra" })).data.length).toBe(2);

    const deleted = await server.client.vectorStores.files.delete(report.id, { vector_store_id: vectorStore.id });
    expect(deleted).toEqual({ id: report.id, object: "vector_store.file.deleted", deleted: true });
    expect((await server.client.vectorStores.search(vectorStore.id, { query: "zebra" })).data).toEqual([]);
    expect((await server.client.vectorStores.retrieve(vectorStore.id)).file_counts.total).toBe(0);
    await server.client.files.retrieve(report.id);

    await server.client.vectorStores.files.createAndPoll(vectorStore.id, { file_id: report.id }, { pollIntervalMs: 50 });
    expect((await server.client.vectorStores.search(vectorStore.id, { query: "zebra" })).data.length).toBe(2);
    await server.client.files.delete(report.id);
    expect((await server.client.vectorStores.search(vectorStore.id, { query: "zebra" })).data).toEqual([]);
    expect((await server.client.vectorStores.retrieve(vectorStore.id)).file_counts).toEqual({ in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 });
    expect((await server.client.vectorStores.retrieve(vectorStore.id)).usage_bytes).toBe(0);

    expect(await server.client.vectorStores.delete(vectorStore.id)).toEqual({ id: vectorStore.id, object: "vector_store.deleted", deleted: true });
    await expect(server.client.vectorStores.retrieve(vectorStore.id)).rejects.toMatchObject({ status: 404 });
  });

  it("cancels a batch, marking its unfinished files cancelled", async () => {
    const files = await Promise.all(
      Array.from({ length: 6 }, async (_, index) =>
        server.client.files.create({ file: await toFile(Buffer.from(`Document ${index} about lighthouses. `.repeat(400)), `light-${index}.txt`), purpose: "assistants" }),
      ),
    );
    const vectorStore = await server.client.vectorStores.create({});
    const batch = await server.client.vectorStores.fileBatches.create(vectorStore.id, { file_ids: files.map((file) => file.id) });
    const cancelled = await server.client.vectorStores.fileBatches.cancel(batch.id, { vector_store_id: vectorStore.id });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.file_counts.total).toBe(6);
    expect(cancelled.file_counts.in_progress).toBe(0);
    expect(cancelled.file_counts.cancelled + cancelled.file_counts.completed).toBe(6);
    // The cancel withdrew the batch's files from ingestion. A file attached after it being indexed shows the
    // workers have moved on: by then a cancelled file still being indexed would have come back as completed.
    const later = await server.client.files.create({ file: await toFile(Buffer.from("Attached after the cancel."), "later.txt"), purpose: "assistants" });
    expect(await server.client.vectorStores.files.createAndPoll(vectorStore.id, { file_id: later.id }, { pollIntervalMs: 50 })).toMatchObject({ status: "completed" });
    const after = await server.client.vectorStores.retrieve(vectorStore.id);
    expect(after.file_counts).toMatchObject({ in_progress: 0, completed: cancelled.file_counts.completed + 1, cancelled: cancelled.file_counts.cancelled });
  });

  it("validates requests like the spec", async () => {
    const vectorStore = await server.client.vectorStores.create({});
    await expect(server.client.vectorStores.fileBatches.create(vectorStore.id, {} as { file_ids: string[] })).rejects.toMatchObject({ status: 400 });
    await expect(
      server.client.vectorStores.files.create(vectorStore.id, { file_id: pdfId, chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 150 } } }),
    ).rejects.toMatchObject({ status: 400, param: "chunking_strategy.static.chunk_overlap_tokens" });
    await expect(server.client.vectorStores.files.create(vectorStore.id, { file_id: "file-missing" })).rejects.toMatchObject({ status: 400, param: "file_id" });
    await expect(server.client.vectorStores.create({ bogus: true } as OpenAI.VectorStores.VectorStoreCreateParams)).rejects.toMatchObject({ status: 400 });
    const renamed = await server.client.vectorStores.update(vectorStore.id, { name: "renamed", expires_after: { anchor: "last_active_at", days: 2 } });
    expect(renamed).toMatchObject({ name: "renamed", expires_after: { anchor: "last_active_at", days: 2 } });
    expect(renamed.expires_at).toBe((renamed.last_active_at ?? 0) + 2 * 86_400);
    const listed = await server.client.vectorStores.list({ limit: 100 });
    expect(listed.data.some((store) => store.id === vectorStore.id)).toBe(true);
  });
});

describe("ingestion recovery", () => {
  it("re-queues files a previous process left in_progress", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-recovery-"));
    try {
      const first = await startSpool({ upstreamUrl: server.upstream.url, dataDir });
      const firstClient = first.client();
      const file = await firstClient.files.create({ file: await toFile(Buffer.from("Recovered notes about owls."), "owls.txt"), purpose: "assistants" });
      const vectorStore = await firstClient.vectorStores.create({ name: "owls" });
      await first.close();

      // As if the process died right after accepting the file: recorded in_progress, never ingested.
      const store = await openSqliteStore(path.join(dataDir, "spool.db"));
      await store.transaction((transaction) =>
        attachFile(transaction, vectorStore.id, file.id, { chunking: storedChunking(undefined), attributes: null, batchId: null }),
      );
      await store.close();

      const second = await startSpool({ upstreamUrl: server.upstream.url, dataDir });
      try {
        const secondClient = second.client();
        const recovered = await secondClient.vectorStores.files.poll(vectorStore.id, file.id, { pollIntervalMs: 50 });
        expect(recovered.status).toBe("completed");
        expect((await secondClient.vectorStores.search(vectorStore.id, { query: "owls" })).data[0]?.file_id).toBe(file.id);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
