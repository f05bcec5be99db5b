import path from "node:path";
import { z } from "zod";

const commaList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter((item) => item.length > 0));

/**
 * `SPOOL_MODEL_MAP` routes the model names apps send to the models the upstream serves:
 * `gpt-4-turbo-preview=llama3.1:8b,gpt-4o=qwen2.5:7b`, or the same as a JSON object. Unmapped names pass through.
 */
const modelMap = z.string().transform((value, context) => {
  const trimmed = value.trim();
  if (trimmed.startsWith("{")) {
    try {
      return z.record(z.string(), z.string()).parse(JSON.parse(trimmed));
    } catch {
      context.addIssue({ code: "custom", message: "must be a JSON object of strings" });
      return z.NEVER;
    }
  }
  const entries = trimmed.split(",").filter((pair) => pair.trim().length > 0).map((pair) => {
    const [from, to] = pair.split("=").map((part) => part.trim());
    if (!from || !to) context.addIssue({ code: "custom", message: `'${pair}' is not name=model` });
    return [from ?? "", to ?? ""] as const;
  });
  return Object.fromEntries(entries);
});

const integer = (minimum: number) => z.coerce.number().int().min(minimum);
const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/** Every setting Spool reads, with its environment variable, default and meaning (README "Settings"). */
export const settings = {
  host: { env: "SPOOL_HOST", schema: z.string().min(1), default: "127.0.0.1", doc: "Listen address." },
  port: { env: "SPOOL_PORT", schema: integer(0).max(65535), default: "8080", doc: "Listen port (0 picks a free port)." },
  dataDir: { env: "SPOOL_DATA_DIR", schema: z.string().min(1), default: "./data", doc: "Database, uploaded files, indexes and sandbox scratch space." },
  databaseUrl: { env: "SPOOL_DATABASE_URL", schema: z.string().optional(), default: undefined, doc: "`postgres://…` switches storage to Postgres; unset = embedded SQLite in the data dir (one process). With Postgres, any number of Spool processes may share the database: runs, events, file bytes and the search index live in it, so processes need no shared disk (see Run several processes in the README)." },
  upstreamUrl: { env: "SPOOL_UPSTREAM_URL", schema: z.url(), default: "https://api.openai.com/v1", doc: "OpenAI-compatible LLM backend (`…/v1`): OpenAI, vLLM, Ollama, llama.cpp…" },
  upstreamApiKey: { env: "SPOOL_UPSTREAM_API_KEY", schema: z.string().optional(), default: undefined, doc: "API key sent to the upstream." },
  apiKeys: { env: "SPOOL_API_KEYS", schema: commaList, default: "", doc: "Comma-separated keys clients may send as `Authorization: Bearer`: the default project's keys (see Projects and keys). Unset, and with no project created, the API is open." },
  modelMap: { env: "SPOOL_MODEL_MAP", schema: modelMap, default: "", doc: "Routes app model names to upstream models: `gpt-4o=llama3.1:8b,…` or JSON. Unmapped names pass through." },
  embeddingModel: { env: "SPOOL_EMBEDDING_MODEL", schema: z.string().min(1), default: "text-embedding-3-small", doc: "Upstream embedding model used by file search." },
  modelContextTokens: {
    env: "SPOOL_MODEL_CONTEXT_TOKENS",
    schema: integer(256),
    default: "128000",
    doc: "Context window of the upstream models in tokens (counted with o200k), less a response's `max_output_tokens`, for Responses' `truncation`: `auto` drops a conversation's oldest items to fit it, `disabled` (the default) refuses larger input with 400 `context_length_exceeded`.",
  },
  runExpirySeconds: { env: "SPOOL_RUN_EXPIRY_SECONDS", schema: integer(1), default: "600", doc: "A run not finished (e.g. waiting for tool outputs) this long after creation becomes `expired`." },
  runConcurrency: { env: "SPOOL_RUN_CONCURRENCY", schema: integer(0), default: "256", doc: "Runs executed at the same time by this process; 0 = this process serves the API only and leaves runs and file ingestion to the others on the same database." },
  runLeaseSeconds: { env: "SPOOL_RUN_LEASE_SECONDS", schema: integer(1), default: "15", doc: "A process renews its claim on the runs it executes (and a request on its Idempotency-Key) every third of this; when it dies, another process takes its runs (and keys whose work never committed) over this long after its last renewal." },
  upstreamMaxRetries: { env: "SPOOL_UPSTREAM_MAX_RETRIES", schema: integer(0), default: "3", doc: "Retries (with exponential backoff) for upstream 429/5xx/connection errors before a run fails." },
  upstreamRetryBaseMs: { env: "SPOOL_UPSTREAM_RETRY_BASE_MS", schema: integer(0), default: "500", doc: "First backoff delay; doubles each retry." },
  pollAfterMs: { env: "SPOOL_POLL_AFTER_MS", schema: integer(1), default: "25", doc: "`openai-poll-after-ms` hint sent on run and run-step responses." },
  maxJsonBodyBytes: {
    env: "SPOOL_MAX_JSON_BODY_BYTES",
    schema: integer(1),
    default: String(64 * 1024 * 1024),
    doc: "Largest accepted JSON request body; a larger one gets 413 as soon as the limit is crossed. The default fits the largest legal request (a thread and run with 32 messages of 256,000 characters, 256,000 characters of instructions, metadata and 10,000 file ids: about 9.1 million characters) even with every character sent as a 6-byte `\\uXXXX` escape, as Python's `json` writes non-ASCII text: about 52 MiB. Bodies read at once are capped at 4 × this or 256 MiB, whichever is more; past that a request gets 503, which the SDKs retry.",
  },
  maxUploadBytes: { env: "SPOOL_MAX_UPLOAD_BYTES", schema: integer(1), default: String(512 * 1024 * 1024), doc: "Largest accepted file upload." },
  shutdownTimeoutMs: { env: "SPOOL_SHUTDOWN_TIMEOUT_MS", schema: integer(0), default: "10000", doc: "On SIGTERM, how long running runs may finish here; after it they are handed back and continue from their last finished step on another process (or at the next start)." },
  sandboxCpuSeconds: { env: "SPOOL_SANDBOX_CPU_SECONDS", schema: integer(1), default: "30", doc: "code_interpreter: CPU seconds one cell may use before its Python session is reset." },
  sandboxTimeoutSeconds: { env: "SPOOL_SANDBOX_TIMEOUT_SECONDS", schema: integer(1), default: "60", doc: "code_interpreter: wall-clock seconds one cell may take before its Python session is reset." },
  sandboxMemoryMb: { env: "SPOOL_SANDBOX_MEMORY_MB", schema: integer(1), default: "1024", doc: "code_interpreter: address space (MiB) of each sandboxed process." },
  sandboxMaxProcesses: { env: "SPOOL_SANDBOX_MAX_PROCESSES", schema: integer(1), default: "64", doc: "code_interpreter: processes and threads one session may have at once." },
  sandboxFileSizeMb: { env: "SPOOL_SANDBOX_FILE_SIZE_MB", schema: integer(1), default: "100", doc: "code_interpreter: largest file (MiB) code may write." },
  sandboxIdleSeconds: { env: "SPOOL_SANDBOX_IDLE_SECONDS", schema: integer(1), default: "600", doc: "code_interpreter: a thread's Python session (variables and /mnt/data) unused this long is ended." },
  logLevel: { env: "SPOOL_LOG_LEVEL", schema: z.enum(["debug", "info", "warn", "error", "silent"]), default: "info", doc: "Structured JSON log lines on stdout at this level and above." },
  adminKey: { env: "SPOOL_ADMIN_KEY", schema: z.string().optional(), default: undefined, doc: "Admin key for `/v1/organization/…` (projects and their keys, the usage API), sent as `Authorization: Bearer`; when set, scraping `/metrics` needs it too. Unset = no admin API, and `/metrics` is open." },
  otelEndpoint: { env: "OTEL_EXPORTER_OTLP_ENDPOINT", schema: z.url().optional(), default: undefined, doc: "OpenTelemetry collector (OTLP/HTTP base URL, e.g. `http://127.0.0.1:4318`): spans go to `<it>/v1/traces` as OTLP JSON. Unset = no tracing, and no tracing SDK is loaded." },
  otelServiceName: { env: "OTEL_SERVICE_NAME", schema: z.string().min(1), default: "spool", doc: "`service.name` of the spans this process sends." },
  traceContent: { env: "SPOOL_TRACE_CONTENT", schema: flag, default: "false", doc: "`true` puts message content into spans (prompts, answers, tool inputs and outputs, code); off by default, as traces often go where the conversations should not." },
} as const;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: z.output<Settings[K]["schema"]> };

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates every setting; fails fast with the variable's name on bad input. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const entries = Object.entries(settings).map(([key, setting]) => {
    const raw = env[setting.env] === undefined || env[setting.env] === "" ? setting.default : env[setting.env];
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(`${setting.env}: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
    }
    return [key, parsed.data];
  });
  const config = Object.fromEntries(entries) as Config;
  return { ...config, dataDir: path.resolve(config.dataDir) };
}
