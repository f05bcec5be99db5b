/**
 * Run-engine overhead against a scripted upstream with fixed latency, all figures from one run:
 * (1) createAndPoll wall time minus the upstream's own time, (2) streaming time-to-first-token overhead,
 * (3) 200 concurrent runs with a 500 ms upstream vs one run, (4) server RSS after that load.
 * The server runs as its own process (built from source via tsx), like in production.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { startScriptedUpstream } from "../src/testing/scripted-upstream.js";
import { spawnSpool } from "../src/testing/spawn-spool.js";
import { cpuMs, percentile, rssMiB, summary } from "./stats.js";

const firstTokenMs = 100;
const chunkDelayMs = 5;
const answer = ["The ", "answer ", "is ", "42."];

/**
 * The two requests `createAndRunPoll` makes (create, then the poll helper's long poll), over plain fetch:
 * on a 2-core machine the SDK's own CPU in the benchmark process would otherwise be what is measured.
 */
async function createAndRunPollOverHttp(baseUrl: string, assistantId: string, content: string): Promise<string> {
  const headers = { "content-type": "application/json", "openai-beta": "assistants=v2" };
  const created = await fetch(`${baseUrl}/v1/threads/runs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ assistant_id: assistantId, thread: { messages: [{ role: "user", content }] } }),
  });
  let run = (await created.json()) as { id: string; thread_id: string; status: string };
  while (["queued", "in_progress", "cancelling"].includes(run.status)) {
    const polled = await fetch(`${baseUrl}/v1/threads/${run.thread_id}/runs/${run.id}`, { headers: { ...headers, "x-stainless-poll-helper": "true" } });
    run = (await polled.json()) as typeof run;
  }
  return run.status;
}

export async function main(): Promise<void> {
  const upstream = await startScriptedUpstream({ defaultLatencyMs: firstTokenMs, chunkDelayMs });
  upstream.setResponder(() => ({ text: answer }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-bench-"));
  const server = await spawnSpool({ SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_LOG_LEVEL: "warn" }, { from: "build" });
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
    // The first burst also opens 200 client and 200 upstream connections and warms the JIT; the second
    // shows the steady state of a server that has been running.
    const cold = await burst();
    const { wallMs: loadMs, serverCpuPerRun, completed } = await burst();
    const rss = await rssMiB(server.process.pid ?? 0);

    console.log("core run engine (scripted upstream: first token 100 ms, 4 chunks 5 ms apart)");
    console.log(`  orchestration overhead per run (createAndPoll − upstream time): ${summary(overheads)}  target p50 ≤ 25 ms`);
    console.log(`  streaming first-token overhead (first textDelta − upstream first token): ${summary(firstTokenOverheads)}  target p50 ≤ 10 ms`);
    console.log(`  one run, 500 ms upstream: ${singleMs.toFixed(0)} ms`);
    console.log(`  ${concurrency} concurrent runs on ${concurrency} threads (create + long poll over HTTP), 500 ms upstream: ${completed}/${concurrency} completed in ${loadMs.toFixed(0)} ms = ${(loadMs / singleMs).toFixed(2)}× one run  target ≤ 2×`);
    console.log(`    (first burst, with new connections and a cold JIT: ${cold.completed}/${concurrency} in ${cold.wallMs.toFixed(0)} ms = ${(cold.wallMs / singleMs).toFixed(2)}×, server CPU ${cold.serverCpuPerRun.toFixed(1)} ms per run)`);
    console.log(`  server CPU per run under that load: ${serverCpuPerRun.toFixed(1)} ms`);
    console.log(`  server RSS after the load: ${rss.toFixed(0)} MiB`);
    console.log(`  (p50 overhead ${percentile(overheads, 0.5).toFixed(1)} ms; first-token p50 ${percentile(firstTokenOverheads, 0.5).toFixed(1)} ms)`);
  } finally {
    server.process.kill("SIGTERM");
    await server.exited;
    await upstream.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
