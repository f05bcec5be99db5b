import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError } from "@ai-sdk/provider";
import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { cosineSimilarity, hashEmbedding, splitTextIntoChunks, startScriptedUpstream } from "./scripted-upstream.js";
import type { ScriptedUpstream } from "./scripted-upstream.js";

const userPrompt = (text: string): LanguageModelV3Prompt => [{ role: "user", content: [{ type: "text", text }] }];

const weatherTool: LanguageModelV3FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const timeTool: LanguageModelV3FunctionTool = {
  type: "function",
  name: "get_time",
  inputSchema: { type: "object", properties: { zone: { type: "string" } } },
};

async function readAllParts(stream: ReadableStream<LanguageModelV3StreamPart>): Promise<LanguageModelV3StreamPart[]> {
  const reader = stream.getReader();
  const parts: LanguageModelV3StreamPart[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}

function partsOfType<TYPE extends LanguageModelV3StreamPart["type"]>(
  parts: LanguageModelV3StreamPart[],
  type: TYPE,
): Extract<LanguageModelV3StreamPart, { type: TYPE }>[] {
  return parts.filter((part): part is Extract<LanguageModelV3StreamPart, { type: TYPE }> => part.type === type);
}

/** The rejection reason, or undefined when the promise fulfils (doStream returns a PromiseLike without .catch). */
async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("scripted upstream", () => {
  let upstream: ScriptedUpstream;
  const provider = (): ReturnType<typeof createOpenAICompatible> =>
    createOpenAICompatible({ name: "upstream", baseURL: upstream.url, apiKey: "test-key", includeUsage: true });
  const streamChat = async (prompt: LanguageModelV3Prompt, tools?: LanguageModelV3FunctionTool[]): Promise<LanguageModelV3StreamPart[]> => {
    const { stream } = await provider().chatModel("gpt-4o").doStream({ prompt, tools });
    return readAllParts(stream);
  };

  beforeEach(async () => {
    upstream = await startScriptedUpstream();
  });
  afterEach(async () => {
    await upstream.close();
  });

  it("streams scripted text in several deltas that join to the text, with usage and finish reason", async () => {
    const text = "Hello there, this is a scripted answer.";
    upstream.enqueue({ text, usage: { promptTokens: 11, completionTokens: 7 } });

    const parts = await streamChat(userPrompt("hi"));

    expect(parts.map((part) => part.type)).toEqual([
      "stream-start",
      "response-metadata",
      "text-start",
      ...partsOfType(parts, "text-delta").map(() => "text-delta"),
      "text-end",
      "finish",
    ]);
    const deltas = partsOfType(parts, "text-delta").map((part) => part.delta);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(text);
    expect(partsOfType(parts, "response-metadata")[0]).toMatchObject({ modelId: "gpt-4o" });
    const [finish] = partsOfType(parts, "finish");
    expect(finish?.finishReason).toEqual({ unified: "stop", raw: "stop" });
    expect(finish?.usage.inputTokens.total).toBe(11);
    expect(finish?.usage.outputTokens.total).toBe(7);

    const [request] = upstream.chatRequests();
    expect(request?.body).toMatchObject({
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(request?.headers.authorization).toBe("Bearer test-key");
    expect(upstream.pendingTurns()).toBe(0);
  });

  it("keeps Korean and other multi-byte text intact across chunks", async () => {
    const text = "안녕하세요! 스풀 서버입니다. 오늘도 좋은 하루 되세요 👩‍💻";
    upstream.enqueue({ text });
    const parts = await streamChat(userPrompt("인사해 줘"));
    const deltas = partsOfType(parts, "text-delta").map((part) => part.delta);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(text);
    expect(deltas.every((delta) => !delta.includes("\uFFFD"))).toBe(true);
    expect(splitTextIntoChunks(text).join("")).toBe(text);
  });

  it("sends an explicit chunk array as given and derives usage when not scripted", async () => {
    upstream.enqueue({ text: ["ab", "cd", "efgh"] });
    const parts = await streamChat(userPrompt("x".repeat(40)));
    expect(partsOfType(parts, "text-delta").map((part) => part.delta)).toEqual(["ab", "cd", "efgh"]);
    const [finish] = partsOfType(parts, "finish");
    expect(finish?.usage.inputTokens.total).toBe(10);
    expect(finish?.usage.outputTokens.total).toBe(2);
  });

  it("streams a tool call as tool-input parts and a final tool-call part", async () => {
    upstream.enqueue({ toolCalls: [{ id: "call_weather_1", name: "get_weather", arguments: { city: "서울", days: 3 } }] });

    const parts = await streamChat(userPrompt("weather?"), [weatherTool]);

    const [start] = partsOfType(parts, "tool-input-start");
    expect(start).toMatchObject({ id: "call_weather_1", toolName: "get_weather" });
    expect(partsOfType(parts, "tool-input-delta").length).toBeGreaterThan(1);
    expect(partsOfType(parts, "tool-input-delta").map((part) => part.delta).join("")).toBe('{"city":"서울","days":3}');
    expect(partsOfType(parts, "tool-input-end")).toHaveLength(1);
    expect(partsOfType(parts, "tool-call")).toEqual([
      { type: "tool-call", toolCallId: "call_weather_1", toolName: "get_weather", input: '{"city":"서울","days":3}' },
    ]);
    expect(partsOfType(parts, "finish")[0]?.finishReason).toEqual({ unified: "tool-calls", raw: "tool_calls" });
    expect(partsOfType(parts, "text-delta")).toHaveLength(0);
    expect(upstream.chatRequests()[0]?.body.tools).toEqual([
      expect.objectContaining({ type: "function", function: expect.objectContaining({ name: "get_weather" }) }),
    ]);
  });

  it("streams text followed by two parallel tool calls, generating ids when none are scripted", async () => {
    upstream.enqueue({
      text: "Let me check.",
      toolCalls: [
        { name: "get_weather", arguments: '{"city":"Paris"}' },
        { name: "get_time", arguments: { zone: "Europe/Paris" } },
      ],
    });

    const parts = await streamChat(userPrompt("weather and time?"), [weatherTool, timeTool]);

    expect(partsOfType(parts, "text-delta").map((part) => part.delta).join("")).toBe("Let me check.");
    const toolCalls = partsOfType(parts, "tool-call");
    expect(toolCalls.map((call) => [call.toolName, call.input])).toEqual([
      ["get_weather", '{"city":"Paris"}'],
      ["get_time", '{"zone":"Europe/Paris"}'],
    ]);
    expect(toolCalls[0]?.toolCallId).toMatch(/^call_/);
    expect(toolCalls[0]?.toolCallId).not.toBe(toolCalls[1]?.toolCallId);
    // The text block closes only at the end of the stream, after the tool calls.
    expect(parts.findIndex((part) => part.type === "text-end")).toBeGreaterThan(parts.findIndex((part) => part.type === "tool-input-start"));
  });

  it("maps scripted finish reasons", async () => {
    upstream.enqueue({ text: "truncat", finishReason: "length" }, { text: "", finishReason: "content_filter" });
    const length = partsOfType(await streamChat(userPrompt("a")), "finish")[0];
    const filtered = partsOfType(await streamChat(userPrompt("b")), "finish")[0];
    expect(length?.finishReason).toEqual({ unified: "length", raw: "length" });
    expect(filtered?.finishReason).toEqual({ unified: "content-filter", raw: "content_filter" });
  });

  it("surfaces a scripted 500 as an APICallError", async () => {
    upstream.enqueue({ error: { status: 500, message: "Upstream exploded" } });
    const failure = await rejectionOf(provider().chatModel("gpt-4o").doStream({ prompt: userPrompt("hi") }));
    expect(APICallError.isInstance(failure)).toBe(true);
    if (!APICallError.isInstance(failure)) return;
    expect(failure.statusCode).toBe(500);
    expect(failure.isRetryable).toBe(true);
    expect(failure.message).toBe("Upstream exploded");
    expect(failure.data).toEqual({ error: { message: "Upstream exploded", type: "server_error", param: null, code: null } });
  });

  it("answers a 429 with fast retry headers", async () => {
    upstream.enqueue({ error: { status: 429, message: "Rate limit" } });
    const failure = await rejectionOf(provider().chatModel("gpt-4o").doStream({ prompt: userPrompt("hi") }));
    expect(APICallError.isInstance(failure)).toBe(true);
    if (!APICallError.isInstance(failure)) return;
    expect(failure.statusCode).toBe(429);
    expect(failure.isRetryable).toBe(true);
    expect(failure.responseHeaders?.["retry-after-ms"]).toBe("1");
  });

  it("returns deterministic, normalized embeddings where similar texts score higher", async () => {
    const values = ["The cat sat on the mat", "the cat sat on a mat!", "Quarterly revenue grew by eleven percent", "고양이가 매트 위에 앉았다"];
    const result = await provider().embeddingModel("text-embedding-3-small").doEmbed({ values });

    expect(result.embeddings).toHaveLength(4);
    for (const embedding of result.embeddings) {
      expect(embedding).toHaveLength(256);
      expect(Math.hypot(...embedding)).toBeCloseTo(1, 6);
    }
    const [cat, similarCat, revenue, koreanCat] = result.embeddings;
    if (!cat || !similarCat || !revenue || !koreanCat) throw new Error("missing embeddings");
    expect(cosineSimilarity(cat, similarCat)).toBeGreaterThan(0.8);
    expect(cosineSimilarity(cat, similarCat)).toBeGreaterThan(cosineSimilarity(cat, revenue) + 0.4);
    expect(cosineSimilarity(koreanCat, hashEmbedding("고양이가 매트에 앉았다", 256))).toBeGreaterThan(cosineSimilarity(koreanCat, cat));
    expect(result.embeddings[0]).toEqual(hashEmbedding("The cat sat on the mat", 256));
    expect(result.usage?.tokens).toBeGreaterThan(0);
    expect(upstream.requests.map((request) => request.path)).toEqual(["/v1/embeddings"]);
    expect(upstream.requests[0]?.body).toMatchObject({ model: "text-embedding-3-small", input: values, encoding_format: "float" });
  });

  it("answers queued turns in order, then falls back to the responder (default: echo)", async () => {
    upstream.enqueue({ text: "first" }, { text: "second" });
    expect(upstream.pendingTurns()).toBe(2);
    const joinedText = async (prompt: string): Promise<string> =>
      partsOfType(await streamChat(userPrompt(prompt)), "text-delta")
        .map((part) => part.delta)
        .join("");

    expect(await joinedText("a")).toBe("first");
    expect(await joinedText("b")).toBe("second");
    expect(upstream.pendingTurns()).toBe(0);
    expect(await joinedText("say it back")).toBe("Echo: say it back");

    upstream.setResponder((request) => ({ text: `custom reply #${upstream.chatRequests().indexOf(request) + 1}` }));
    expect(await joinedText("c")).toBe("custom reply #4");
    upstream.enqueue({ text: "queued wins" });
    expect(await joinedText("d")).toBe("queued wins");

    upstream.reset();
    expect(upstream.requests).toHaveLength(0);
    expect(await joinedText("after reset")).toBe("Echo: after reset");
  });

  it("marks a hanging request as aborted when the client aborts mid-stream", async () => {
    upstream.enqueue({ text: "partial answer", hang: true });
    const abortController = new AbortController();
    const { stream } = await provider()
      .chatModel("gpt-4o")
      .doStream({ prompt: userPrompt("hi"), abortSignal: abortController.signal });
    const reader = stream.getReader();
    const received: string[] = [];
    while (received.join("") !== "partial answer") {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended although the turn hangs");
      if (value.type === "text-delta") received.push(value.delta);
    }
    const [request] = await upstream.waitForChatRequests(1);
    expect(request?.aborted).toBe(false);

    abortController.abort();
    await reader.read().catch(() => undefined);
    await expect.poll(() => request?.aborted).toBe(true);
  });

  it("close() promptly ends hanging responses without marking them client-aborted", async () => {
    upstream.enqueue({ hang: true }, { hang: true, firstTokenDelayMs: 60_000 });
    const hanging = [
      fetch(`${upstream.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", stream: true, messages: [] }),
      }).then((response) => response.text()),
      fetch(`${upstream.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [] }),
      }),
    ].map((promise) => promise.catch((error: unknown) => error));
    const waiting = upstream.waitForChatRequests(3, 60_000).catch((error: unknown) => error);
    await upstream.waitForChatRequests(2);

    // Had close() waited for the responses, the second would answer after 60 s, past the test's timeout.
    await upstream.close();
    await Promise.all(hanging);
    expect(await waiting).toBeInstanceOf(Error);
    expect(upstream.chatRequests().map((request) => request.aborted)).toEqual([false, false]);
  });

  it("waitForChatRequests rejects after its timeout", async () => {
    await expect(upstream.waitForChatRequests(1, 50)).rejects.toThrow(/Timed out after 50 ms/);
  });

  it("serves 200 concurrent streaming requests with latency", async () => {
    const latencyMs = 300;
    const slowUpstream = await startScriptedUpstream({ defaultLatencyMs: latencyMs, chunkDelayMs: 5 });
    // Each answer hangs after its text until its client hangs up, so no request ends before the last one
    // has arrived: once all 200 have, the upstream held them open at once, however slow the machine is.
    slowUpstream.setResponder((request) => ({ text: `Answer to ${/request \d+/.exec(JSON.stringify(request.body))?.[0]}.`, hang: true }));
    try {
      const model = createOpenAICompatible({ name: "upstream", baseURL: slowUpstream.url, includeUsage: true }).chatModel("gpt-4o");
      const startedAt = Date.now();
      const answers = Array.from({ length: 200 }, async (_, index) => {
        const client = new AbortController();
        const { stream } = await model.doStream({ prompt: userPrompt(`request ${index}`), abortSignal: client.signal });
        const reader = stream.getReader();
        let text = "";
        while (!text.endsWith(".")) {
          const { value, done } = await reader.read();
          if (done) throw new Error("stream ended although the turn hangs");
          if (value.type === "text-delta") text += value.delta;
        }
        return { text, hangUp: () => client.abort() };
      });
      await slowUpstream.waitForChatRequests(200, 20_000);
      const texts = await Promise.all(answers.map(async (answer) => (await answer).text));
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(latencyMs);
      expect(new Set(texts).size).toBe(200);
      expect(texts).toContain("Answer to request 199.");
      for (const answer of answers) (await answer).hangUp();
      await expect.poll(() => slowUpstream.chatRequests().filter((request) => request.aborted)).toHaveLength(200);
    } finally {
      await slowUpstream.close();
    }
  });

  it("speaks the non-streaming and base64-embedding dialects the official openai SDK uses", async () => {
    const client = new OpenAI({ baseURL: upstream.url, apiKey: "sk-test", maxRetries: 0 });
    upstream.enqueue(
      { text: "plain answer", usage: { promptTokens: 3, completionTokens: 2 } },
      { toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Oslo" } }] },
    );

    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]?.message.content).toBe("plain answer");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(completion.model).toBe("gpt-4o-mini");

    const toolCompletion = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "weather" }] });
    expect(toolCompletion.choices[0]?.message.tool_calls).toEqual([
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
    ]);
    expect(toolCompletion.choices[0]?.finish_reason).toBe("tool_calls");

    // The SDK asks for base64 by default and decodes it itself.
    const embeddings = await client.embeddings.create({ model: "text-embedding-3-small", input: ["hello", "world"], dimensions: 64 });
    expect(upstream.requests.at(-1)?.body.encoding_format).toBe("base64");
    expect(embeddings.data).toHaveLength(2);
    const [hello] = embeddings.data;
    expect(hello?.embedding).toHaveLength(64);
    hello?.embedding.forEach((value, index) => expect(value).toBeCloseTo(hashEmbedding("hello", 64)[index] ?? Number.NaN, 6));

    const models = await client.models.list();
    expect(models.data.map((entry) => entry.id)).toContain("gpt-4o");
  });

  it("answers unknown paths with a 404 JSON error", async () => {
    const response = await fetch(`${upstream.url}/assistants`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: "Unknown path POST /v1/assistants.", type: "invalid_request_error", param: null, code: null },
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it("streams the raw OpenAI wire format", async () => {
    upstream.enqueue({ text: "ok", usage: { promptTokens: 1, completionTokens: 1 } });
    const response = await fetch(`${upstream.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true, stream_options: { include_usage: true }, messages: [] }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await response.text()).split("\n\n").filter((event) => event !== "");
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, "")) as Record<string, unknown>);
    expect(chunks[0]).toMatchObject({
      object: "chat.completion.chunk",
      model: "m",
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
      usage: null,
    });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
  });
});
