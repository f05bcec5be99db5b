import { toFile } from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConformance, type Conformance } from "../../src/testing/openapi-conformance.js";
import type { RecordedRequest, ScriptedTurn } from "../../src/testing/scripted-upstream.js";
import { responseEventSchema, sseEvents } from "../../src/testing/spec-recorder.js";
import { useTestServer } from "../../src/testing/test-server.js";

/**
 * The Open Responses compliance checks (`openresponses/openresponses`, `bin/compliance-test.ts` and
 * `src/lib/compliance-tests.ts`), ported: the same requests, sent as that tool sends them (plain HTTP, not an
 * SDK), and the same verdicts. Beyond the tool's own checks, every response and every streamed event is
 * validated against OpenAI's published schemas, and the scripted model checks what the server told it.
 */
const server = useTestServer();
let conformance: Conformance;
const model = "gpt-4o-mini";

const weatherTool = {
  type: "function",
  name: "get_weather",
  description: "Get the current weather for a location",
  parameters: {
    type: "object",
    properties: { location: { type: "string", description: "The city and state, e.g. San Francisco, CA" } },
    required: ["location"],
  },
};

// The compliance suite's image: a red heart icon on a white background, 32 × 32 PNG.
const heartPng =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAABmklEQVR42tyWAaTyUBzFew/eG4AHz+MBSAHKBiJRGFKwIgQQJKLUIioBIhCAiCAAEizAQIAECaASqFFJq84nudjnaqvuPnxzgP9xfrq5938csPn7PwHTKSoViCIEAYEAMhmoKsU2mUCWEQqB5xEMIp/HaGQG2G6RSuH9HQ7H34rFrtPbdz4jl6PbwmEsl3QA1mt4vcRKk8dz9eg6IpF7tt9fzGY0gCgafFRFo5Blc5vLhf3eCOj1yNhM5GRMVK0aATxPZoz09YXjkQDmczJgquGQAPp9WwCNBgG027YACgUC6HRsAZRKBDAY2AJoNv/ZnwzA6WScznG3p4UAymXGAEkyXrTFAh8fLAGqagQAyGaZpYsi7bHTNPz8MEj//LxuFPo+UBS8vb0KaLXubrRa7aX0RMLCykwmn0z3+XA4WACcTpCkh9MFAZpmuVXo+mO/w+/HZvNgbblcUCxaSo/Hyck80Yu6XXDcvfVZr79cvMZjuN2U9O9vKAqjZrfbIZ0mV4TUi9Xqz6jddNy//7+e3n8Fhf/Llo2kxi8AQyGRoDkmAhAAAAAASUVORK5CYII=";

interface Outcome {
  status: number;
  response: Record<string, unknown> & { status?: string; output?: { type: string; [key: string]: unknown }[] };
  events: { event: string; data: Record<string, unknown> }[];
  /** What the scripted model was sent for this request. */
  upstream: RecordedRequest[];
}

/** Sends `body` as the compliance tool does and validates what comes back against the spec. */
async function send(body: Record<string, unknown>, options: { streaming?: boolean } = {}): Promise<Outcome> {
  const before = server.upstream.chatRequests().length;
  const response = await fetch(`${server.spool.url}/v1/responses`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer sk-compliance" },
    body: JSON.stringify({ ...body, stream: options.streaming === true }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  let events: Outcome["events"] = [];
  let final: unknown;
  if (options.streaming) {
    events = sseEvents(text).map(({ event, data }) => ({ event, data: data as Record<string, unknown> }));
    for (const { event, data } of events) expect(conformance.violations(responseEventSchema(event), data), event).toEqual([]);
    final = events.findLast((entry) => entry.event === "response.completed")?.data.response;
  } else {
    final = JSON.parse(text);
  }
  expect(conformance.violations("Response", final)).toEqual([]);
  return { status: response.status, response: final as Outcome["response"], events, upstream: server.upstream.chatRequests().slice(before) };
}

const outputTypes = (outcome: Outcome) => (outcome.response.output ?? []).map((item) => item.type);
const eventTypes = (outcome: Outcome) => outcome.events.map((entry) => String(entry.data.type));
/** The messages the model received, as role and plain text. */
const modelMessages = (request: RecordedRequest | undefined) =>
  ((request?.body.messages ?? []) as { role: string; content: unknown }[]).map(({ role, content }) => ({
    role,
    text: typeof content === "string" ? content : (content as { type: string; text?: string }[]).map((part) => part.text ?? `[${part.type}]`).join(""),
  }));

function script(...turns: ScriptedTurn[]) {
  server.upstream.reset();
  server.upstream.enqueue(...turns);
}

beforeAll(() => {
  conformance = loadConformance();
});

describe("Open Responses compliance", () => {
  it("basic-response: a simple user message gives a completed response with output", async () => {
    script({ text: "Hello there, friend." });
    const outcome = await send({ model, input: [{ type: "message", role: "user", content: "Say hello in exactly 3 words." }] });
    expect(outcome.response.status).toBe("completed");
    expect(outputTypes(outcome)).toEqual(["message"]);
    expect(outcome.response.output_text ?? (outcome.response.output?.[0]?.content as { text: string }[])[0]?.text).toBe("Hello there, friend.");
  });

  it("streaming-response: SSE events, each within the spec, ending in a completed response", async () => {
    script({ text: "1, 2, 3, 4, 5." });
    const outcome = await send({ model, input: [{ type: "message", role: "user", content: "Count from 1 to 5." }] }, { streaming: true });
    expect(outcome.events.length).toBeGreaterThan(0);
    expect(eventTypes(outcome)[0]).toBe("response.created");
    expect(eventTypes(outcome)).toContain("response.output_text.delta");
    expect(eventTypes(outcome).at(-1)).toBe("response.completed");
    const numbers = outcome.events.map((entry) => Number(entry.data.sequence_number));
    expect(numbers).toEqual(numbers.map((_, index) => numbers[0]! + index));
    expect(outcome.response.status).toBe("completed");
  });

  it("system-prompt: a system message in the input reaches the model as the system prompt", async () => {
    script({ text: "Ahoy, matey!" });
    const outcome = await send({
      model,
      input: [
        { type: "message", role: "system", content: "You are a pirate. Always respond in pirate speak." },
        { type: "message", role: "user", content: "Say hello." },
      ],
    });
    expect(outcome.response.status).toBe("completed");
    expect(outputTypes(outcome)).toEqual(["message"]);
    const sent = modelMessages(outcome.upstream[0]);
    expect(sent.find((message) => message.role === "system")?.text).toContain("You are a pirate. Always respond in pirate speak.");
    expect(sent.at(-1)).toEqual({ role: "user", text: "Say hello." });
  });

  it("tool-calling: a function tool the model calls comes back as a function_call output item", async () => {
    script({ toolCalls: [{ name: "get_weather", arguments: { location: "San Francisco, CA" } }] });
    const outcome = await send({ model, input: [{ type: "message", role: "user", content: "What's the weather like in San Francisco?" }], tools: [weatherTool] });
    expect(outputTypes(outcome)).toContain("function_call");
    expect(outcome.response.output?.find((item) => item.type === "function_call")).toMatchObject({
      name: "get_weather",
      arguments: JSON.stringify({ location: "San Francisco, CA" }),
      status: "completed",
    });
    expect((outcome.upstream[0]?.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(["get_weather"]);
  });

  it("tool-calling-streaming: function_call item and argument delta/done events", async () => {
    script({ toolCalls: [{ name: "get_weather", arguments: { location: "San Francisco, CA" } }] });
    const outcome = await send(
      { model, input: [{ type: "message", role: "user", content: "What's the weather like in San Francisco?" }], tools: [weatherTool] },
      { streaming: true },
    );
    const itemEvent = (type: string) => outcome.events.some((entry) => entry.data.type === type && (entry.data.item as { type?: string })?.type === "function_call");
    expect(itemEvent("response.output_item.added")).toBe(true);
    expect(eventTypes(outcome)).toContain("response.function_call_arguments.delta");
    expect(eventTypes(outcome)).toContain("response.function_call_arguments.done");
    expect(itemEvent("response.output_item.done")).toBe(true);
    const deltas = outcome.events.filter((entry) => entry.data.type === "response.function_call_arguments.delta").map((entry) => String(entry.data.delta));
    expect(deltas.join("")).toBe(JSON.stringify({ location: "San Francisco, CA" }));
  });

  it("image-input: an input_image data URL reaches the model beside the text", async () => {
    script({ text: "A red heart on a white background." });
    const outcome = await send({
      model,
      input: [
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "What do you see in this image? Answer in one sentence." },
            { type: "input_image", image_url: heartPng },
          ],
        },
      ],
    });
    expect(outcome.response.status).toBe("completed");
    const parts = (outcome.upstream[0]?.body.messages as { role: string; content: unknown }[]).at(-1)?.content as { type: string; image_url?: { url: string } }[];
    expect(parts.map((part) => part.type)).toEqual(["text", "image_url"]);
    expect(parts[1]?.image_url?.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it("multi-turn: assistant and user messages in the input are the conversation the model sees", async () => {
    script({ text: "Your name is Alice." });
    const outcome = await send({
      model,
      input: [
        { type: "message", role: "user", content: "My name is Alice." },
        { type: "message", role: "assistant", content: "Hello Alice! Nice to meet you. How can I help you today?" },
        { type: "message", role: "user", content: "What is my name?" },
      ],
    });
    expect(outcome.response.status).toBe("completed");
    expect(modelMessages(outcome.upstream[0]).filter((message) => message.role !== "system")).toEqual([
      { role: "user", text: "My name is Alice." },
      { role: "assistant", text: "Hello Alice! Nice to meet you. How can I help you today?" },
      { role: "user", text: "What is my name?" },
    ]);
  });

  it("file_search: a search of an existing vector store gives a file_search_call and a cited answer", async () => {
    const client = server.spool.client();
    const vectorStore = await client.vectorStores.create({ name: "Compliance" });
    await client.vectorStores.files.uploadAndPoll(vectorStore.id, await toFile(Buffer.from("The Open Responses compliance suite checks eight behaviours."), "suite.txt"), {
      pollIntervalMs: 50,
    });
    server.upstream.reset();
    server.upstream.enqueue({ toolCalls: [{ name: "file_search", arguments: { query: "how many behaviours" } }] });
    server.upstream.setResponder((request) => {
      const messages = request.body.messages as { role: string; content: unknown }[];
      const result = String(messages.filter((message) => message.role === "tool").at(-1)?.content ?? "");
      return { text: `Eight behaviours${result.match(/【\d+:\d+†[^】]*】/)?.[0] ?? ""}.` };
    });
    const outcome = await send({
      model,
      input: [{ type: "message", role: "user", content: "How many behaviours does the suite check?" }],
      tools: [{ type: "file_search", vector_store_ids: [vectorStore.id] }],
    });
    expect(outcome.response.status).toBe("completed");
    expect(outputTypes(outcome)).toEqual(["file_search_call", "message"]);
    const message = outcome.response.output?.find((item) => item.type === "message") as unknown as { content: { annotations: { type: string; filename?: string }[] }[] };
    expect(message.content[0]?.annotations).toEqual([expect.objectContaining({ type: "file_citation", filename: "suite.txt" })]);
  });
});
