import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConformance, type Conformance } from "../../src/testing/openapi-conformance.js";
import type { RecordedRequest } from "../../src/testing/scripted-upstream.js";
import { specRecorder } from "../../src/testing/spec-recorder.js";
import { useTestServer } from "../../src/testing/test-server.js";

// Every JSON answer and every stream event of an SDK-driven walk over every endpoint is checked against the
// component schemas of OpenAI's spec.
const server = useTestServer();

let recorder: ReturnType<typeof specRecorder>;
let client: OpenAI;
let conformance: Conformance;

/** Spool's additions that OpenAI never had, and the raw file download the spec types as a JSON string. */
const outsideTheSpec = new Set(["GET /threads", "GET /files/{file_id}/content"]);

function lastToolResult(request: RecordedRequest): string | undefined {
  const last = (request.body as { messages: { role: string; content: unknown }[] }).messages.at(-1);
  return last?.role === "tool" && typeof last.content === "string" ? last.content : undefined;
}

beforeAll(() => {
  conformance = loadConformance();
  recorder = specRecorder(new URL(server.spool.url).origin);
  client = server.spool.client({ fetch: recorder.fetch });
});

afterAll(() => server.upstream.setResponder(() => ({ text: "" })));

describe("responses against OpenAI's spec", () => {
  it("walks every endpoint with the SDK", async () => {
    const file = await client.files.create({ file: await toFile(Buffer.from("The Busan office opens in March 2024."), "memo.txt"), purpose: "assistants" });
    await client.files.retrieve(file.id);
    await client.files.list();
    await (await client.files.content(file.id)).text();

    const store = await client.vectorStores.create({ name: "Memos", file_ids: [file.id], metadata: { team: "ops" } });
    await client.vectorStores.files.poll(store.id, file.id, { pollIntervalMs: 20 });
    await client.vectorStores.retrieve(store.id);
    await client.vectorStores.update(store.id, { name: "Office memos", expires_after: { anchor: "last_active_at", days: 7 } });
    await client.vectorStores.list();
    await client.vectorStores.search(store.id, { query: "Busan office" });
    await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });
    await client.vectorStores.files.update(file.id, { vector_store_id: store.id, attributes: { year: 2024 } });
    await client.vectorStores.files.list(store.id);
    for await (const page of await client.vectorStores.files.content(file.id, { vector_store_id: store.id })) expect(page.type).toBe("text");

    const second = await client.files.create({ file: await toFile(Buffer.from("Second memo."), "second.txt"), purpose: "assistants" });
    const batch = await client.vectorStores.fileBatches.createAndPoll(store.id, { file_ids: [second.id] }, { pollIntervalMs: 20 });
    await client.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id });
    await client.vectorStores.fileBatches.listFiles(batch.id, { vector_store_id: store.id });
    // Cancelled while ingesting, or refused (400) if ingestion won the race: both answers are checked.
    const cancelling = await client.vectorStores.fileBatches.create(store.id, { file_ids: [second.id] });
    await client.vectorStores.fileBatches.cancel(cancelling.id, { vector_store_id: store.id }).catch((error: unknown) => expect(error).toMatchObject({ status: 400 }));
    await client.vectorStores.files.delete(second.id, { vector_store_id: store.id });
    const plainStore = await client.vectorStores.create({ name: "Plain" });
    await client.vectorStores.files.createAndPoll(plainStore.id, { file_id: second.id }, { pollIntervalMs: 20 });
    await client.vectorStores.delete(plainStore.id);

    const assistant = await client.beta.assistants.create({
      model: "gpt-4o",
      name: "Walker",
      instructions: "Answer from the files.",
      tools: [
        { type: "file_search" },
        { type: "code_interpreter" },
        { type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } },
      ],
      tool_resources: { file_search: { vector_store_ids: [store.id] } },
      metadata: { purpose: "walk" },
    });
    await client.beta.assistants.retrieve(assistant.id);
    await client.beta.assistants.update(assistant.id, { temperature: 0.5, response_format: "auto" });
    await client.beta.assistants.list();

    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "When does the Busan office open?", attachments: [{ file_id: file.id, tools: [{ type: "code_interpreter" }] }] }] });
    await client.beta.threads.retrieve(thread.id);
    await client.beta.threads.update(thread.id, { metadata: { topic: "offices" } });
    const message = await client.beta.threads.messages.create(thread.id, { role: "user", content: [{ type: "text", text: "Please cite the memo." }] });
    await client.beta.threads.messages.retrieve(message.id, { thread_id: thread.id });
    await client.beta.threads.messages.update(message.id, { thread_id: thread.id, metadata: { seen: "yes" } });

    // file_search with a citation, then code_interpreter, then a text answer.
    server.upstream.setResponder((request) => {
      const result = lastToolResult(request);
      if (result === undefined) return { toolCalls: [{ name: "file_search", arguments: { query: "Busan office" } }] };
      if (result.includes("【")) {
        const marker = /【\d+:\d+†[^】]*】/.exec(result)?.[0] ?? "";
        return { text: `It opens in March 2024${marker}.`, toolCalls: [{ name: "code_interpreter", arguments: { code: "print(2024 - 3)" } }] };
      }
      return { text: "Done." };
    });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 20 });
    expect(run.status).toBe("completed");
    await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    await client.beta.threads.runs.update(run.id, { thread_id: thread.id, metadata: { checked: "yes" } });
    await client.beta.threads.runs.list(thread.id);
    const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, include: ["step_details.tool_calls[*].file_search.results[*].content"] });
    for (const step of steps.data) await client.beta.threads.runs.steps.retrieve(step.id, { thread_id: thread.id, run_id: run.id });
    await client.beta.threads.messages.list(thread.id);

    // A function call: requires_action, tool outputs over a stream, then a cancelled one.
    server.upstream.setResponder((request) =>
      lastToolResult(request) === undefined ? { toolCalls: [{ name: "lookup", arguments: { q: "Busan" } }] } : { text: "Found it." },
    );
    const waiting = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 20 });
    expect(waiting.status).toBe("requires_action");
    const callId = waiting.required_action?.submit_tool_outputs.tool_calls[0]?.id ?? "";
    await client.beta.threads.runs.submitToolOutputsStream(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: callId, output: "March" }] }).finalRun();
    const toCancel = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 20 });
    await client.beta.threads.runs.cancel(toCancel.id, { thread_id: thread.id });
    await client.beta.threads.runs.poll(toCancel.id, { thread_id: thread.id }, { pollIntervalMs: 20 });

    server.upstream.setResponder(() => ({ text: "Streamed answer." }));
    await client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }).finalRun();
    await client.beta.threads.createAndRunStream({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: "Hi" }] } }).finalRun();
    const created = await client.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: "Hello" }] } }, { pollIntervalMs: 20 });

    await expect(client.beta.threads.retrieve("thread_missing")).rejects.toMatchObject({ status: 404 });
    await expect(client.beta.assistants.create({ model: "gpt-4o", temperature: 9 })).rejects.toMatchObject({ status: 400 });

    await client.beta.threads.messages.delete(message.id, { thread_id: thread.id });
    await client.beta.threads.delete(thread.id);
    await client.beta.threads.delete(created.thread_id);
    await client.beta.assistants.delete(assistant.id);
    await client.vectorStores.delete(store.id);
    await client.files.delete(file.id);
    await client.files.delete(second.id);

    const { problems, covered, streamed } = await recorder.problems(conformance, () => "AssistantStreamEvent", { streamedValue: "frame", unchecked: outsideTheSpec });
    expect(problems).toEqual([]);
    expect([...streamed]).toEqual(expect.arrayContaining(["thread.created", "thread.run.completed", "thread.message.delta", "thread.run.step.completed", "done"]));
    const endpoints = conformance.operations
      .filter((operation) => /^\/(assistants|threads|files|vector_stores)(\/|$)/.test(operation.template))
      .map((operation) => `${operation.method} ${operation.template}`);
    expect(endpoints.filter((endpoint) => !covered.has(endpoint))).toEqual([]);
  });
});
