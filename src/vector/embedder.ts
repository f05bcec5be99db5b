import { APICallError, type EmbeddingModelV3 } from "@ai-sdk/provider";

export interface EmbedTextsOptions {
  /** Texts per `doEmbed` call; lowered to the model's `maxEmbeddingsPerCall` when that is smaller. */
  batchSize?: number;
  /** Retries per batch after a retryable API error (429, 5xx, network), with exponential backoff. */
  maxRetries?: number;
  /** Batches in flight at once, used only when the model declares `supportsParallelCalls`. */
  concurrency?: number;
  signal?: AbortSignal;
}

const initialBackoffMs = 500;
const maxBackoffMs = 20_000;

/**
 * Embeds `texts` with an AI SDK embedding model, in batches, returning one vector per text in input
 * order. Non-retryable errors and exhausted retries reject with the provider's error.
 */
export async function embedTexts(
  model: EmbeddingModelV3,
  texts: string[],
  { batchSize = 64, maxRetries = 3, concurrency = 4, signal }: EmbedTextsOptions = {},
): Promise<number[][]> {
  const modelLimit = (await model.maxEmbeddingsPerCall) ?? Infinity;
  const effectiveBatchSize = Math.max(1, Math.min(batchSize, modelLimit));
  const batches: string[][] = [];
  for (let start = 0; start < texts.length; start += effectiveBatchSize) {
    batches.push(texts.slice(start, start + effectiveBatchSize));
  }

  const results: number[][][] = new Array(batches.length);
  let nextBatch = 0;
  const worker = async () => {
    while (nextBatch < batches.length) {
      const batchIndex = nextBatch++;
      results[batchIndex] = await embedBatch(model, batches[batchIndex] ?? [], maxRetries, signal);
    }
  };
  const workers = (await model.supportsParallelCalls) ? Math.max(1, Math.min(concurrency, batches.length)) : 1;
  await Promise.all(Array.from({ length: workers }, worker));
  return results.flat();
}

async function embedBatch(
  model: EmbeddingModelV3,
  values: string[],
  maxRetries: number,
  signal: AbortSignal | undefined,
): Promise<number[][]> {
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const { embeddings } = await model.doEmbed({ values, abortSignal: signal });
      if (embeddings.length !== values.length) {
        throw new Error(`${model.provider}/${model.modelId} returned ${embeddings.length} embeddings for ${values.length} texts`);
      }
      return embeddings;
    } catch (error) {
      if (attempt >= maxRetries || !APICallError.isInstance(error) || !error.isRetryable) throw error;
      await sleep(backoffMs(attempt, error), signal);
    }
  }
}

function backoffMs(attempt: number, error: APICallError): number {
  const retryAfterSeconds = Number(error.responseHeaders?.["retry-after"]);
  if (Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) return Math.min(retryAfterSeconds * 1000, maxBackoffMs);
  // Jitter keeps concurrent ingestions from retrying in lockstep against a rate-limited provider.
  const exponential = initialBackoffMs * 2 ** attempt;
  return Math.min(exponential * (0.5 + Math.random() / 2), maxBackoffMs);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The dimension of the model's embeddings, found by embedding one short text. */
export async function embeddingDimensions(model: EmbeddingModelV3): Promise<number> {
  const dimensions = (await embedTexts(model, ["dimension probe"]))[0]?.length;
  if (!dimensions) throw new Error("The embedding model returned an empty embedding.");
  return dimensions;
}
