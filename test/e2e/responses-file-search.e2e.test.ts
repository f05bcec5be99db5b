import OpenAI, { toFile } from "openai";
import OpenAIv7 from "openai-v7";
import { beforeAll, describe, expect, it } from "vitest";
import { makeEconomyReportPdf } from "../fixtures/documents.js";
import { loadConformance } from "../../src/testing/openapi-conformance.js";
import type { RecordedRequest } from "../../src/testing/scripted-upstream.js";
import { responseEventSchema, specRecorder } from "../../src/testing/spec-recorder.js";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();
let client: OpenAI;
let strict: OpenAIv7;
let recorder: ReturnType<typeof specRecorder>;
let vectorStoreId: string;
let pdfId: string;

const markerPattern = /【\d+:\d+†[^】]*】/g;

/** The text the server sent back to the model as the latest tool result. */
function lastToolResult(request: RecordedRequest): string {
  const messages = request.body.messages as { role: string; content: unknown }[];
  const tool = messages.filter((message) => message.role === "tool").at(-1);
  return typeof tool?.content === "string" ? tool.content : "";
}

/** A model that searches once, then answers citing the first result that contains `needle`. */
function searchThenCite(query: string, needle: string, answer: (marker: string) => string) {
  server.upstream.reset();
  server.upstream.enqueue({ toolCalls: [{ name: "file_search", arguments: { query } }] });
  server.upstream.setResponder((request) => {
    const block = lastToolResult(request).split(/(?=【\d+:\d+†)/).find((part) => part.startsWith("【") && part.includes(needle)) ?? "";
    return { text: answer(block.match(markerPattern)?.[0] ?? "【missing】") };
  });
}

beforeAll(async () => {
  recorder = specRecorder(new URL(server.spool.url).origin);
  client = server.spool.client({ fetch: recorder.fetch });
  strict = new OpenAIv7({ baseURL: `${server.spool.url}/v1`, apiKey: "test-key", maxRetries: 0, fetch: recorder.fetch });
  const vectorStore = await client.vectorStores.create({ name: "Reports" });
  vectorStoreId = vectorStore.id;
  const file = await client.vectorStores.files.uploadAndPoll(vectorStoreId, await toFile(await makeEconomyReportPdf(), "economy-report.pdf"), { pollIntervalMs: 50 });
  pdfId = file.id;
});

describe("file_search in responses", () => {
  it("searches the tool's vector stores and cites the Korean PDF with file_citation annotations", async () => {
    searchThenCite("2023년 경제성장률 전망", "1.4%", (marker) => `2023년 성장률은 1.4%로 전망됩니다${marker}.`);
    const response = await client.responses.create({
      model: "gpt-4o",
      input: "2023년 한국 경제성장률 전망은?",
      tools: [{ type: "file_search", vector_store_ids: [vectorStoreId], max_num_results: 5 }],
      include: ["file_search_call.results"],
    });
    expect(response.status).toBe("completed");
    expect(response.tools).toEqual([{ type: "file_search", vector_store_ids: [vectorStoreId], max_num_results: 5, filters: null }]);
    const [search, message] = response.output;
    expect(search).toMatchObject({ type: "file_search_call", status: "completed", queries: ["2023년 경제성장률 전망"] });
    const results = search?.type === "file_search_call" ? (search.results ?? []) : [];
    expect(results[0]).toMatchObject({ file_id: pdfId, filename: "economy-report.pdf" });
    expect(results.map((result) => result.text).join("\n")).toContain("1.4%");

    const text = message?.type === "message" && message.content[0]?.type === "output_text" ? message.content[0] : undefined;
    expect(text?.text).toMatch(/^2023년 성장률은 1\.4%로 전망됩니다【0:\d+†economy-report\.pdf†p\.2】\.$/);
    expect(text?.annotations).toEqual([{ type: "file_citation", file_id: pdfId, filename: "economy-report.pdf", index: (text?.text.length ?? 0) - 1 }]);

    // The model saw page numbers and was told how to cite.
    const toolResult = lastToolResult(server.upstream.chatRequests().at(-1)!);
    expect(toolResult).toContain("대한민국의 2023년 8월 경제전망");
    expect(JSON.stringify(server.upstream.chatRequests()[0]?.body.messages)).toContain("marker");

    // Each read shows the results only when it asks for them.
    expect((await client.responses.retrieve(response.id)).output[0]).toMatchObject({ type: "file_search_call", results: null });
    const again = await client.responses.retrieve(response.id, { include: ["file_search_call.results"] });
    expect(again.output[0]).toMatchObject({ type: "file_search_call", results: [{ file_id: pdfId }, ...results.slice(1).map(() => expect.anything())] });
  });

  it("streams the search and the citation in the order openai 7.x accepts", async () => {
    searchThenCite("Busan export methodology", "XK-4471Q", (marker) => `The dataset is XK-4471Q${marker}.`);
    const stream = strict.responses.stream({
      model: "gpt-4o",
      input: "Which dataset code is used for the export projections?",
      tools: [{ type: "file_search", vector_store_ids: [vectorStoreId] }],
    });
    const types: string[] = [];
    const annotations: unknown[] = [];
    stream.on("event", (event) => types.push(event.type));
    stream.on("response.output_text.annotation.added", (event) => annotations.push(event.annotation));
    const final = await stream.finalResponse();
    expect(final.output.map((item) => item.type)).toEqual(["file_search_call", "message"]);
    expect(types.slice(0, 6)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.file_search_call.in_progress",
      "response.file_search_call.searching",
      "response.file_search_call.completed",
    ]);
    expect(annotations).toEqual([{ type: "file_citation", file_id: pdfId, filename: "economy-report.pdf", index: expect.any(Number) }]);
    expect(final.output_text).toContain("XK-4471Q【");
  });

  it("applies the tool's attribute filters", async () => {
    await client.vectorStores.files.update(pdfId, { vector_store_id: vectorStoreId, attributes: { year: 2023 } });
    searchThenCite("경제성장률", "1.4%", (marker) => `Found${marker}.`);
    await client.responses.create({
      model: "gpt-4o",
      input: "growth?",
      tools: [{ type: "file_search", vector_store_ids: [vectorStoreId], filters: { type: "eq", key: "year", value: 2024 } }],
    });
    expect(lastToolResult(server.upstream.chatRequests().at(-1)!)).toMatch(/^No results/);
    await expect(
      client.responses.create({ model: "gpt-4o", input: "x", tools: [{ type: "file_search", vector_store_ids: ["vs_missing"] }] }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("keeps the search in the conversation's items, and out of the Assistants view of the step", async () => {
    const conversation = await client.conversations.create({});
    searchThenCite("1.4%", "1.4%", (marker) => `1.4%${marker}`);
    const response = await client.responses.create({
      model: "gpt-4o",
      conversation: conversation.id,
      input: "growth forecast?",
      tools: [{ type: "file_search", vector_store_ids: [vectorStoreId] }],
    });
    const items = await client.conversations.items.list(conversation.id, { order: "asc", include: ["file_search_call.results"] });
    expect(items.data.map((item) => item.type)).toEqual(["message", "file_search_call", "message"]);
    expect(items.data[1]).toMatchObject({ queries: ["1.4%"], results: expect.arrayContaining([expect.objectContaining({ file_id: pdfId })]) });
    const steps = await client.beta.threads.runs.steps.list(response.id, { thread_id: conversation.id });
    const call = steps.data.flatMap((step) => (step.step_details.type === "tool_calls" ? step.step_details.tool_calls : []))[0];
    expect(call).toMatchObject({ type: "file_search" });
    expect(call?.type === "file_search" ? call.file_search : {}).not.toHaveProperty("queries");
  });

  it("searches an assistant's vector stores when the assistant stands in for the prompt", async () => {
    const assistant = await client.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "file_search", file_search: { max_num_results: 3 } }],
      tool_resources: { file_search: { vector_store_ids: [vectorStoreId] } },
    });
    searchThenCite("XK-4471Q", "XK-4471Q", (marker) => `XK-4471Q${marker}`);
    const response = await client.responses.create({ prompt: { id: assistant.id }, input: "dataset code?" });
    expect(response.tools).toEqual([{ type: "file_search", vector_store_ids: [vectorStoreId], max_num_results: 3, filters: null }]);
    expect(response.output.map((item) => item.type)).toEqual(["file_search_call", "message"]);
    expect(response.output_text).toMatch(/^XK-4471Q【/);
  });

  it("makes no more built-in tool calls than max_tool_calls allows, across turns", async () => {
    server.upstream.reset();
    // Two searches at once with room for one: the second is not made; the next turn is offered no search.
    server.upstream.enqueue({ toolCalls: [{ name: "file_search", arguments: { query: "성장률" } }, { name: "file_search", arguments: { query: "수출" } }] }, { text: "One search was enough." });
    // openai 6.x does not type max_tool_calls; 7.x does.
    const response = await strict.responses.create({
      model: "gpt-4o",
      input: "growth and exports?",
      tools: [{ type: "file_search", vector_store_ids: [vectorStoreId] }],
      max_tool_calls: 1,
    });
    expect(response).toMatchObject({ status: "completed", max_tool_calls: 1, output_text: "One search was enough." });
    expect(response.output.map((item) => [item.type, "status" in item ? item.status : undefined])).toEqual([
      ["file_search_call", "completed"],
      ["file_search_call", "incomplete"],
      ["message", "completed"],
    ]);
    const [first, second] = server.upstream.chatRequests();
    expect(first?.body.tools).toHaveLength(1);
    expect(second?.body.tools).toBeUndefined();
    const results = (second?.body.messages as { role: string; content: string }[]).filter((message) => message.role === "tool").map((message) => message.content);
    expect(results[0]).toContain("【");
    expect(results[1]).toBe("This call was not made: this response may make no more than 1 built-in tool calls (max_tool_calls).");
  });

  it("answers and streams within the spec's schemas", async () => {
    const { problems, streamed } = await recorder.problems(loadConformance(), responseEventSchema);
    expect(problems).toEqual([]);
    expect([...streamed]).toEqual(expect.arrayContaining(["response.file_search_call.completed", "response.output_text.annotation.added"]));
  });
});
