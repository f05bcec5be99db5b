import { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { scrape, type Scrape } from "../../src/testing/prometheus-scrape.js";
import { bubblewrapAvailable } from "../../src/testing/sandbox-available.js";
import { useTestServer } from "../../src/testing/test-server.js";

const adminKey = "admin-key-for-metrics";
const server = useTestServer({ env: { SPOOL_ADMIN_KEY: adminKey, SPOOL_UPSTREAM_MAX_RETRIES: "1" } });
const sandboxAvailable = await bubblewrapAvailable();

const read = () => scrape(server.spool.url, adminKey);
/** How much each sample moved between two scrapes. */
const moved = (before: Scrape, after: Scrape) => (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);

async function assistant(tools: { type: "file_search" | "code_interpreter" }[] = [], toolResources?: { file_search: { vector_store_ids: string[] } }) {
  return server.client.beta.assistants.create({ model: "gpt-4o", tools, ...(toolResources ? { tool_resources: toolResources } : {}) });
}

describe("GET /metrics", () => {
  it("needs the admin key once one is set", async () => {
    expect((await fetch(`${server.spool.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.spool.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const response = await fetch(`${server.spool.url}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(response.headers.get("content-type")).toContain("text/plain");
    const body = await response.text();
    // prom-client's process metrics: memory and event-loop lag.
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("counts a completed run: requests by route template, status, duration, queue wait, upstream latency, first token and tokens", async () => {
    const before = await read();
    const { id: assistantId } = await assistant();
    server.upstream.enqueue({ text: "Four.", usage: { promptTokens: 13, completionTokens: 5 } });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "2 + 2?" }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId }, { pollIntervalMs: 20 });
    expect(run.status).toBe("completed");
    const after = await read();
    const delta = moved(before, after);

    expect(delta("spool_http_requests_total", { route: "/v1/threads/:thread_id/runs", method: "POST", status: "200" })).toBe(1);
    expect(delta("spool_http_request_duration_seconds_count", { route: "/v1/threads/:thread_id/runs", method: "POST" })).toBe(1);
    expect(delta("spool_http_requests_total", { route: "/v1/assistants", method: "POST", status: "200" })).toBe(1);
    expect(delta("spool_runs_finished_total", { status: "completed" })).toBe(1);
    expect(delta("spool_run_duration_seconds_count", { status: "completed" })).toBe(1);
    expect(delta("spool_run_queue_wait_seconds_count")).toBe(1);
    expect(delta("spool_upstream_latency_seconds_count", { model: "gpt-4o" })).toBe(1);
    expect(delta("spool_upstream_time_to_first_token_seconds_count", { model: "gpt-4o" })).toBe(1);
    expect(delta("spool_tokens_total", { model: "gpt-4o", direction: "input" })).toBe(13);
    expect(delta("spool_tokens_total", { model: "gpt-4o", direction: "output" })).toBe(5);
    // Labels carry route templates, never ids.
    expect(after.lines.filter((line) => /="[^"]*(thread|run|asst|msg)_[A-Za-z0-9]{8,}/.test(line))).toEqual([]);
    expect(after.value("spool_http_requests_total", { route: "unmatched" })).toBe(before.value("spool_http_requests_total", { route: "unmatched" }));
  });

  it("counts an open stream while it streams, and closes it when the run ends", async () => {
    const { id: assistantId } = await assistant();
    server.upstream.enqueue({ text: "Still thinking", hang: true });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Think." }] });
    const stream = server.client.beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    const runId = await new Promise<string>((resolve) => stream.on("textDelta", () => resolve(stream.currentRun()!.id)));
    expect((await read()).value("spool_sse_streams_open")).toBe(1);
    await server.client.beta.threads.runs.cancel(runId, { thread_id: thread.id });
    await stream.done();
    await expect.poll(async () => (await read()).value("spool_sse_streams_open")).toBe(0);
    await expect.poll(async () => (await read()).value("spool_runs_finished_total", { status: "cancelled" })).toBe(1);
  });

  it("counts upstream errors and retries by code, and the failed run", async () => {
    const before = await read();
    const { id: assistantId } = await assistant();
    server.upstream.enqueue({ error: { status: 500, message: "upstream down" } }, { error: { status: 500, message: "upstream down" } });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Hello?" }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId }, { pollIntervalMs: 20 });
    expect(run.status).toBe("failed");
    const delta = moved(before, await read());
    expect(delta("spool_upstream_errors_total", { code: "500" })).toBe(2);
    expect(delta("spool_upstream_retries_total", { code: "500" })).toBe(1);
    expect(delta("spool_runs_finished_total", { status: "failed" })).toBe(1);
    expect(delta("spool_run_duration_seconds_count", { status: "failed" })).toBe(1);
  });

  it("counts ingestion and file_search tool calls with their duration", async () => {
    const before = await read();
    const vectorStore = await server.client.vectorStores.create({ name: "Notes" });
    await server.client.vectorStores.files.uploadAndPoll(vectorStore.id, await toFile(Buffer.from("The office opens at nine."), "notes.txt"), { pollIntervalMs: 20 });
    const { id: assistantId } = await assistant([{ type: "file_search" }], { file_search: { vector_store_ids: [vectorStore.id] } });
    server.upstream.enqueue({ toolCalls: [{ name: "file_search", arguments: { query: "opening time" } }] }, { text: "At nine." });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "When does it open?" }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId }, { pollIntervalMs: 20 });
    expect(run.status).toBe("completed");
    const after = await read();
    const delta = moved(before, after);
    expect(delta("spool_ingestion_jobs_total", { status: "completed" })).toBe(1);
    expect(delta("spool_ingestion_duration_seconds_count")).toBe(1);
    expect(after.lines.some((line) => line.startsWith("spool_ingestion_backlog 0"))).toBe(true);
    expect(delta("spool_tool_calls_total", { type: "file_search" })).toBe(1);
    expect(delta("spool_tool_call_duration_seconds_count", { type: "file_search" })).toBe(1);
    expect(delta("spool_tool_call_failures_total", { type: "file_search" })).toBe(0);
    expect(delta("spool_upstream_latency_seconds_count", { model: "gpt-4o" })).toBe(2);
  });

  it.skipIf(!sandboxAvailable)("counts code_interpreter calls, their failures and sandbox sessions", async () => {
    const before = await read();
    const { id: assistantId } = await assistant([{ type: "code_interpreter" }]);
    server.upstream.enqueue(
      { toolCalls: [{ name: "code_interpreter", arguments: { code: "print(6 * 7)" } }] },
      { toolCalls: [{ name: "code_interpreter", arguments: { code: "1 / 0" } }] },
      { text: "42, and division by zero fails." },
    );
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Compute." }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId }, { pollIntervalMs: 20 });
    expect(run.status).toBe("completed");
    const delta = moved(before, await read());
    expect(delta("spool_tool_calls_total", { type: "code_interpreter" })).toBe(2);
    expect(delta("spool_tool_call_failures_total", { type: "code_interpreter" })).toBe(1);
    expect(delta("spool_sandbox_sessions_started_total")).toBe(1);
    expect(delta("spool_sandbox_sessions_live")).toBe(1);
  });
});
