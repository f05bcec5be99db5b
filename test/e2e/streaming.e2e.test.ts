import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();
let assistantId: string;

beforeAll(async () => {
  const assistant = await server.client.beta.assistants.create({
    model: "gpt-4o",
    instructions: "Be brief.",
    tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }],
  });
  assistantId = assistant.id;
});

describe("streaming runs", () => {
  it("streams text deltas through runs.stream and ends with the final run", async () => {
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Say hello in Korean" }] });
    server.upstream.enqueue({ text: ["Hello", " in Korean is ", "안녕하세요", "."] });
    const deltas: string[] = [];
    const events: string[] = [];
    const stream = server.client.beta.threads.runs
      .stream(thread.id, { assistant_id: assistantId })
      .on("textDelta", (delta) => deltas.push(delta.value ?? ""))
      .on("event", (event) => events.push(event.event));
    const run = await stream.finalRun();
    expect(run.status).toBe("completed");
    expect(deltas).toEqual(["Hello", " in Korean is ", "안녕하세요", "."]);
    const [message] = await stream.finalMessages();
    expect(message?.content[0]).toMatchObject({ type: "text", text: { value: "Hello in Korean is 안녕하세요." } });
    expect(events).toEqual([
      "thread.run.created",
      "thread.run.queued",
      "thread.run.in_progress",
      "thread.run.step.created",
      "thread.run.step.in_progress",
      "thread.message.created",
      "thread.message.in_progress",
      "thread.message.delta",
      "thread.message.delta",
      "thread.message.delta",
      "thread.message.delta",
      "thread.message.completed",
      "thread.run.step.completed",
      "thread.run.completed",
    ]);
  });

  it("streams a function call, then continues through submitToolOutputsStream", async () => {
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Look up spool" }] });
    server.upstream.enqueue({ toolCalls: [{ name: "lookup", arguments: { q: "spool" } }] });
    const first = server.client.beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    const toolCallDeltas: string[] = [];
    first.on("toolCallDelta", (delta) => {
      if (delta.type === "function") toolCallDeltas.push(delta.function?.arguments ?? "");
    });
    const waiting = await first.finalRun();
    expect(waiting.status).toBe("requires_action");
    expect(toolCallDeltas.join("")).toBe(JSON.stringify({ q: "spool" }));
    const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;

    server.upstream.enqueue({ text: "Spool is a self-hosted Assistants API." });
    const second = server.client.beta.threads.runs.submitToolOutputsStream(waiting.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: call.id, output: "a server" }],
    });
    const events: string[] = [];
    second.on("event", (event) => events.push(event.event));
    const done = await second.finalRun();
    expect(done.status).toBe("completed");
    expect(events.slice(0, 3)).toEqual(["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress"]);
    expect(await second.finalMessages()).toHaveLength(1);
  });

  it("creates a thread and run in one streamed call", async () => {
    server.upstream.enqueue({ text: "Done." });
    const stream = server.client.beta.threads.createAndRunStream({
      assistant_id: assistantId,
      thread: { messages: [{ role: "user", content: "hi" }] },
    });
    const events: string[] = [];
    stream.on("event", (event) => events.push(event.event));
    const run = await stream.finalRun();
    expect(run.status).toBe("completed");
    expect(events[0]).toBe("thread.created");
    const messages = await server.client.beta.threads.messages.list(run.thread_id);
    expect(messages.data).toHaveLength(2);
  });

  it("sends raw SSE frames ending in done/[DONE] with application JSON data", async () => {
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    server.upstream.enqueue({ text: "ok" });
    const response = await fetch(`${server.spool.url}/v1/threads/${thread.id}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", "openai-beta": "assistants=v2" },
      body: JSON.stringify({ assistant_id: assistantId, stream: true }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const body = await response.text();
    expect(body.endsWith("event: done\ndata: [DONE]\n\n")).toBe(true);
    for (const frame of body.trim().split("\n\n").slice(0, -1)) {
      const [eventLine, dataLine] = frame.split("\n");
      expect(eventLine).toMatch(/^event: thread\./);
      expect(() => JSON.parse(dataLine!.slice("data: ".length))).not.toThrow();
    }
  });

  it("keeps the run going when the client disconnects mid-stream", async () => {
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "long answer please" }] });
    server.upstream.enqueue({ text: ["part one, ", "part two, ", "part three."], chunkDelayMs: 100 });
    const controller = new AbortController();
    const response = await fetch(`${server.spool.url}/v1/threads/${thread.id}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: assistantId, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let seen = "";
    while (!seen.includes("thread.message.delta")) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const runId = /"id":"(run_[A-Za-z0-9]+)"/.exec(seen)![1]!;
    const run = await server.client.beta.threads.runs.poll(runId, { thread_id: thread.id });
    expect(run.status).toBe("completed");
    const messages = await server.client.beta.threads.messages.list(thread.id);
    expect(messages.data[0]?.content[0]).toMatchObject({ text: { value: "part one, part two, part three." } });
  });

  it("answers a pre-stream failure as a JSON error, not a stream", async () => {
    const stream = server.client.beta.threads.runs.stream("thread_missing", { assistant_id: assistantId });
    await expect(stream.finalRun()).rejects.toMatchObject({ status: 404 });
  });

  it("finishes a message before the tool calls that follow it in the same turn (steps never overlap)", async () => {
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Look it up" }] });
    server.upstream.enqueue({ text: "Let me look that up.", toolCalls: [{ name: "lookup", arguments: { q: "spool" } }] });
    const stream = server.client.beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    const events: string[] = [];
    stream.on("event", (event) => {
      if (event.event.startsWith("thread.run.step.") && event.event !== "thread.run.step.delta") {
        events.push(`${event.event}:${(event.data as { type: string }).type}`);
      }
      if (event.event === "thread.message.completed") events.push("thread.message.completed");
    });
    const run = await stream.finalRun();
    expect(run.status).toBe("requires_action");
    expect(events).toEqual([
      "thread.run.step.created:message_creation",
      "thread.run.step.in_progress:message_creation",
      "thread.message.completed",
      "thread.run.step.completed:message_creation",
      "thread.run.step.created:tool_calls",
      "thread.run.step.in_progress:tool_calls",
    ]);
    const [message] = (await server.client.beta.threads.messages.list(thread.id)).data;
    expect(message).toMatchObject({ status: "completed", content: [{ text: { value: "Let me look that up." } }] });
    await server.client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
  });
});
