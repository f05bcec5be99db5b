/**
 * Responses API overhead against a scripted upstream with fixed latency, with the targets of runs:
 * (1) `responses.create` wall time minus the upstream's own time, (2) streaming time-to-first-token
 * overhead (first `response.output_text.delta` minus the upstream's first text chunk), each for a
 * stateless response and for one on a conversation. The server runs as its own process from `dist/`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { startScriptedUpstream } from "../src/testing/scripted-upstream.js";
import { spawnSpool } from "../src/testing/spawn-spool.js";
import { summary } from "./stats.js";

const firstTokenMs = 100;
const chunkDelayMs = 5;
const answer = ["The ", "answer ", "is ", "42."];
const samples = 40;

export async function main(): Promise<void> {
  const upstream = await startScriptedUpstream({ defaultLatencyMs: firstTokenMs, chunkDelayMs });
  upstream.setResponder(() => ({ text: answer }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-bench-"));
  const server = await spawnSpool({ SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_LOG_LEVEL: "warn" }, { from: "build" });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "bench", maxRetries: 0, timeout: 120_000 });
  const upstreamOwnMs = firstTokenMs + chunkDelayMs * answer.length;
  try {
    // Warm up JIT, database and connections.
    for (let index = 0; index < 5; index += 1) await client.responses.create({ model: "gpt-4o", input: "warm up" });

    const conversation = await client.conversations.create({});
    for (const [label, where] of [["stateless", {}], ["on a conversation", { conversation: conversation.id }]] as const) {
      const overheads: number[] = [];
      for (let index = 0; index < samples; index += 1) {
        const started = performance.now();
        const response = await client.responses.create({ model: "gpt-4o", instructions: "Be brief.", input: `question ${index}`, ...where });
        if (response.status !== "completed") throw new Error(`response ended ${response.status}`);
        overheads.push(performance.now() - started - upstreamOwnMs);
      }
      const firstTokenOverheads: number[] = [];
      for (let index = 0; index < samples; index += 1) {
        const before = upstream.chatRequests().length;
        let firstDeltaAt = 0;
        const stream = client.responses.stream({ model: "gpt-4o", input: `stream ${index}`, ...where });
        stream.on("response.output_text.delta", () => {
          firstDeltaAt ||= Date.now();
        });
        await stream.finalResponse();
        const request = upstream.chatRequests()[before];
        if (!request) throw new Error("upstream request not recorded");
        // The upstream sends its first text chunk one chunk delay after the first-token latency.
        firstTokenOverheads.push(firstDeltaAt - (request.receivedAt + firstTokenMs + chunkDelayMs));
      }
      console.log(`responses ${label}: overhead per response (create − upstream's ${upstreamOwnMs} ms): ${summary(overheads)} (target p50 ≤ 25 ms)`);
      console.log(`responses ${label}: time-to-first-token overhead: ${summary(firstTokenOverheads)} (target p50 ≤ 10 ms)`);
    }
  } finally {
    server.process.kill("SIGTERM");
    await server.exited;
    await upstream.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
