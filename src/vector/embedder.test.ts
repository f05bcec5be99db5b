import { APICallError, type EmbeddingModelV3 } from "@ai-sdk/provider";
import { describe, expect, it, vi } from "vitest";
import { embedTexts } from "./embedder.js";

function fakeModel(
  options: { maxEmbeddingsPerCall?: number; failures?: unknown[]; supportsParallelCalls?: boolean } = {},
): EmbeddingModelV3 & { calls: string[][] } {
  const failures = [...(options.failures ?? [])];
  const calls: string[][] = [];
  return {
    calls,
    specificationVersion: "v3",
    provider: "fake",
    modelId: "fake-embedding",
    maxEmbeddingsPerCall: options.maxEmbeddingsPerCall,
    supportsParallelCalls: options.supportsParallelCalls ?? false,
    async doEmbed({ values }) {
      calls.push(values);
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return { embeddings: values.map((value) => [value.length, 1]), warnings: [] };
    },
  };
}

const apiError = (isRetryable: boolean, headers?: Record<string, string>) =>
  new APICallError({
    message: isRetryable ? "rate limited" : "bad request",
    url: "https://example.test/embeddings",
    requestBodyValues: {},
    statusCode: isRetryable ? 429 : 400,
    isRetryable,
    responseHeaders: headers,
  });

const texts = Array.from({ length: 10 }, (_, n) => "x".repeat(n + 1));

describe("embedTexts", () => {
  it("returns one vector per text in input order, batching by batchSize", async () => {
    const model = fakeModel();
    const vectors = await embedTexts(model, texts, { batchSize: 4 });
    expect(vectors.map((vector) => vector[0])).toEqual(texts.map((text) => text.length));
    expect(model.calls.map((call) => call.length)).toEqual([4, 4, 2]);
  });

  it("keeps order when batches run in parallel", async () => {
    const model = fakeModel({ supportsParallelCalls: true });
    const vectors = await embedTexts(model, texts, { batchSize: 3, concurrency: 3 });
    expect(vectors.map((vector) => vector[0])).toEqual(texts.map((text) => text.length));
  });

  it("respects the model's maxEmbeddingsPerCall", async () => {
    const model = fakeModel({ maxEmbeddingsPerCall: 3 });
    await embedTexts(model, texts, { batchSize: 64 });
    expect(model.calls.map((call) => call.length)).toEqual([3, 3, 3, 1]);
  });

  it("makes no call for no texts", async () => {
    const model = fakeModel();
    expect(await embedTexts(model, [])).toEqual([]);
    expect(model.calls).toEqual([]);
  });

  it("retries retryable API errors, honouring retry-after", async () => {
    const model = fakeModel({ failures: [apiError(true, { "retry-after": "0" }), apiError(true, { "retry-after": "0" })] });
    const vectors = await embedTexts(model, ["a", "bb"], { maxRetries: 2 });
    expect(vectors).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(model.calls).toHaveLength(3);
  });

  it("gives up after maxRetries", async () => {
    const failure = apiError(true, { "retry-after": "0" });
    const model = fakeModel({ failures: [failure, failure, failure] });
    await expect(embedTexts(model, ["a"], { maxRetries: 2 })).rejects.toBe(failure);
    expect(model.calls).toHaveLength(3);
  });

  it("does not retry non-retryable errors", async () => {
    const model = fakeModel({ failures: [apiError(false)] });
    await expect(embedTexts(model, ["a"])).rejects.toBeInstanceOf(APICallError);
    const plain = fakeModel({ failures: [new TypeError("boom")] });
    await expect(embedTexts(plain, ["a"])).rejects.toBeInstanceOf(TypeError);
    expect(plain.calls).toHaveLength(1);
  });

  it("stops waiting for a retry when aborted", async () => {
    // With fake timers the 10 s retry wait never ends by itself: only the abort can settle embedTexts.
    vi.useFakeTimers();
    try {
      const model = fakeModel({ failures: [apiError(true, { "retry-after": "10" })] });
      const controller = new AbortController();
      const pending = expect(embedTexts(model, ["a"], { signal: controller.signal })).rejects.toThrow("cancelled");
      await expect.poll(() => vi.getTimerCount()).toBe(1);
      controller.abort(new Error("cancelled"));
      await pending;
      expect(model.calls).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects a response with the wrong number of embeddings", async () => {
    const model: EmbeddingModelV3 = {
      ...fakeModel(),
      async doEmbed() {
        return { embeddings: [[1]], warnings: [] };
      },
    };
    await expect(embedTexts(model, ["a", "b"])).rejects.toThrow(/returned 1 embeddings for 2 texts/);
  });
});
