/**
 * What the server counts, as narrow interfaces each part receives (the engine never sees prom-client).
 * Durations are milliseconds; the Prometheus implementation reports seconds, as Prometheus expects.
 */

export interface RunMetrics {
  /** A run started for the first time, `queueWaitMs` after it was created. */
  runStarted(queueWaitMs: number): void;
  /** A run reached a final status, `durationMs` after it was created. */
  runFinished(status: string, durationMs: number): void;
}

export interface ModelCallMetrics {
  /** One model call that answered; `firstTokenMs` is unset when it produced no output. */
  modelCall(call: { model: string; latencyMs: number; firstTokenMs: number | undefined; inputTokens: number; outputTokens: number }): void;
  /** A model call failed with `code` (an HTTP status, `connection` or `other`). */
  upstreamError(code: string): void;
  /** A failed model call is tried again. */
  upstreamRetry(code: string): void;
}

export interface ToolMetrics {
  /** A builtin tool call (`file_search`, `code_interpreter`) ran; `failed`: it threw or its code raised. */
  toolCall(type: string, durationMs: number, failed: boolean): void;
}

export interface SandboxMetrics {
  sandboxSessionStarted(): void;
  sandboxSessionEnded(): void;
}

export interface IngestionMetrics {
  ingestionFinished(status: "completed" | "failed", durationMs: number): void;
}

export interface HttpMetrics {
  /** `route` is the route template (`/v1/threads/:thread_id/runs`), never the raw path. */
  request(route: string, method: string, status: number, durationMs: number): void;
  streamOpened(): void;
  streamClosed(): void;
}

export type EngineMetrics = RunMetrics & ModelCallMetrics & ToolMetrics;

export interface Metrics extends EngineMetrics, SandboxMetrics, IngestionMetrics, HttpMetrics {
  /** The exposition a scrape gets, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

const ignore = () => undefined;

/** Counts nothing: for parts started without a server around them (tests, the CLI). */
export const noMetrics: Metrics = {
  runStarted: ignore,
  runFinished: ignore,
  modelCall: ignore,
  upstreamError: ignore,
  upstreamRetry: ignore,
  toolCall: ignore,
  sandboxSessionStarted: ignore,
  sandboxSessionEnded: ignore,
  ingestionFinished: ignore,
  request: ignore,
  streamOpened: ignore,
  streamClosed: ignore,
  render: async () => ({ contentType: "text/plain; version=0.0.4; charset=utf-8", body: "" }),
};
