import OpenAIv7 from "openai-v7";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

/**
 * openai-node 7.x (the newest line; it needs Node 22 officially but runs here) validates assistant streams
 * strictly: messages and run steps must be serialized, ids must match, a terminal run event must come.
 * These flows must pass its checks, not only the more lenient 6.x.
 */
const server = useTestServer();
let client: OpenAIv7;
let assistantId: string;

beforeAll(async () => {
  client = new OpenAIv7({ baseURL: `${server.spool.url}/v1`, apiKey: "test-key", maxRetries: 0 });
  assistantId = (
    await client.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }],
    })
  ).id;
});

describe("openai 7.x strict AssistantStream", () => {
  it("accepts a streamed answer", async () => {
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    server.upstream.enqueue({ text: ["안녕", "하세요"] });
    const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    const deltas: string[] = [];
    stream.on("textDelta", (delta) => deltas.push(delta.value ?? ""));
    expect((await stream.finalRun()).status).toBe("completed");
    expect(deltas.join("")).toBe("안녕하세요");
  });

  it("accepts text then a function call in one turn, and the resumed stream after the outputs", async () => {
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "look it up" }] });
    server.upstream.enqueue({ text: "Looking.", toolCalls: [{ name: "lookup", arguments: { q: "x" } }] }, { text: "Found it." });
    const first = client.beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    const waiting = await first.finalRun();
    expect(waiting.status).toBe("requires_action");
    const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
    const second = client.beta.threads.runs.submitToolOutputsStream(waiting.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: call.id, output: "result" }],
    });
    expect((await second.finalRun()).status).toBe("completed");
    const [message] = await second.finalMessages();
    expect(message?.content[0]).toMatchObject({ type: "text", text: { value: "Found it." } });
  });

  it("accepts code interpreter step deltas and an image in the following message", async () => {
    const assistant = await client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "plot it" }] });
    const code = "import matplotlib.pyplot as plt\nprint(6 * 7)\nplt.plot([1, 2, 3])\nplt.show()";
    server.upstream.enqueue({ toolCalls: [{ name: "code_interpreter", arguments: { code } }] }, { text: "Here is the chart." });
    const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    let input = "";
    const images: string[] = [];
    stream.on("toolCallDelta", (delta) => {
      if (delta.type === "code_interpreter") input += delta.code_interpreter?.input ?? "";
    });
    stream.on("imageFileDone", (image) => images.push(image.file_id));
    expect((await stream.finalRun()).status).toBe("completed");
    expect(input).toBe(code);
    expect(images).toHaveLength(1);
    const [message] = await stream.finalMessages();
    expect(message?.content.map((part) => part.type)).toEqual(["image_file", "text"]);
  });
});

