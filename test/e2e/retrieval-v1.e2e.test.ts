import { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { economyReport, makeDocx, makeEconomyReportPdf } from "../fixtures/documents.js";
import type { RecordedRequest } from "../../src/testing/scripted-upstream.js";
import { useTestServer } from "../../src/testing/test-server.js";

// v1 calls go through raw HTTP (`v1` below); the SDK is used for the version-free Files API and for v2 views.
const server = useTestServer();

/** Raw v1 call (the current SDK's types no longer describe v1 bodies). */
async function v1<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${server.spool.url}/v1${path}`, {
    method,
    headers: { "content-type": "application/json", "openai-beta": "assistants=v1" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

interface V1Assistant { id: string; tools: { type: string }[]; file_ids: string[] }
interface V1List<T> { object: "list"; data: T[]; first_id: string | null; last_id: string | null; has_more: boolean }
interface V1Run { id: string; status: string }

function lastToolResult(request: RecordedRequest): string {
  const messages = request.body.messages as { role: string; content: unknown }[];
  const tool = messages.filter((message) => message.role === "tool").at(-1);
  return typeof tool?.content === "string" ? tool.content : "";
}

/** The run once it has left queued and in_progress (ingesting the PDF and DOCX first takes a while on a busy machine). */
async function pollRun(threadId: string, runId: string): Promise<V1Run> {
  const retrieveRun = async () => (await v1<V1Run>("GET", `/threads/${threadId}/runs/${runId}`)).json;
  await expect.poll(async () => (await retrieveRun()).status, { timeout: 25_000 }).not.toMatch(/^(queued|in_progress)$/);
  return retrieveRun();
}

describe("v1 retrieval (OpenAI-Beta: assistants=v1)", () => {
  it("searches assistant file_ids and message file_ids, with assistant and message file endpoints", async () => {
    const report = await server.client.files.create({ file: await toFile(await makeEconomyReportPdf(), "economy-report.pdf"), purpose: "assistants" });
    const memo = await server.client.files.create({ file: await toFile(makeDocx(["Office memo: the Daejeon lab moves to building 7 in May."]), "memo.docx"), purpose: "assistants" });
    const notes = await server.client.files.create({ file: await toFile(Buffer.from("Meeting notes: the budget review is on Thursday at 3pm."), "notes.txt"), purpose: "assistants" });

    const created = await v1<V1Assistant>("POST", "/assistants", { model: "gpt-4", tools: [{ type: "retrieval" }], file_ids: [report.id] });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ tools: [{ type: "retrieval" }], file_ids: [report.id] });
    expect(created.json).not.toHaveProperty("tool_resources");
    const assistantId = created.json.id;

    const added = await v1<{ id: string; object: string; assistant_id: string; created_at: number }>("POST", `/assistants/${assistantId}/files`, { file_id: memo.id });
    expect(added.json).toMatchObject({ id: memo.id, object: "assistant.file", assistant_id: assistantId });
    const listed = await v1<V1List<{ id: string; object: string }>>("GET", `/assistants/${assistantId}/files?order=asc`);
    expect(listed.json).toMatchObject({ object: "list", first_id: report.id, last_id: memo.id, has_more: false });
    expect(listed.json.data.map((file) => file.object)).toEqual(["assistant.file", "assistant.file"]);
    expect((await v1("GET", `/assistants/${assistantId}/files/${memo.id}`)).status).toBe(200);
    expect((await v1("GET", `/assistants/${assistantId}/files/${notes.id}`)).status).toBe(404);
    expect((await v1<V1Assistant>("GET", `/assistants/${assistantId}`)).json.file_ids).toEqual([report.id, memo.id]);

    const thread = await v1<{ id: string }>("POST", "/threads", {});
    const message = await v1<{ id: string; file_ids: string[] }>("POST", `/threads/${thread.json.id}/messages`, {
      role: "user",
      content: "2023년 경제성장률 전망과 예산 회의 시간을 알려줘.",
      file_ids: [notes.id],
    });
    expect(message.json.file_ids).toEqual([notes.id]);
    const messageFiles = await v1<V1List<{ id: string; object: string; message_id: string }>>("GET", `/threads/${thread.json.id}/messages/${message.json.id}/files`);
    expect(messageFiles.json.data).toEqual([expect.objectContaining({ id: notes.id, object: "thread.message.file", message_id: message.json.id })]);
    expect((await v1("GET", `/threads/${thread.json.id}/messages/${message.json.id}/files/${notes.id}`)).status).toBe(200);

    server.upstream.enqueue(
      { toolCalls: [{ name: "file_search", arguments: { query: "2023년 경제성장률 전망" } }] },
      { toolCalls: [{ name: "file_search", arguments: { query: "budget review meeting" } }] },
    );
    server.upstream.setResponder((request) => {
      const markers = request.body.messages as { role: string; content: unknown }[];
      const outputs = markers.filter((item) => item.role === "tool").map((item) => String(item.content));
      const pick = (output: string, needle: string) =>
        output.split(/(?=【\d+:\d+†)/).find((part) => part.startsWith("【") && part.includes(needle))?.match(/【[^】]*】/)?.[0] ?? "【none】";
      return { text: `성장률은 1.4%입니다${pick(outputs[0] ?? "", "1.4%")}. The review is Thursday ${pick(outputs[1] ?? "", "Thursday")}.` };
    });
    const run = await v1<V1Run>("POST", `/threads/${thread.json.id}/runs`, { assistant_id: assistantId });
    expect(run.status).toBe(200);
    expect((await pollRun(thread.json.id, run.json.id)).status).toBe("completed");
    expect(lastToolResult(server.upstream.chatRequests()[1]!)).toContain("†economy-report.pdf†p.2】");

    const messages = await v1<V1List<{ content: { type: string; text: { value: string; annotations: { type: string; text: string; start_index: number; end_index: number; file_citation: { file_id: string; quote?: string } }[] } }[] }>>(
      "GET",
      `/threads/${thread.json.id}/messages?limit=1`,
    );
    const text = messages.json.data[0]?.content[0]?.text;
    expect(text?.annotations.map((annotation) => annotation.file_citation.file_id)).toEqual([report.id, notes.id]);
    for (const annotation of text?.annotations ?? []) {
      expect(text?.value.slice(annotation.start_index, annotation.end_index)).toBe(annotation.text);
    }
    expect(text?.annotations[0]?.file_citation.quote).toContain(economyReport.koreanGrowthForecast);

    const steps = await v1<V1List<{ step_details: { type: string; tool_calls?: { type: string }[] } }>>("GET", `/threads/${thread.json.id}/runs/${run.json.id}/steps?order=asc`);
    expect(steps.json.data[0]?.step_details.tool_calls?.[0]?.type).toBe("retrieval");

    // Removing an assistant file takes it out of search.
    const removed = await v1("DELETE", `/assistants/${assistantId}/files/${report.id}`);
    expect(removed.json).toEqual({ id: report.id, object: "assistant.file.deleted", deleted: true });
    const asV2 = await server.client.beta.assistants.retrieve(assistantId);
    const storeId = asV2.tool_resources?.file_search?.vector_store_ids?.[0];
    expect(storeId).toMatch(/^vs_/);
    const hits = await server.client.vectorStores.search(storeId!, { query: "2023년 경제성장률 전망" });
    expect(hits.data.every((hit) => hit.file_id === memo.id)).toBe(true);
    expect((await v1<V1Assistant>("GET", `/assistants/${assistantId}`)).json.file_ids).toEqual([memo.id]);
  });
});
