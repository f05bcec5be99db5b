import OpenAI from "openai";
import OpenAIv7 from "openai-v7";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConformance } from "../../src/testing/openapi-conformance.js";
import type { RecordedRequest } from "../../src/testing/scripted-upstream.js";
import { responseEventSchema, specRecorder } from "../../src/testing/spec-recorder.js";
import { recordedClients } from "../../src/testing/recorded-clients.js";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();
let client: OpenAI;
let strict: OpenAIv7;
let recorder: ReturnType<typeof specRecorder>;

beforeAll(() => {
  ({ recorder, client, strict } = recordedClients(server.spool));
});

interface ChatMessage {
  role: string;
  content: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

const messagesOf = (request: RecordedRequest | undefined) => (request?.body as { messages: ChatMessage[] }).messages;
const lastChat = () => server.upstream.chatRequests().at(-1);

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "The weather in a city.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
  strict: true,
};

describe("responses", () => {
  it("answers a string input with the instructions as the system prompt", async () => {
    server.upstream.enqueue({ text: "Hello there!", usage: { promptTokens: 12, completionTokens: 3 } });
    const response = await client.responses.create({ model: "gpt-4o", instructions: "Be brief.", input: "Hi", metadata: { case: "basic" } });
    expect(response).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-4o",
      instructions: "Be brief.",
      metadata: { case: "basic" },
      error: null,
      incomplete_details: null,
      tool_choice: "auto",
      tools: [],
      temperature: 1,
      top_p: 1,
      parallel_tool_calls: true,
      background: false,
      store: true,
      truncation: "disabled",
      previous_response_id: null,
      conversation: null,
      usage: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toBe("Hello there!");
    expect(response.output).toMatchObject([{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Hello there!", annotations: [] }] }]);
    expect(messagesOf(lastChat())).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ]);
    expect(await client.responses.retrieve(response.id)).toEqual(response);
  });

  it("takes message items with text and images, and lists them as its input items", async () => {
    server.upstream.enqueue({ text: "A red square." });
    const response = await client.responses.create({
      model: "gpt-4o",
      input: [
        { role: "developer", content: "Describe images." },
        { type: "message", role: "user", content: [{ type: "input_text", text: "What is this?" }, { type: "input_image", image_url: "https://example.com/red.png", detail: "low" }] },
      ],
    });
    expect(response.output_text).toBe("A red square.");
    const sent = messagesOf(lastChat());
    expect(sent[0]).toEqual({ role: "system", content: "Describe images." });
    expect(sent[1]).toMatchObject({ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "https://example.com/red.png" } }] });
    const items = await client.responses.inputItems.list(response.id, { order: "asc" });
    expect(items.data).toMatchObject([
      { type: "message", role: "developer", content: [{ type: "input_text", text: "Describe images." }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "What is this?" }, { type: "input_image", image_url: "https://example.com/red.png", detail: "low" }] },
    ]);
    const newestFirst = await client.responses.inputItems.list(response.id, { limit: 1 });
    expect(newestFirst.data.map((item) => item.id)).toEqual([items.data[1]!.id]);
    expect(newestFirst.has_more).toBe(true);
  });

  it("ends with a function call, and continues from its output through previous_response_id", async () => {
    server.upstream.enqueue({ toolCalls: [{ name: "get_weather", arguments: { city: "Seoul" }, id: "call_seoul" }] });
    const first = await client.responses.create({ model: "gpt-4o", input: "Weather in Seoul?", tools: [weather], tool_choice: "required" });
    expect(first.status).toBe("completed");
    expect(first.output).toMatchObject([{ type: "function_call", call_id: "call_seoul", name: "get_weather", arguments: '{"city":"Seoul"}', status: "completed" }]);
    expect(first.tools).toEqual([weather]);
    expect(lastChat()?.body).toMatchObject({ tool_choice: "required", tools: [{ type: "function", function: { name: "get_weather", strict: true } }] });

    await expect(client.responses.create({ model: "gpt-4o", previous_response_id: first.id, input: "and?" })).rejects.toMatchObject({ status: 400, param: "input" });

    server.upstream.enqueue({ text: "It is sunny in Seoul." });
    const second = await client.responses.create({
      model: "gpt-4o",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: "call_seoul", output: '{"sky":"sunny"}' }],
      tools: [weather],
    });
    expect(second).toMatchObject({ status: "completed", previous_response_id: first.id, output_text: "It is sunny in Seoul." });
    expect(messagesOf(lastChat())).toMatchObject([
      { role: "user", content: "Weather in Seoul?" },
      { role: "assistant", tool_calls: [{ id: "call_seoul", function: { name: "get_weather", arguments: '{"city":"Seoul"}' } }] },
      { role: "tool", tool_call_id: "call_seoul", content: '{"sky":"sunny"}' },
    ]);

    // A second branch from the first response sees neither the other branch's output nor its answer.
    server.upstream.enqueue({ text: "Rain in Seoul, says the other branch." });
    await client.responses.create({ model: "gpt-4o", previous_response_id: first.id, input: [{ type: "function_call_output", call_id: "call_seoul", output: "rain" }], tools: [weather] });
    const branch = messagesOf(lastChat());
    expect(branch.map((message) => message.role)).toEqual(["user", "assistant", "tool"]);
    expect(branch[2]).toMatchObject({ content: "rain" });

    // The chain goes on from the second response: the model sees every turn so far.
    server.upstream.enqueue({ text: "You are welcome." });
    await client.responses.create({ model: "gpt-4o", previous_response_id: second.id, input: "Thanks!" });
    expect(messagesOf(lastChat()).map((message) => message.role)).toEqual(["user", "assistant", "tool", "assistant", "user"]);
  });

  it("asks for a json_schema output and returns the JSON text", async () => {
    server.upstream.enqueue({ text: '{"city":"Busan","temperature":21}' });
    const schema = { type: "object", properties: { city: { type: "string" }, temperature: { type: "number" } }, required: ["city", "temperature"], additionalProperties: false };
    const response = await client.responses.create({
      model: "gpt-4o",
      input: "Weather as JSON",
      text: { format: { type: "json_schema", name: "weather", schema, strict: true } },
      max_output_tokens: 200,
      temperature: 0.2,
    });
    expect(JSON.parse(response.output_text)).toEqual({ city: "Busan", temperature: 21 });
    expect(response).toMatchObject({ text: { format: { type: "json_schema", name: "weather", schema, strict: true } }, max_output_tokens: 200, temperature: 0.2 });
    expect(lastChat()?.body).toMatchObject({ response_format: { type: "json_schema", json_schema: { name: "weather", schema, strict: true } }, max_tokens: 200, temperature: 0.2 });
  });

  it("is incomplete when it reaches max_output_tokens, and failed when the model server fails", async () => {
    server.upstream.enqueue({ text: "A long answer that was cut", finishReason: "length" });
    const cut = await client.responses.create({ model: "gpt-4o", input: "Tell me everything", max_output_tokens: 16 });
    expect(cut).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(cut.output[0]).toMatchObject({ type: "message", status: "incomplete" });

    server.upstream.enqueue({ error: { status: 400, message: "bad prompt" } });
    const failed = await client.responses.create({ model: "gpt-4o", input: "fail" });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatchObject({ code: "invalid_prompt" });
    expect(failed.error?.message).toContain("bad prompt");
  });

  it("runs in the background, is polled, and is cancelled", async () => {
    server.upstream.enqueue({ text: "Done in the background." });
    const queued = await client.responses.create({ model: "gpt-4o", input: "Work", background: true });
    expect(queued).toMatchObject({ background: true, output: [] });
    expect(["queued", "in_progress", "completed"]).toContain(queued.status);
    await expect.poll(async () => (await client.responses.retrieve(queued.id)).status).toBe("completed");
    expect((await client.responses.retrieve(queued.id)).output_text).toBe("Done in the background.");
    await expect(client.responses.cancel(queued.id)).rejects.toMatchObject({ status: 400 });

    server.upstream.enqueue({ text: "never finishes", hang: true });
    const before = server.upstream.chatRequests().length;
    const slow = await client.responses.create({ model: "gpt-4o", input: "Work slowly", background: true });
    // Cancelled while the model is answering, not while it is still queued.
    await server.upstream.waitForChatRequests(before + 1);
    const cancelled = await client.responses.cancel(slow.id);
    expect(cancelled.status).toBe("cancelled");
    expect((await client.responses.retrieve(slow.id)).status).toBe("cancelled");

    const foreground = await client.responses.create({ model: "gpt-4o", input: "quick" });
    await expect(client.responses.cancel(foreground.id)).rejects.toMatchObject({ status: 400 });
  });

  it("deletes a response, counts input tokens, and refuses bad requests", async () => {
    server.upstream.enqueue({ text: "ok" });
    const response = await client.responses.create({ model: "gpt-4o", input: "Delete me" });
    await client.responses.delete(response.id);
    await expect(client.responses.retrieve(response.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.inputItems.list(response.id)).rejects.toMatchObject({ status: 404 });

    const count = await client.responses.inputTokens.count({ model: "gpt-4o", instructions: "Be brief.", input: "Hello, world" });
    expect(count).toEqual({ object: "response.input_tokens", input_tokens: 6 });

    await expect(client.responses.create({ model: "gpt-4o", input: "x", temperature: 5 })).rejects.toMatchObject({ status: 400, param: "temperature" });
    await expect(client.responses.create({ input: "no model" } as never)).rejects.toMatchObject({ status: 400, param: "model" });
    await expect(client.responses.create({ model: "gpt-4o", input: "x", previous_response_id: "resp_missing" })).rejects.toMatchObject({
      status: 400,
      code: "previous_response_not_found",
    });
    await expect(client.responses.create({ model: "gpt-4o", input: "x", tools: [weather], tool_choice: { type: "function", name: "other" } })).rejects.toMatchObject({
      status: 400,
      param: "tool_choice",
    });
    const stateless = await client.responses.create({ model: "gpt-4o", input: "Not kept", store: false });
    expect(stateless.status).toBe("completed");
    await expect(client.responses.retrieve(stateless.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("an assistant as a prompt", () => {
  it("uses the assistant's model, instructions with the variables filled in, and function tools", async () => {
    const assistant = await client.beta.assistants.create({
      model: "gpt-4o-mini",
      instructions: "You help {{customer}} with the weather.",
      tools: [{ type: "function", function: { name: "get_weather", parameters: weather.parameters } }],
      temperature: 0.3,
    });
    server.upstream.enqueue({ text: "Hello Mina." });
    const response = await client.responses.create({ prompt: { id: assistant.id, variables: { customer: "Mina" } }, input: "Hi" });
    expect(response).toMatchObject({
      model: "gpt-4o-mini",
      instructions: "You help Mina with the weather.",
      temperature: 0.3,
      prompt: { id: assistant.id, variables: { customer: "Mina" }, version: null },
      tools: [{ type: "function", name: "get_weather" }],
    });
    expect(lastChat()?.body).toMatchObject({ model: "gpt-4o-mini", temperature: 0.3, tools: [{ function: { name: "get_weather" } }] });
    expect(messagesOf(lastChat())[0]).toEqual({ role: "system", content: "You help Mina with the weather." });

    // The request's own settings win over the assistant's.
    server.upstream.enqueue({ text: "Brief." });
    const overridden = await client.responses.create({ prompt: { id: assistant.id }, model: "gpt-4o", instructions: "Be brief.", input: "Hi" });
    expect(overridden).toMatchObject({ model: "gpt-4o", instructions: "Be brief." });
    await expect(client.responses.create({ prompt: { id: "pmpt_123" }, input: "Hi" })).rejects.toMatchObject({ status: 400, param: "prompt.id" });
  });
});

describe("streamed responses", () => {
  it("streams text through the SDK's ResponseStream", async () => {
    server.upstream.enqueue({ text: ["Hel", "lo ", "안녕"] });
    const stream = client.responses.stream({ model: "gpt-4o", input: "Greet me" });
    const types: string[] = [];
    const deltas: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("Hello 안녕");
    expect(deltas).toEqual(["Hel", "lo ", "안녕"]);
    expect(types.filter((type, index) => type !== types[index - 1])).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const stored = await client.responses.retrieve(final.id);
    expect(stored).toMatchObject({ status: "completed", output_text: "Hello 안녕" });
    expect(stored.output.map((item) => item.id)).toEqual(final.output.map((item) => item.id));
  });

  it("passes openai 7.x's strict checks with text and function calls in one turn", async () => {
    server.upstream.enqueue({ text: "Let me check.", toolCalls: [{ name: "get_weather", arguments: { city: "Busan" } }, { name: "get_weather", arguments: { city: "Jeju" } }] });
    const stream = strict.responses.stream({ model: "gpt-4o", input: "Weather in Busan and Jeju?", tools: [weather] });
    const argumentDeltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (event) => argumentDeltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(final.output.map((item) => item.type)).toEqual(["message", "function_call", "function_call"]);
    expect(final.output_text).toBe("Let me check.");
    expect(argumentDeltas.join("")).toBe('{"city":"Busan"}{"city":"Jeju"}');
    const calls = final.output.flatMap((item) => (item.type === "function_call" ? [item] : []));

    server.upstream.enqueue({ text: "Both are sunny." });
    const next = strict.responses.stream({
      model: "gpt-4o",
      previous_response_id: final.id,
      input: calls.map((call) => ({ type: "function_call_output" as const, call_id: call.call_id, output: "sunny" })),
    });
    expect((await next.finalResponse()).output_text).toBe("Both are sunny.");
  });

  it("streams a background response, and ends a failed one with response.failed", async () => {
    server.upstream.enqueue({ text: "Background stream." });
    const background = await client.responses.stream({ model: "gpt-4o", input: "go", background: true }).finalResponse();
    expect(background).toMatchObject({ status: "completed", background: true, output_text: "Background stream." });

    server.upstream.enqueue({ error: { status: 400, message: "refused upstream" } });
    const failing = client.responses.stream({ model: "gpt-4o", input: "fail" });
    const types: string[] = [];
    failing.on("event", (event) => types.push(event.type));
    const final = await failing.finalResponse();
    expect(final.status).toBe("failed");
    expect(types.at(-1)).toBe("response.failed");
  });
});

describe("a response on a conversation", () => {
  it("adds its input and output to the conversation, where Assistants clients see them", async () => {
    const conversation = await client.conversations.create({ items: [{ role: "user", content: "My name is Mina." }] });
    server.upstream.enqueue({ text: "Nice to meet you, Mina." });
    const response = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "What is my name?" });
    expect(response.conversation).toEqual({ id: conversation.id });
    expect(messagesOf(lastChat())).toEqual([
      { role: "user", content: "My name is Mina." },
      { role: "user", content: "What is my name?" },
    ]);
    const items = await client.conversations.items.list(conversation.id, { order: "asc" });
    expect(items.data.map((item) => (item.type === "message" ? item.content[0] : item))).toMatchObject([
      { type: "input_text", text: "My name is Mina." },
      { type: "input_text", text: "What is my name?" },
      { type: "output_text", text: "Nice to meet you, Mina." },
    ]);
    const messages = await client.beta.threads.messages.list(conversation.id, { order: "asc" });
    expect(messages.data.map((message) => [message.role, message.content[0]?.type === "text" ? message.content[0].text.value : ""])).toEqual([
      ["user", "My name is Mina."],
      ["user", "What is my name?"],
      ["assistant", "Nice to meet you, Mina."],
    ]);
    expect((await client.beta.threads.runs.list(conversation.id)).data.map((run) => run.id)).toEqual([response.id]);
  });

  it("continues an Assistants thread, with its function calls answered in the next response", async () => {
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "Weather in Daegu?" }] });
    server.upstream.enqueue({ toolCalls: [{ name: "get_weather", arguments: { city: "Daegu" }, id: "call_daegu" }] });
    const asking = await client.responses.create({ model: "gpt-4o", conversation: thread.id, tools: [weather] });
    expect(asking.output).toMatchObject([{ type: "function_call", call_id: "call_daegu" }]);
    await expect(client.responses.create({ model: "gpt-4o", conversation: thread.id, input: "Hello?" })).rejects.toMatchObject({ status: 400 });

    server.upstream.enqueue({ text: "Daegu is hot." });
    const answer = await client.responses.create({
      model: "gpt-4o",
      conversation: { id: thread.id },
      input: [{ type: "function_call_output", call_id: "call_daegu", output: "35C" }],
      tools: [weather],
    });
    expect(answer.output_text).toBe("Daegu is hot.");
    const steps = await client.beta.threads.runs.steps.list(asking.id, { thread_id: thread.id });
    const details = steps.data[0]?.step_details;
    expect(details?.type === "tool_calls" && details.tool_calls[0]?.type === "function" ? details.tool_calls[0].function.output : null).toBe("35C");
    const items = await client.conversations.items.list(thread.id, { order: "asc" });
    expect(items.data.map((item) => item.type)).toEqual(["message", "function_call", "function_call_output", "message"]);
  });

  it("refuses a second response while one is in progress on the conversation", async () => {
    const conversation = await client.conversations.create({});
    server.upstream.enqueue({ text: "slow", hang: true });
    const running = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "one", background: true });
    await expect(client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "two" })).rejects.toMatchObject({
      status: 400,
      code: "conversation_locked",
    });
    await client.responses.cancel(running.id);
  });
});

describe("a reasoning model", () => {
  const thinking = "The user greets me in Korean, so I answer in Korean.";

  it("streams its reasoning as a reasoning item before the answer, and keeps it in the response", async () => {
    server.upstream.enqueue({ reasoning: thinking, text: "안녕하세요" });
    const stream = strict.responses.stream({ model: "gpt-4o", input: "안녕" });
    const types: string[] = [];
    const reasoningDeltas: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    stream.on("response.reasoning_text.delta", (event) => reasoningDeltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(reasoningDeltas.join("")).toBe(thinking);
    expect(types.filter((type, index) => type !== types[index - 1]).slice(2, 8)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
    ]);
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(final.output[0]).toMatchObject({ type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: thinking }], status: "completed" });
    expect(final.output_text).toBe("안녕하세요");
    const stored = await client.responses.retrieve(final.id);
    expect(stored.output[0]).toEqual(final.output[0]);
    expect(stored.output.map((item) => item.id)).toEqual(final.output.map((item) => item.id));
  });

  it("shows the reasoning among the conversation's items, before the answer", async () => {
    const conversation = await client.conversations.create({});
    server.upstream.enqueue({ reasoning: thinking, text: "안녕하세요" });
    const response = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "안녕" });
    const items = await client.conversations.items.list(conversation.id, { order: "asc" });
    expect(items.data.map((item) => item.type)).toEqual(["message", "reasoning", "message"]);
    expect(items.data[1]).toEqual(response.output[0]);
    expect(await client.conversations.items.retrieve(response.output[0]?.id ?? "", { conversation_id: conversation.id })).toEqual(response.output[0]);

    server.upstream.enqueue({ text: "Again." });
    await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "Once more" });
    expect(JSON.stringify(messagesOf(lastChat()))).not.toContain(thinking);
  });

  it("never sends reasoning back to the model, whether chained or sent back as input", async () => {
    server.upstream.enqueue({ reasoning: thinking, text: "안녕하세요" });
    const first = await client.responses.create({ model: "gpt-4o", input: "안녕" });
    expect(first.output[0]?.type).toBe("reasoning");

    server.upstream.enqueue({ text: "Chained." });
    await client.responses.create({ model: "gpt-4o", previous_response_id: first.id, input: "And in English?" });
    expect(JSON.stringify(messagesOf(lastChat()))).not.toContain(thinking);
    expect(messagesOf(lastChat()).map((message) => message.role)).toEqual(["user", "assistant", "user"]);

    // A client that keeps the history itself sends the output items back, reasoning included.
    server.upstream.enqueue({ text: "From the items." });
    const history = [{ role: "user" as const, content: "안녕" }, ...first.output, { role: "user" as const, content: "And in English?" }];
    const manual = await client.responses.create({ model: "gpt-4o", input: history as OpenAI.Responses.ResponseInput });
    expect(manual.output_text).toBe("From the items.");
    expect(JSON.stringify(messagesOf(lastChat()))).not.toContain(thinking);
    const items = await client.responses.inputItems.list(manual.id);
    expect(items.data.map((item) => item.type)).toContain("reasoning");
  });

  it("shows Assistants clients the answer and no reasoning, which their API has no place for", async () => {
    // Not recorded: the recorder checks Responses answers only.
    const client = server.spool.client();
    server.upstream.enqueue({ reasoning: thinking, text: "안녕하세요" });
    const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
    const stream = client.beta.threads.createAndRunStream({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: "안녕" }] } });
    const events: string[] = [];
    stream.on("event", (event) => events.push(JSON.stringify(event)));
    const run = await stream.finalRun();
    expect(run.status).toBe("completed");
    expect(events.join("\n")).not.toContain(thinking);
    const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: run.thread_id });
    expect(steps.data.map((step) => Object.keys(step))).not.toContainEqual(expect.arrayContaining(["reasoning"]));
    const messages = await client.beta.threads.messages.list(run.thread_id);
    expect(messages.data[0]?.content[0]).toMatchObject({ type: "text", text: { value: "안녕하세요" } });
  });
});

describe("response answers against OpenAI's spec", () => {
  it("match the spec's schemas, streamed events included", async () => {
    const { problems, covered, streamed } = await recorder.problems(loadConformance(), responseEventSchema);
    expect(problems).toEqual([]);
    expect([...covered].filter((name) => name.includes("/responses")).sort()).toEqual([
      "DELETE /responses/{response_id}",
      "GET /responses/{response_id}",
      "GET /responses/{response_id}/input_items",
      "POST /responses",
      "POST /responses/input_tokens",
      "POST /responses/{response_id}/cancel",
    ]);
    expect([...streamed]).toEqual(expect.arrayContaining(["response.created", "response.queued", "response.function_call_arguments.done", "response.failed", "response.reasoning_text.delta", "response.reasoning_text.done"]));
  });
});
