/**
 * A scripted, OpenAI-compatible LLM upstream for tests and benchmarks.
 *
 * It is a real HTTP server on 127.0.0.1, so the server under test talks to it
 * through its normal provider stack (`@ai-sdk/openai-compatible`, fetch,
 * keep-alive, SSE parsing, abort signals) exactly as it would to OpenAI, vLLM
 * or Ollama. Tests decide what the "model" answers by queueing turns.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { hashEmbedding } from "./scripted-upstream/hash-embedding.js";

export { cosineSimilarity, hashEmbedding } from "./scripted-upstream/hash-embedding.js";

/** One function call the scripted model makes. */
export interface ScriptedToolCall {
  /** Function name, as the client declared it in `tools[].function.name`. */
  name: string;
  /** Arguments JSON; an object is serialized with `JSON.stringify`. A string is sent verbatim (so it may be deliberately invalid JSON). */
  arguments: string | Record<string, unknown>;
  /** Wire id of the call; defaults to a fresh `call_…` id. */
  id?: string;
}

/** What the scripted model answers to one chat completion request. */
export interface ScriptedTurn {
  /** Text to stream; a string is split into small chunks (a few characters or words each, never splitting a grapheme), an array is sent chunk by chunk as given. */
  text?: string | string[];
  /**
   * Reasoning to stream before the text, as `reasoning_content` deltas (as DeepSeek, vLLM and llama.cpp send a
   * reasoning model's thinking); split into chunks like `text`.
   */
  reasoning?: string;
  /** Function calls, streamed after the text as `tool_calls` deltas: a first delta with id + name, then argument fragments. */
  toolCalls?: ScriptedToolCall[];
  /** Defaults to `tool_calls` when `toolCalls` is non-empty, otherwise `stop`. */
  finishReason?: "stop" | "length" | "tool_calls" | "content_filter";
  /** Reported token usage; defaults to an estimate of about 4 characters per token (minimum 1). */
  usage?: { promptTokens: number; completionTokens: number };
  /**
   * Answer with an HTTP error instead, e.g. `{ status: 429, message: 'Rate limit' }`.
   * `type` and `code` default from the status. 429 responses carry `retry-after-ms`
   * (default 1) so client retries are fast; `retryAfterMs` overrides it for any status.
   */
  error?: { status: number; message: string; type?: string; code?: string; retryAfterMs?: number };
  /** Milliseconds before the first byte (the response headers); overrides the server's `defaultLatencyMs`. */
  firstTokenDelayMs?: number;
  /** Milliseconds between streamed chunks; overrides the server's `chunkDelayMs`. */
  chunkDelayMs?: number;
  /**
   * Send the headers and any scripted text/tool-call chunks, then keep the
   * connection open without finishing (for cancellation tests). The response
   * ends only when the client aborts or the upstream is closed.
   */
  hang?: boolean;
}

/** A request the upstream received. */
export interface RecordedRequest {
  /** URL path without query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Parsed JSON body. */
  body: Record<string, unknown>;
  /** Lowercased request headers; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
  /** True when the client disconnected before the response was complete (not set when `close()` cut it). */
  aborted: boolean;
}

/** Decides the turn for a chat request when the queue is empty. */
export type Responder = (request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>;

/** Handle to a running scripted upstream. */
export interface ScriptedUpstream {
  /** Base URL to give the provider, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  /** Queue turns answered, in order, by the next chat requests (in order of arrival). */
  enqueue(...turns: ScriptedTurn[]): void;
  /** Used when the queue is empty (default: echoes the last user message text as `Echo: <text>`). */
  setResponder(responder: Responder): void;
  /** Chat completion and embeddings requests, in arrival order (live array). */
  readonly requests: RecordedRequest[];
  /** The chat completion requests among `requests`, in arrival order. */
  chatRequests(): RecordedRequest[];
  /**
   * Resolves with all chat requests so far once at least `n` have arrived
   * (default timeout 5000 ms, then rejects). For tests that must wait until the
   * server under test has actually called upstream.
   */
  waitForChatRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Number of queued turns not yet consumed; a test should assert 0 at the end. */
  pendingTurns(): number;
  /** Clears the queue and the recorded requests and restores the default echo responder. In-flight responses continue. */
  reset(): void;
  /** Ends every open (including hanging) response, closes all connections and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Options for {@link startScriptedUpstream}. */
export interface ScriptedUpstreamOptions {
  /** First-token delay (ms) applied to every turn that does not set its own `firstTokenDelayMs`. Default 0. */
  defaultLatencyMs?: number;
  /** Delay (ms) between streamed chunks for turns that do not set their own `chunkDelayMs`. Default 0. */
  chunkDelayMs?: number;
  /** Length of embedding vectors unless the request asks for `dimensions`. Default 256. */
  embeddingDimensions?: number;
}

const CHAT_PATH = "/v1/chat/completions";
const EMBEDDINGS_PATH = "/v1/embeddings";
const MODELS_PATH = "/v1/models";
/** Model ids listed by `GET /v1/models`. Any model id is accepted by the other endpoints. */
const LISTED_MODEL_IDS = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"] as const;
const DEFAULT_EMBEDDING_DIMENSIONS = 256;
const DEFAULT_WAIT_TIMEOUT_MS = 5_000;
/** Graphemes per streamed text piece when a single word is long (or has no spaces, as in CJK text). */
const MAX_GRAPHEMES_PER_TEXT_CHUNK = 6;
/** Code points per streamed tool-argument fragment; small so clients must reassemble. */
const CODE_POINTS_PER_ARGUMENT_FRAGMENT = 12;
const CHARACTERS_PER_ESTIMATED_TOKEN = 4;

type FinishReason = NonNullable<ScriptedTurn["finishReason"]>;

interface ResolvedToolCall {
  id: string;
  name: string;
  arguments: string;
}

interface ChatRequestWaiter {
  count: number;
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Thrown inside a handler to answer with an OpenAI-style error body. */
class UpstreamHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function estimateTokens(characterCount: number): number {
  return Math.max(1, Math.ceil(characterCount / CHARACTERS_PER_ESTIMATED_TOKEN));
}

/** Text of a chat message `content`, which is a string or an array of typed parts. */
function messageContentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("");
}

function chatMessages(body: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
}

/** Rough prompt size: message texts plus tool-call arguments the client replays. */
function estimatePromptCharacters(body: Record<string, unknown>): number {
  let characters = 0;
  for (const message of chatMessages(body)) {
    characters += messageContentText(message.content).length;
    if (Array.isArray(message.tool_calls)) {
      for (const toolCall of message.tool_calls) {
        if (isRecord(toolCall) && isRecord(toolCall.function) && typeof toolCall.function.arguments === "string") {
          characters += toolCall.function.arguments.length;
        }
      }
    }
  }
  return characters;
}

/** The default responder: `Echo: <last user message text>`. */
const echoLastUserMessage: Responder = (request) => {
  const lastUserMessage = chatMessages(request.body)
    .filter((message) => message.role === "user")
    .at(-1);
  return { text: `Echo: ${messageContentText(lastUserMessage?.content)}` };
};

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Splits text the way a tokenizer-ish stream would look: one word (with its
 * trailing whitespace) per chunk, long or space-less runs cut every few
 * graphemes. Graphemes keep Hangul syllables, emoji sequences and combining
 * marks intact, so every chunk is valid text on its own.
 */
export function splitTextIntoChunks(text: string): string[] {
  const chunks: string[] = [];
  for (const word of text.match(/\s+|\S+\s*/gu) ?? []) {
    const graphemes = Array.from(graphemeSegmenter.segment(word), (segment) => segment.segment);
    for (let start = 0; start < graphemes.length; start += MAX_GRAPHEMES_PER_TEXT_CHUNK) {
      chunks.push(graphemes.slice(start, start + MAX_GRAPHEMES_PER_TEXT_CHUNK).join(""));
    }
  }
  return chunks;
}

function splitIntoCodePointFragments(text: string, codePointsPerFragment: number): string[] {
  const codePoints = Array.from(text);
  const fragments: string[] = [];
  for (let start = 0; start < codePoints.length; start += codePointsPerFragment) {
    fragments.push(codePoints.slice(start, start + codePointsPerFragment).join(""));
  }
  return fragments;
}

/**
 * Waits `milliseconds` unless `signal` aborts first. Resolves `true` when the
 * wait completed and `false` when aborted, so callers stop writing to a dead
 * response and no timer outlives its request.
 */
function pause(milliseconds: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (milliseconds <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, milliseconds);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flattened: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flattened[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flattened;
}

function defaultErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

function sendJson(response: ServerResponse, status: number, payload: unknown, extraHeaders: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...extraHeaders,
  });
  response.end(body);
}

function sendError(response: ServerResponse, error: NonNullable<ScriptedTurn["error"]>): void {
  const retryAfterMs = error.retryAfterMs ?? (error.status === 429 ? 1 : undefined);
  const retryHeaders: Record<string, string> =
    retryAfterMs === undefined
      ? {}
      : { "retry-after-ms": String(retryAfterMs), "retry-after": String(Math.ceil(retryAfterMs / 1000)) };
  sendJson(
    response,
    error.status,
    {
      error: {
        message: error.message,
        type: error.type ?? defaultErrorType(error.status),
        param: null,
        code: error.code ?? (error.status === 429 ? "rate_limit_exceeded" : null),
      },
    },
    retryHeaders,
  );
}

async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UpstreamHttpError(400, "Request body is not valid JSON.");
  }
  if (!isRecord(parsed)) throw new UpstreamHttpError(400, "Request body must be a JSON object.");
  return parsed;
}

/** Embedding inputs as texts; token-id arrays are embedded via their decimal spelling. */
function embeddingInputs(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.length > 0) {
    const items: unknown[] = input;
    if (items.every((item): item is string => typeof item === "string")) return items;
    if (items.every((item): item is number => typeof item === "number")) return [items.join(" ")];
    if (items.every((item): item is unknown[] => Array.isArray(item))) return items.map((tokens) => tokens.join(" "));
  }
  throw new UpstreamHttpError(400, "'input' must be a non-empty string or array.");
}

/** Little-endian float32 bytes in base64, as OpenAI returns for `encoding_format: "base64"`. */
function encodeEmbeddingBase64(embedding: number[]): string {
  const floats = Float32Array.from(embedding);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

/** Starts a scripted upstream on 127.0.0.1 with an OS-assigned port. */
export async function startScriptedUpstream(options: ScriptedUpstreamOptions = {}): Promise<ScriptedUpstream> {
  const defaultLatencyMs = options.defaultLatencyMs ?? 0;
  const defaultChunkDelayMs = options.chunkDelayMs ?? 0;
  const defaultEmbeddingDimensions = options.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;

  const queuedTurns: ScriptedTurn[] = [];
  const requests: RecordedRequest[] = [];
  const chatRequestWaiters = new Set<ChatRequestWaiter>();
  /** One controller per open response; aborting it stops that handler's timers and writes. */
  const openResponses = new Set<AbortController>();
  let responder: Responder = echoLastUserMessage;
  let closing = false;
  let closePromise: Promise<void> | undefined;

  const chatRequests = (): RecordedRequest[] => requests.filter((request) => request.path === CHAT_PATH);

  const settleChatRequestWaiters = (): void => {
    if (chatRequestWaiters.size === 0) return;
    const arrived = chatRequests();
    for (const waiter of chatRequestWaiters) {
      if (arrived.length >= waiter.count) {
        clearTimeout(waiter.timer);
        chatRequestWaiters.delete(waiter);
        waiter.resolve([...arrived]);
      }
    }
  };

  const record = (path: string, body: Record<string, unknown>, request: IncomingMessage): RecordedRequest => {
    const recorded: RecordedRequest = {
      path,
      body,
      headers: flattenHeaders(request.headers),
      receivedAt: Date.now(),
      aborted: false,
    };
    requests.push(recorded);
    if (path === CHAT_PATH) settleChatRequestWaiters();
    return recorded;
  };

  async function handleChatCompletion(
    request: IncomingMessage,
    response: ServerResponse,
    signal: AbortSignal,
    onRecorded: (recorded: RecordedRequest) => void,
  ): Promise<void> {
    const body = await readJsonBody(request);
    const recorded = record(CHAT_PATH, body, request);
    onRecorded(recorded);

    // Taking the queued turn synchronously on arrival keeps queue order equal to arrival order.
    const queuedTurn = queuedTurns.shift();
    let turn: ScriptedTurn;
    try {
      turn = queuedTurn ?? (await responder(recorded));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      turn = { error: { status: 500, message: `Scripted responder failed: ${reason}` } };
    }

    if (!(await pause(turn.firstTokenDelayMs ?? defaultLatencyMs, signal))) return;
    if (turn.error) {
      sendError(response, turn.error);
      return;
    }

    const model = typeof body.model === "string" ? body.model : "scripted-model";
    const textChunks = turn.text === undefined ? [] : typeof turn.text === "string" ? splitTextIntoChunks(turn.text) : turn.text;
    const toolCalls: ResolvedToolCall[] = (turn.toolCalls ?? []).map((toolCall) => ({
      id: toolCall.id ?? `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
      name: toolCall.name,
      arguments: typeof toolCall.arguments === "string" ? toolCall.arguments : JSON.stringify(toolCall.arguments),
    }));
    const finishReason: FinishReason = turn.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop");
    const completionCharacters =
      textChunks.join("").length + toolCalls.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
    const promptTokens = turn.usage?.promptTokens ?? estimateTokens(estimatePromptCharacters(body));
    const completionTokens = turn.usage?.completionTokens ?? estimateTokens(completionCharacters);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const completionId = `chatcmpl-${randomUUID().replaceAll("-", "")}`;
    const created = Math.floor(Date.now() / 1000);

    if (body.stream !== true) {
      if (turn.hang) {
        await untilAborted(signal);
        return;
      }
      const text = textChunks.join("");
      sendJson(response, 200, {
        id: completionId,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              // OpenAI sends null content for a pure tool-call answer.
              content: text === "" && toolCalls.length > 0 ? null : text,
              ...(turn.reasoning ? { reasoning_content: turn.reasoning } : {}),
              refusal: null,
              ...(toolCalls.length > 0
                ? {
                    tool_calls: toolCalls.map((call) => ({
                      id: call.id,
                      type: "function",
                      function: { name: call.name, arguments: call.arguments },
                    })),
                  }
                : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      });
      return;
    }

    const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
    const chunkDelayMs = turn.chunkDelayMs ?? defaultChunkDelayMs;
    const writeEvent = (data: string): void => {
      response.write(`data: ${data}\n\n`);
    };
    const writeChunk = (delta: Record<string, unknown>, chunkFinishReason: FinishReason | null = null): void => {
      writeEvent(
        JSON.stringify({
          id: completionId,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: chunkFinishReason }],
          // Like OpenAI: with include_usage every chunk carries usage: null until the final usage chunk.
          ...(includeUsage ? { usage: null } : {}),
        }),
      );
    };

    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    // The role chunk goes out with the headers (as OpenAI does) so the client sees the stream open immediately.
    writeChunk({ role: "assistant", content: "" });

    const reasoningChunks = turn.reasoning ? splitTextIntoChunks(turn.reasoning) : [];
    const deltas: Record<string, unknown>[] = [
      ...reasoningChunks.map((reasoning_content) => ({ reasoning_content })),
      ...textChunks.map((content) => ({ content })),
    ];
    toolCalls.forEach((call, index) => {
      deltas.push({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      });
      for (const fragment of splitIntoCodePointFragments(call.arguments, CODE_POINTS_PER_ARGUMENT_FRAGMENT)) {
        deltas.push({ tool_calls: [{ index, function: { arguments: fragment } }] });
      }
    });
    for (const delta of deltas) {
      if (!(await pause(chunkDelayMs, signal))) return;
      writeChunk(delta);
    }

    if (turn.hang) {
      await untilAborted(signal);
      return;
    }
    writeChunk({}, finishReason);
    if (includeUsage) {
      writeEvent(JSON.stringify({ id: completionId, object: "chat.completion.chunk", created, model, choices: [], usage }));
    }
    writeEvent("[DONE]");
    response.end();
  }

  async function handleEmbeddings(request: IncomingMessage, response: ServerResponse, onRecorded: (recorded: RecordedRequest) => void): Promise<void> {
    const body = await readJsonBody(request);
    onRecorded(record(EMBEDDINGS_PATH, body, request));
    const texts = embeddingInputs(body.input);
    const requestedDimensions = body.dimensions;
    const dimensions =
      typeof requestedDimensions === "number" && Number.isInteger(requestedDimensions) && requestedDimensions > 0
        ? requestedDimensions
        : defaultEmbeddingDimensions;
    const asBase64 = body.encoding_format === "base64";
    const promptTokens = texts.reduce((sum, text) => sum + estimateTokens(text.length), 0);
    sendJson(response, 200, {
      object: "list",
      data: texts.map((text, index) => {
        const embedding = hashEmbedding(text, dimensions);
        return { object: "embedding", index, embedding: asBase64 ? encodeEmbeddingBase64(embedding) : embedding };
      }),
      model: typeof body.model === "string" ? body.model : "text-embedding-3-small",
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  }

  function handleModels(response: ServerResponse): void {
    const created = Math.floor(Date.now() / 1000);
    sendJson(response, 200, {
      object: "list",
      data: LISTED_MODEL_IDS.map((id) => ({ id, object: "model", created, owned_by: "scripted-upstream" })),
    });
  }

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const controller = new AbortController();
    openResponses.add(controller);
    let recorded: RecordedRequest | undefined;
    response.on("close", () => {
      openResponses.delete(controller);
      if (!response.writableFinished) {
        // The socket went away before we ended the response: the client aborted
        // (or close() cut it, which is not the client's doing).
        if (recorded && !closing) recorded.aborted = true;
        controller.abort();
      }
    });
    const onRecorded = (value: RecordedRequest): void => {
      recorded = value;
    };

    const path = new URL(request.url ?? "/", "http://upstream.invalid").pathname;
    const method = request.method ?? "GET";
    try {
      if (path === CHAT_PATH || path === EMBEDDINGS_PATH || path === MODELS_PATH) {
        const expectedMethod = path === MODELS_PATH ? "GET" : "POST";
        if (method !== expectedMethod) throw new UpstreamHttpError(405, `Method ${method} not allowed on ${path}.`);
      }
      if (path === CHAT_PATH) await handleChatCompletion(request, response, controller.signal, onRecorded);
      else if (path === EMBEDDINGS_PATH) await handleEmbeddings(request, response, onRecorded);
      else if (path === MODELS_PATH) handleModels(response);
      else throw new UpstreamHttpError(404, `Unknown path ${method} ${path}.`);
    } catch (error) {
      if (controller.signal.aborted) return;
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const status = error instanceof UpstreamHttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      sendError(response, { status, message });
    }
  }

  const server = createServer({ noDelay: true }, (request, response) => {
    void handleRequest(request, response);
  });
  // Hanging responses are legitimate here; never let Node's own timeouts cut them.
  server.requestTimeout = 0;
  server.timeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/v1`;

  return {
    url,
    requests,
    enqueue(...turns: ScriptedTurn[]): void {
      queuedTurns.push(...turns);
    },
    setResponder(nextResponder: Responder): void {
      responder = nextResponder;
    },
    chatRequests,
    waitForChatRequests(count: number, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<RecordedRequest[]> {
      const arrived = chatRequests();
      if (arrived.length >= count) return Promise.resolve(arrived);
      if (closing) return Promise.reject(new Error("Scripted upstream is closed."));
      return new Promise((resolve, reject) => {
        const waiter: ChatRequestWaiter = {
          count,
          resolve,
          reject,
          timer: setTimeout(() => {
            chatRequestWaiters.delete(waiter);
            reject(
              new Error(`Timed out after ${timeoutMs} ms waiting for ${count} chat request(s); ${chatRequests().length} arrived.`),
            );
          }, timeoutMs),
        };
        chatRequestWaiters.add(waiter);
      });
    },
    pendingTurns(): number {
      return queuedTurns.length;
    },
    reset(): void {
      queuedTurns.length = 0;
      requests.length = 0;
      responder = echoLastUserMessage;
    },
    close(): Promise<void> {
      if (closePromise) return closePromise;
      closing = true;
      for (const waiter of chatRequestWaiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error("Scripted upstream closed while waiting for chat requests."));
      }
      chatRequestWaiters.clear();
      for (const controller of openResponses) controller.abort();
      closePromise = new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets and hanging streams would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closePromise;
    },
  };
}
