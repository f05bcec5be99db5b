import { APICallError, type LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../testing/scripted-upstream.js";
import type { ModelProvider } from "./model-provider.js";

async function collect(stream: ReadableStream<LanguageModelV3StreamPart>): Promise<LanguageModelV3StreamPart[]> {
  const parts: LanguageModelV3StreamPart[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return parts;
}

const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }];

/**
 * What the run engine relies on from a model provider, checked against a real OpenAI-compatible HTTP
 * upstream: streamed text, streamed tool calls (never executed), usage, typed errors, the model map.
 */
export function defineModelProviderContract(
  name: string,
  create: (upstreamUrl: string, modelMap: Record<string, string>) => ModelProvider,
): void {
  describe(`${name}: model provider contract`, () => {
    let upstream: ScriptedUpstream;
    let provider: ModelProvider;
    beforeAll(async () => {
      upstream = await startScriptedUpstream();
      provider = create(upstream.url, { "gpt-4-turbo-preview": "local-llama" });
    });
    afterAll(async () => upstream?.close());

    it("streams text and reports usage", async () => {
      upstream.enqueue({ text: ["안녕", "하세요"], usage: { promptTokens: 7, completionTokens: 2 } });
      const { stream } = await provider.languageModel("gpt-4o").doStream({ prompt });
      const parts = await collect(stream);
      const text = parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("");
      expect(text).toBe("안녕하세요");
      const finish = parts.find((part) => part.type === "finish");
      expect(finish).toMatchObject({ finishReason: { unified: "stop" }, usage: { inputTokens: { total: 7 }, outputTokens: { total: 2 } } });
    });

    it("streams tool calls without running them", async () => {
      upstream.enqueue({ toolCalls: [{ name: "lookup", arguments: { q: "x" } }, { name: "lookup", arguments: { q: "y" } }] });
      const { stream } = await provider.languageModel("gpt-4o").doStream({
        prompt,
        tools: [{ type: "function", name: "lookup", inputSchema: { type: "object", properties: { q: { type: "string" } } } }],
      });
      const calls = (await collect(stream)).filter((part) => part.type === "tool-call");
      expect(calls.map((call) => (call.type === "tool-call" ? JSON.parse(call.input).q : null))).toEqual(["x", "y"]);
    });

    it("raises upstream HTTP errors as retryable-or-not APICallErrors", async () => {
      upstream.enqueue({ error: { status: 429, message: "slow down" } });
      const failure = await Promise.resolve(provider.languageModel("gpt-4o").doStream({ prompt })).catch((error: unknown) => error);
      expect(APICallError.isInstance(failure) && failure.statusCode === 429 && failure.isRetryable).toBe(true);
    });

    it("routes mapped model names and passes others through", async () => {
      upstream.enqueue({ text: "a" }, { text: "b" });
      await collect((await provider.languageModel("gpt-4-turbo-preview").doStream({ prompt })).stream);
      await collect((await provider.languageModel("qwen2.5").doStream({ prompt })).stream);
      expect(upstream.chatRequests().slice(-2).map((request) => request.body.model)).toEqual(["local-llama", "qwen2.5"]);
    });

    it("embeds texts", async () => {
      const { embeddings } = await provider.embeddingModel().doEmbed({ values: ["서울", "Seoul"] });
      expect(embeddings).toHaveLength(2);
      expect(embeddings[0]?.length).toBeGreaterThan(0);
    });
  });
}
