/**
 * What observability costs a run: the same runs against a server with metrics on and tracing off (no
 * OTLP endpoint: no tracing SDK is loaded), then against one exporting every span over OTLP/HTTP to a
 * collector on this machine. Per variant: createAndRunPoll overhead (wall time − the upstream's own time)
 * over sequential runs, and server CPU per run in bursts of concurrent runs; the variants alternate twice, as
 * the machine's load drifts. The server runs from `dist/`. Then, in this process, what one run's spans cost
 * with tracing off and what its metrics cost: too little to show in the figures above.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPrometheusMetrics } from "../src/observability/prometheus-metrics.js";
import { noTracing } from "../src/observability/tracing.js";
import { startOtlpReceiver } from "../src/testing/otlp-receiver.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../src/testing/scripted-upstream.js";
import { spawnSpool } from "../src/testing/spawn-spool.js";
import { requestJson } from "./http-json.js";
import { cpuMs, percentile, summary } from "./stats.js";

const firstTokenMs = 100;
const chunkDelayMs = 5;
const answer = ["The ", "answer ", "is ", "42."];
const upstreamOwnMs = firstTokenMs + chunkDelayMs * answer.length;
const sequentialRuns = 60;
const concurrency = 100;

const keepAlive = new http.Agent({ keepAlive: true });
const headers = { "content-type": "application/json", "openai-beta": "assistants=v2" };

/** `createAndRunPoll` as two requests over node:http (create, then the poll helper's long poll). */
async function runOnce(baseUrl: string, assistantId: string, content: string): Promise<string> {
  type RunView = { id: string; thread_id: string; status: string };
  const body = JSON.stringify({ assistant_id: assistantId, thread: { messages: [{ role: "user", content }] } });
  let run = await requestJson<RunView>(keepAlive, `${baseUrl}/v1/threads/runs`, "POST", headers, body);
  while (["queued", "in_progress", "cancelling"].includes(run.status)) {
    run = await requestJson<RunView>(keepAlive, `${baseUrl}/v1/threads/${run.thread_id}/runs/${run.id}`, "GET", { ...headers, "x-stainless-poll-helper": "true" });
  }
  return run.status;
}

async function measure(upstream: ScriptedUpstream, env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-bench-observability-"));
  const server = await spawnSpool({ SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_LOG_LEVEL: "warn", ...env }, { from: "build" });
  const pid = server.process.pid ?? 0;
  try {
    const assistant = await requestJson<{ id: string }>(keepAlive, `${server.url}/v1/assistants`, "POST", headers, JSON.stringify({ model: "gpt-4o" }));
    for (let index = 0; index < 10; index += 1) await runOnce(server.url, assistant.id, "warm up");
    const overheads: number[] = [];
    for (let index = 0; index < sequentialRuns; index += 1) {
      const started = performance.now();
      const status = await runOnce(server.url, assistant.id, `question ${index}`);
      if (status !== "completed") throw new Error(`run ended ${status}`);
      overheads.push(performance.now() - started - upstreamOwnMs);
    }
    const burst = async () => {
      const cpuBefore = await cpuMs(pid);
      await Promise.all(Array.from({ length: concurrency }, (_, index) => runOnce(server.url, assistant.id, `load ${index}`)));
      return ((await cpuMs(pid)) - cpuBefore) / concurrency;
    };
    await burst();
    const cpuPerRun = [await burst(), await burst(), await burst()].sort((a, b) => a - b)[1] ?? Number.NaN;
    return { overheads, cpuPerRun };
  } finally {
    server.process.kill("SIGTERM");
    await server.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Nanoseconds per call of `work`, over many calls. */
async function nanosecondsPer(calls: number, work: () => unknown): Promise<number> {
  for (let index = 0; index < calls / 10; index += 1) await work();
  const started = process.hrtime.bigint();
  for (let index = 0; index < calls; index += 1) await work();
  return Number(process.hrtime.bigint() - started) / calls;
}

/** One run's worth of metric updates, as the server makes them (two requests, start, a model call, the end). */
function oneRunOfMetrics(metrics: ReturnType<typeof createPrometheusMetrics>): void {
  metrics.request("/v1/threads/runs", "POST", 200, 3);
  metrics.request("/v1/threads/:thread_id/runs/:run_id", "GET", 200, 120);
  metrics.runStarted(2);
  metrics.modelCall({ model: "gpt-4o", latencyMs: 120, firstTokenMs: 100, inputTokens: 30, outputTokens: 5 });
  metrics.runFinished("completed", 125);
}

export async function main(): Promise<void> {
  const upstream = await startScriptedUpstream({ defaultLatencyMs: firstTokenMs, chunkDelayMs });
  upstream.setResponder(() => ({ text: answer }));
  const collector = await startOtlpReceiver();
  try {
    const exportingEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
    const rounds = [await measure(upstream, {}), await measure(upstream, exportingEnv), await measure(upstream, {}), await measure(upstream, exportingEnv)];
    const combine = (results: typeof rounds) => ({ overheads: results.flatMap((result) => result.overheads), cpuPerRun: results.reduce((sum, result) => sum + result.cpuPerRun, 0) / results.length });
    const off = combine([rounds[0]!, rounds[2]!]);
    const exporting = combine([rounds[1]!, rounds[3]!]);
    const runs = 2 * (10 + sequentialRuns + 4 * concurrency);
    const spanNs = await nanosecondsPer(1_000_000, () => noTracing.inSpan("step", {}, async (span) => span.setAttribute("k", 1)));
    const metrics = createPrometheusMetrics({ ingestionBacklog: async () => 0 });
    const metricsNs = await nanosecondsPer(200_000, () => oneRunOfMetrics(metrics));
    console.log("observability overhead (scripted upstream: first token 100 ms, 4 chunks 5 ms apart; createAndRunPoll over HTTP)");
    console.log(`  metrics on, tracing off: overhead per run ${summary(off.overheads)}; server CPU per run in bursts of ${concurrency}: ${off.cpuPerRun.toFixed(1)} ms`);
    console.log(`  metrics on, tracing exporting over OTLP/HTTP: overhead per run ${summary(exporting.overheads)}; server CPU per run: ${exporting.cpuPerRun.toFixed(1)} ms`);
    console.log(`  spans received by the collector: ${collector.spans().length} for ${runs} runs (${(collector.spans().length / runs).toFixed(1)} per run)`);
    console.log(`  (p50 ${percentile(off.overheads, 0.5).toFixed(1)} → ${percentile(exporting.overheads, 0.5).toFixed(1)} ms)`);
    console.log(`  in-process: one span with tracing off ${spanNs.toFixed(0)} ns (a run makes 5), one run's metric updates ${(metricsNs / 1000).toFixed(1)} µs`);
  } finally {
    await collector.close();
    await upstream.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
