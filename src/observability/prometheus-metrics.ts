import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Metrics } from "./metrics.js";

/** Seconds; from a fast HTTP answer to a long model call. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Runs and ingestion can take minutes (tool loops, large PDFs). */
const longBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export interface PrometheusMetricsOptions {
  /** Files waiting to be ingested, database-wide; read at each scrape. */
  ingestionBacklog(): Promise<number>;
}

/**
 * This process's metrics in a registry of its own (several servers in one test process do not mix),
 * with prom-client's default process metrics: event-loop lag, memory, CPU, handles.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({ name: "spool_http_requests_total", help: "HTTP requests by route template, method and status.", labelNames: ["route", "method", "status"], registers });
  const httpDuration = new Histogram({ name: "spool_http_request_duration_seconds", help: "Time to answer an HTTP request (to the first byte for streams).", labelNames: ["route", "method"], buckets: latencyBuckets, registers });
  const streamsOpen = new Gauge({ name: "spool_sse_streams_open", help: "Server-sent event streams open now.", registers });
  const runsFinished = new Counter({ name: "spool_runs_finished_total", help: "Runs that reached a final status here, by status.", labelNames: ["status"], registers });
  const runDuration = new Histogram({ name: "spool_run_duration_seconds", help: "Run creation to its final status.", labelNames: ["status"], buckets: longBuckets, registers });
  const queueWait = new Histogram({ name: "spool_run_queue_wait_seconds", help: "Run creation to its first start.", buckets: latencyBuckets, registers });
  const upstreamLatency = new Histogram({ name: "spool_upstream_latency_seconds", help: "One model call, request to its last chunk.", labelNames: ["model"], buckets: latencyBuckets, registers });
  const firstToken = new Histogram({ name: "spool_upstream_time_to_first_token_seconds", help: "One model call, request to its first text or tool-call chunk.", labelNames: ["model"], buckets: latencyBuckets, registers });
  const tokens = new Counter({ name: "spool_tokens_total", help: "Tokens the upstream reported, by model and direction (input, output).", labelNames: ["model", "direction"], registers });
  const upstreamErrors = new Counter({ name: "spool_upstream_errors_total", help: "Failed model calls by code (HTTP status, connection, other).", labelNames: ["code"], registers });
  const upstreamRetries = new Counter({ name: "spool_upstream_retries_total", help: "Model calls tried again, by the code of the failure.", labelNames: ["code"], registers });
  const toolCalls = new Counter({ name: "spool_tool_calls_total", help: "Builtin tool calls by type.", labelNames: ["type"], registers });
  const toolFailures = new Counter({ name: "spool_tool_call_failures_total", help: "Builtin tool calls that threw or whose code raised, by type.", labelNames: ["type"], registers });
  const toolDuration = new Histogram({ name: "spool_tool_call_duration_seconds", help: "Builtin tool call duration by type.", labelNames: ["type"], buckets: latencyBuckets, registers });
  const sessionsLive = new Gauge({ name: "spool_sandbox_sessions_live", help: "Code interpreter sandbox sessions alive in this process.", registers });
  const sessionsStarted = new Counter({ name: "spool_sandbox_sessions_started_total", help: "Code interpreter sandbox sessions started.", registers });
  const ingestionJobs = new Counter({ name: "spool_ingestion_jobs_total", help: "File ingestions finished here, by outcome (completed, failed).", labelNames: ["status"], registers });
  const ingestionDuration = new Histogram({ name: "spool_ingestion_duration_seconds", help: "One file's extraction, embedding and indexing.", buckets: longBuckets, registers });
  new Gauge({
    name: "spool_ingestion_backlog",
    help: "Files waiting to be ingested or being ingested, on the whole database.",
    registers,
    async collect() {
      // An unreachable database shows as NaN; the scrape itself still answers.
      this.set(await options.ingestionBacklog().catch(() => Number.NaN));
    },
  });

  const seconds = (ms: number) => ms / 1000;
  return {
    request(route, method, status, durationMs) {
      httpRequests.inc({ route, method, status: String(status) });
      httpDuration.observe({ route, method }, seconds(durationMs));
    },
    streamOpened: () => streamsOpen.inc(),
    streamClosed: () => streamsOpen.dec(),
    runStarted: (queueWaitMs) => queueWait.observe(seconds(Math.max(0, queueWaitMs))),
    runFinished(status, durationMs) {
      runsFinished.inc({ status });
      runDuration.observe({ status }, seconds(Math.max(0, durationMs)));
    },
    modelCall({ model, latencyMs, firstTokenMs, inputTokens, outputTokens }) {
      upstreamLatency.observe({ model }, seconds(latencyMs));
      if (firstTokenMs !== undefined) firstToken.observe({ model }, seconds(firstTokenMs));
      tokens.inc({ model, direction: "input" }, inputTokens);
      tokens.inc({ model, direction: "output" }, outputTokens);
    },
    upstreamError: (code) => upstreamErrors.inc({ code }),
    upstreamRetry: (code) => upstreamRetries.inc({ code }),
    toolCall(type, durationMs, failed) {
      toolCalls.inc({ type });
      if (failed) toolFailures.inc({ type });
      toolDuration.observe({ type }, seconds(durationMs));
    },
    sandboxSessionStarted() {
      sessionsStarted.inc();
      sessionsLive.inc();
    },
    sandboxSessionEnded: () => sessionsLive.dec(),
    ingestionFinished(status, durationMs) {
      ingestionJobs.inc({ status });
      ingestionDuration.observe(seconds(durationMs));
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
