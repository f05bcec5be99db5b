/**
 * Run-engine overhead against a scripted upstream with fixed latency, all figures from one run:
 * (1) createAndPoll wall time minus the upstream's own time, (2) streaming time-to-first-token overhead,
 * (3) 200 concurrent runs with a 500 ms upstream vs one run, (4) server RSS after that load.
 * The server runs as its own process (built from source via tsx), like in production.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { startScriptedUpstream } from "../src/testing/scripted-upstream.js";
import { spawnSpool } from "../src/testing/spawn-spool.js";
import { requestJson } from "./http-json.js";
import { cpuMs, percentile, rssMiB, summary } from "./stats.js";

const firstTokenMs = 100;
const chunkDelayMs = 5;
const answer = ["The ", "answer ", "is ", "42."];

const keepAlive = new http.Agent({ keepAlive: true });

/**
 * The two requests `createAndRunPoll` makes (create, then the poll helper's long poll), over node:http with
 * keep-alive: the benchmark process shares the machine's two cores with the server, and the SDK's (or
 * even fetch's) own CPU there would otherwise be part of what is measured.
 */
async function createAndRunPollOverHttp(baseUrl: string, assistantId: string, content: string): Promise<string> {
  const headers = { "content-type": "application/json", "openai-beta": "assistants=v2" };
  type RunView = { id: string; thread_id: string; status: string };
  const body = JSON.stringify({ assistant_id: assistantId, thread: { messages: [{ role: "user", content }] } });
  let run = await requestJson<RunView>(keepAlive, `${baseUrl}/v1/threads/runs`, "POST", headers, body);
  while (["queued", "in_progress", "cancelling"].includes(run.status)) {
    run = await requestJson<RunView>(keepAlive, `${baseUrl}/v1/threads/${run.thread_id}/runs/${run.id}`, "GET", { ...headers, "x-stainless-poll-helper": "true" });
  }
  return run.status;
}

export async function main(): Promise<void> {
  const upstream = await startScriptedUpstream({ defaultLatencyMs: firstTokenMs, chunkDelayMs });
  upstream.setResponder(() => ({ text: answer }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-bench-"));
  const server = await spawnSpool({ SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_LOG_LEVEL: "warn" }, { from: "build" });
  const idleRss = await rssMiB(server.process.pid ?? 0);
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "bench", maxRetries: 0, timeout: 120_000 });
  try {
    const assistant = await client.beta.assistants.create({ model: "gpt-4o", instructions: "Be brief." });
    const upstreamOwnMs = firstTokenMs + chunkDelayMs * answer.length;

    // Warm up JIT, database and connections.
    for (let index = 0; index < 5; index += 1) {
      const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "warm up" }] });
      await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    }

    const overheads: number[] = [];
    for (let index = 0; index < 40; index += 1) {
      const thread = await client.beta.threads.create({ messages: [{ role: "user", content: `question ${index}` }] });
      const started = performance.now();
      const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      if (run.status !== "completed") throw new Error(`run ended ${run.status}`);
      overheads.push(performance.now() - started - upstreamOwnMs);
    }

    const firstTokenOverheads: number[] = [];
    for (let index = 0; index < 40; index += 1) {
      const thread = await client.beta.threads.create({ messages: [{ role: "user", content: `stream ${index}` }] });
      const before = upstream.chatRequests().length;
      let firstDeltaAt = 0;
      const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
      stream.on("textDelta", () => {
        firstDeltaAt ||= Date.now();
      });
      await stream.finalRun();
      const request = upstream.chatRequests()[before];
      if (!request) throw new Error("upstream request not recorded");
      // The upstream sends its first text chunk one chunk delay after the first-token latency.
      firstTokenOverheads.push(firstDeltaAt - (request.receivedAt + firstTokenMs + chunkDelayMs));
    }

    upstream.setResponder(() => ({ text: answer, firstTokenDelayMs: 500 }));
    const singleStarted = performance.now();
    const single = await client.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: "one" }] } });
    const singleMs = performance.now() - singleStarted;
    if (single.status !== "completed") throw new Error("single run failed");

    const concurrency = 200;
    const burst = async () => {
      const cpuBefore = await cpuMs(server.process.pid ?? 0);
      const started = performance.now();
      const statuses = await Promise.all(
        Array.from({ length: concurrency }, (_, index) => createAndRunPollOverHttp(server.url, assistant.id, `load ${index}`)),
      );
      return {
        wallMs: performance.now() - started,
        serverCpuPerRun: ((await cpuMs(server.process.pid ?? 0)) - cpuBefore) / concurrency,
        completed: statuses.filter((status) => status === "completed").length,
      };
    };
    // The first burst also opens 200 client and 200 upstream connections and warms the JIT; the server is
    // measured in the steady state of one that has been running: the median of three bursts after two more.
    const cold = await burst();
    await burst();
    await burst();
    const measured = [await burst(), await burst(), await burst()];
    const median = [...measured].sort((a, b) => a.wallMs - b.wallMs)[1] ?? cold;
    const { wallMs: loadMs, serverCpuPerRun, completed } = median;
    const rss = await rssMiB(server.process.pid ?? 0);

    console.log("core run engine (scripted upstream: first token 100 ms, 4 chunks 5 ms apart)");
    console.log(`  orchestration overhead per run (createAndPoll − upstream time): ${summary(overheads)}  target p50 ≤ 25 ms`);
    console.log(`  streaming first-token overhead (first textDelta − upstream first token): ${summary(firstTokenOverheads)}  target p50 ≤ 10 ms`);
    console.log(`  one run, 500 ms upstream: ${singleMs.toFixed(0)} ms`);
    console.log(`  ${concurrency} concurrent runs on ${concurrency} threads (create + long poll over HTTP), 500 ms upstream: ${completed}/${concurrency} completed in ${loadMs.toFixed(0)} ms = ${(loadMs / singleMs).toFixed(2)}× one run  target ≤ 2×`);
    console.log(`    (median of three bursts: ${measured.map((run) => `${run.completed}/${concurrency} in ${run.wallMs.toFixed(0)} ms = ${(run.wallMs / singleMs).toFixed(2)}×`).join(", ")})`);
    console.log(`    (first burst, with new connections and a cold JIT: ${cold.completed}/${concurrency} in ${cold.wallMs.toFixed(0)} ms = ${(cold.wallMs / singleMs).toFixed(2)}×, server CPU ${cold.serverCpuPerRun.toFixed(1)} ms per run)`);
    console.log(`  server CPU per run under that load: ${serverCpuPerRun.toFixed(1)} ms`);
    console.log(`  server RSS after the load: ${rss.toFixed(0)} MiB (idle after start: ${idleRss.toFixed(0)} MiB)`);
    console.log(`  (p50 overhead ${percentile(overheads, 0.5).toFixed(1)} ms; first-token p50 ${percentile(firstTokenOverheads, 0.5).toFixed(1)} ms)`);
  } finally {
    server.process.kill("SIGTERM");
    await server.exited;
    await upstream.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
