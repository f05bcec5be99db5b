import { randomBytes } from "node:crypto";
import { toFile } from "openai";
import { afterAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type ReceivedSpan } from "../../src/testing/otlp-receiver.js";
import { throwawayPostgresForFile } from "../../src/testing/postgres-for-file.js";
import { bubblewrapAvailable } from "../../src/testing/sandbox-available.js";
import { startSpool } from "../../src/testing/start-spool.js";
import { useTestServer } from "../../src/testing/test-server.js";

// A real OTLP/HTTP endpoint receives what the server exports.
const receiver = await startOtlpReceiver();
const server = useTestServer({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
const sandboxAvailable = await bubblewrapAvailable();
const postgres = throwawayPostgresForFile();
afterAll(() => receiver.close());

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** The spans of one trace, once its run span has been exported. */
async function traceOf(traceId: string): Promise<ReceivedSpan[]> {
  await expect
    .poll(async () => {
      await server.spool.server.dependencies.telemetry?.tracing.flush();
      return receiver.spans().some((span) => span.traceId === traceId && span.name.startsWith("invoke_agent"));
    })
    .toBe(true);
  return receiver.spans().filter((span) => span.traceId === traceId);
}

function only(spans: ReceivedSpan[], predicate: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(predicate);
  expect(found, `spans: ${spans.map((span) => span.name).join(", ")}`).toHaveLength(1);
  return found[0]!;
}

/** Creates a run with `traceparent` on the create request only, and polls it to its end. */
async function tracedRun(threadId: string, assistantId: string) {
  const traceId = hex(16);
  const incomingSpanId = hex(8);
  const created = await server.client.beta.threads.runs.create(threadId, { assistant_id: assistantId }, { headers: { traceparent: `00-${traceId}-${incomingSpanId}-01` } });
  const run = await server.client.beta.threads.runs.poll(created.id, { thread_id: threadId }, { pollIntervalMs: 20 });
  expect(run.status).toBe("completed");
  return { traceId, incomingSpanId, run };
}

describe("OpenTelemetry traces over OTLP/HTTP", () => {
  it("exports a file_search run as one trace continuing the incoming traceparent: request → run → steps → model calls and tool", async () => {
    const vectorStore = await server.client.vectorStores.create({ name: "Handbook" });
    const file = await server.client.vectorStores.files.uploadAndPoll(vectorStore.id, await toFile(Buffer.from("Lunch is served at noon."), "handbook.txt"), { pollIntervalMs: 20 });
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "file_search" }], tool_resources: { file_search: { vector_store_ids: [vectorStore.id] } } });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "When is lunch?" }] });
    server.upstream.enqueue(
      { toolCalls: [{ name: "file_search", arguments: { query: "lunch time" } }], usage: { promptTokens: 40, completionTokens: 9 } },
      { text: "At noon.", usage: { promptTokens: 120, completionTokens: 4 } },
    );
    const { traceId, incomingSpanId, run } = await tracedRun(thread.id, assistant.id);
    const spans = await traceOf(traceId);

    const request = only(spans, (span) => span.name === "POST /v1/threads/:thread_id/runs");
    expect(request).toMatchObject({ parentSpanId: incomingSpanId, kind: 2 });
    expect(request.attributes).toMatchObject({ "http.request.method": "POST", "http.route": "/v1/threads/:thread_id/runs", "http.response.status_code": 200 });
    expect(request.resource["service.name"]).toBe("spool");

    // The executor continues the trace the run was created in (it may be another process).
    const agent = only(spans, (span) => span.name === `invoke_agent ${assistant.id}`);
    expect(agent.parentSpanId).toBe(request.spanId);
    expect(agent.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.id": assistant.id, "gen_ai.conversation.id": thread.id, "spool.run.id": run.id });

    const steps = spans.filter((span) => span.parentSpanId === agent.spanId && span.name.startsWith("step "));
    expect(steps.map((span) => span.name).sort()).toEqual(["step 1", "step 2"]);
    const [first, second] = [steps.find((span) => span.name === "step 1")!, steps.find((span) => span.name === "step 2")!];

    const firstCall = only(spans, (span) => span.name === "chat gpt-4o" && span.parentSpanId === first.spanId);
    expect(firstCall.kind).toBe(3);
    expect(firstCall.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 40,
      "gen_ai.usage.output_tokens": 9,
      "gen_ai.response.finish_reasons": ["tool_calls"],
    });
    expect(firstCall.attributes["gen_ai.server.time_to_first_token"]).toBeGreaterThan(0);
    const tool = only(spans, (span) => span.name === "execute_tool file_search");
    expect(tool.parentSpanId).toBe(first.spanId);
    expect(tool.attributes).toMatchObject({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "file_search", "gen_ai.tool.type": "datastore" });
    expect(String(tool.attributes["gen_ai.tool.call.id"])).toMatch(/^call_/);

    const secondCall = only(spans, (span) => span.name === "chat gpt-4o" && span.parentSpanId === second.spanId);
    expect(secondCall.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 4, "gen_ai.response.finish_reasons": ["stop"] });

    // Content stays out unless SPOOL_TRACE_CONTENT is on.
    const contentKeys = ["gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.call.arguments", "spool.sandbox.code", "spool.sandbox.logs"];
    expect(spans.flatMap((span) => Object.keys(span.attributes)).filter((key) => contentKeys.includes(key))).toEqual([]);

    // Ingestion is a trace of its own.
    const ingestion = only(receiver.spans(), (span) => span.name === "ingest_file" && span.attributes["spool.file.id"] === file.id);
    expect(ingestion.parentSpanId).toBeUndefined();
    expect(ingestion.attributes).toMatchObject({ "spool.vector_store.id": vectorStore.id, "spool.ingestion.status": "completed" });
  });

  it.skipIf(!sandboxAvailable)("exports a code_interpreter run with the sandbox cell under its tool call", async () => {
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "What is 6 × 7?" }] });
    server.upstream.enqueue({ toolCalls: [{ name: "code_interpreter", arguments: { code: "print(6 * 7)" } }] }, { text: "42" });
    const { traceId } = await tracedRun(thread.id, assistant.id);
    const spans = await traceOf(traceId);
    const agent = only(spans, (span) => span.name.startsWith("invoke_agent"));
    const step = only(spans, (span) => span.name === "step 1" && span.parentSpanId === agent.spanId);
    const tool = only(spans, (span) => span.name === "execute_tool code_interpreter");
    expect(tool.parentSpanId).toBe(step.spanId);
    expect(tool.attributes).toMatchObject({ "gen_ai.tool.name": "code_interpreter", "gen_ai.tool.type": "extension" });
    const cell = only(spans, (span) => span.name === "sandbox.execute");
    expect(cell.parentSpanId).toBe(tool.spanId);
    expect(cell.attributes).toMatchObject({ "spool.sandbox.session": thread.id, "spool.sandbox.failed": false });
    expect(cell.attributes).not.toHaveProperty("spool.sandbox.code");
  });

  it("a request without traceparent starts a new trace", async () => {
    await server.client.beta.assistants.list();
    await server.spool.server.dependencies.telemetry?.tracing.flush();
    const list = receiver.spans().filter((span) => span.name === "GET /v1/assistants");
    expect(list).toHaveLength(1);
    expect(list[0]!.parentSpanId).toBeUndefined();
  });
});

describe("SPOOL_TRACE_CONTENT=true", () => {
  it("puts the prompt and the answer into the model call's span", async () => {
    const spool = await startSpool({ upstreamUrl: server.upstream.url, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, SPOOL_TRACE_CONTENT: "true", OTEL_SERVICE_NAME: "spool-content" } });
    try {
      const client = spool.client();
      const assistant = await client.beta.assistants.create({ model: "gpt-4o-mini" });
      server.upstream.enqueue({ text: "Bonjour !" });
      const run = await client.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: "Say hello in French." }] } }, { pollIntervalMs: 20 });
      expect(run.status).toBe("completed");
      await expect
        .poll(async () => {
          await spool.server.dependencies.telemetry?.tracing.flush();
          return receiver.spans().find((span) => span.name === "chat gpt-4o-mini" && span.resource["service.name"] === "spool-content")?.attributes;
        })
        .toBeDefined();
      const call = receiver.spans().find((span) => span.name === "chat gpt-4o-mini")!;
      expect(String(call.attributes["gen_ai.input.messages"])).toContain("Say hello in French.");
      expect(String(call.attributes["gen_ai.output.messages"])).toContain("Bonjour !");
    } finally {
      await spool.close();
    }
  });
});

describe("a run executed by another process", () => {
  it("continues the trace of the request that created it, through the traceparent stored with the run", async () => {
    const databaseUrl = await postgres.freshDatabase("tracing");
    const env = (name: string, concurrency: string) => ({ SPOOL_DATABASE_URL: databaseUrl, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: name, SPOOL_RUN_CONCURRENCY: concurrency });
    // The API-only process takes the request; the other one, the only one that executes runs, runs it.
    const front = await startSpool({ upstreamUrl: server.upstream.url, env: env("spool-front", "0") });
    const worker = await startSpool({ upstreamUrl: server.upstream.url, env: env("spool-worker", "4") });
    try {
      const client = front.client();
      const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
      const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "Hello from afar" }] });
      server.upstream.enqueue({ text: "Hello back." });
      const traceId = hex(16);
      const created = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id }, { headers: { traceparent: `00-${traceId}-${hex(8)}-01` } });
      expect((await client.beta.threads.runs.poll(created.id, { thread_id: thread.id }, { pollIntervalMs: 20 })).status).toBe("completed");
      await expect
        .poll(async () => {
          await Promise.all([front, worker].map((spool) => spool.server.dependencies.telemetry?.tracing.flush()));
          return receiver.spans().filter((span) => span.traceId === traceId).map((span) => span.name);
        })
        .toContain(`invoke_agent ${assistant.id}`);
      const spans = receiver.spans().filter((span) => span.traceId === traceId);
      const request = only(spans, (span) => span.name === "POST /v1/threads/:thread_id/runs");
      const agent = only(spans, (span) => span.name.startsWith("invoke_agent"));
      expect(request.resource["service.name"]).toBe("spool-front");
      expect(agent.resource["service.name"]).toBe("spool-worker");
      expect(agent.parentSpanId).toBe(request.spanId);
    } finally {
      await worker.close();
      await front.close();
    }
  });
});
