/**
 * Many processes on one Postgres, side by side with SQLite, all figures from one run: per-run overhead and
 * throughput with 1, 2 and 3 processes, wake-up latency (create → the model is called), time to first
 * token as an app sees it, server CPU per run, event-log and claim rates, and take-over time after kill -9.
 * Servers run from `dist/` as their own processes; the scripted upstream has a fixed latency.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import pg from "pg";
import { startScriptedUpstream, type ScriptedUpstream } from "../src/testing/scripted-upstream.js";
import { spawnSpool, type SpawnedSpool } from "../src/testing/spawn-spool.js";
import { freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../src/testing/throwaway-postgres.js";
import { requestJson } from "./http-json.js";
import { cpuMs, percentile, summary } from "./stats.js";

const firstTokenMs = 100;
const chunkDelayMs = 5;
const answer = ["The ", "answer ", "is ", "42."];
const upstreamOwnMs = firstTokenMs + chunkDelayMs * answer.length;
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 256 });

type RunView = { id: string; thread_id: string; status: string };

const headers = { "content-type": "application/json", "openai-beta": "assistants=v2" };

/** `createAndRunPoll` as two raw requests: create through `createUrl`, long poll through `pollUrl`. */
async function createAndPoll(createUrl: string, pollUrl: string, assistantId: string, content: string): Promise<string> {
  const body = JSON.stringify({ assistant_id: assistantId, thread: { messages: [{ role: "user", content }] } });
  let run = await requestJson<RunView>(keepAlive, `${createUrl}/v1/threads/runs`, "POST", headers, body);
  while (["queued", "in_progress", "cancelling"].includes(run.status)) {
    run = await requestJson<RunView>(keepAlive, `${pollUrl}/v1/threads/${run.thread_id}/runs/${run.id}`, "GET", { ...headers, "x-stainless-poll-helper": "true" });
  }
  return run.status;
}

interface Deployment {
  name: string;
  members: SpawnedSpool[];
  databaseUrl?: string;
  close(): Promise<void>;
}

async function deploy(name: string, upstream: ScriptedUpstream, postgres: ThrowawayPostgres, processes: number | "sqlite", env: Record<string, string> = {}): Promise<Deployment> {
  const dataDirs = Array.from({ length: processes === "sqlite" ? 1 : processes }, () => fs.mkdtempSync(path.join(os.tmpdir(), "spool-bench-")));
  const databaseUrl = processes === "sqlite" ? undefined : await freshDatabase(postgres, "bench");
  const members: SpawnedSpool[] = [];
  for (const dataDir of dataDirs) {
    members.push(
      await spawnSpool(
        { SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_LOG_LEVEL: "warn", ...(databaseUrl ? { SPOOL_DATABASE_URL: databaseUrl } : {}), ...env },
        { from: "build" },
      ),
    );
  }
  return {
    name,
    members,
    ...(databaseUrl ? { databaseUrl } : {}),
    async close() {
      for (const member of members) {
        if (member.process.exitCode === null && member.process.signalCode === null) member.process.kill("SIGTERM");
        await member.exited;
      }
      for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function countRunEvents(databaseUrl: string | undefined): Promise<number> {
  if (!databaseUrl) return 0;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>("select count(*) from run_events")).rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

async function measure(deployment: Deployment, upstream: ScriptedUpstream) {
  const urls = deployment.members.map((member) => member.url);
  const client = (index: number) => new OpenAI({ baseURL: `${urls[index % urls.length]}/v1`, apiKey: "bench", maxRetries: 0, timeout: 120_000 });
  const assistant = await client(0).beta.assistants.create({ model: "gpt-4o", instructions: "Be brief." });
  for (let index = 0; index < 10; index += 1) await createAndPoll(urls[index % urls.length]!, urls[(index + 1) % urls.length]!, assistant.id, "warm up");

  // Overhead: create through one process, long poll through the next (another process when there are several).
  const overheads: number[] = [];
  for (let index = 0; index < 40; index += 1) {
    const started = performance.now();
    const status = await createAndPoll(urls[index % urls.length]!, urls[(index + 1) % urls.length]!, assistant.id, `question ${index}`);
    if (status !== "completed") throw new Error(`run ended ${status}`);
    overheads.push(performance.now() - started - upstreamOwnMs);
  }

  // Wake-up: from the create response to the moment the model is called, on an otherwise idle deployment.
  const wakeUps: number[] = [];
  for (let index = 0; index < 30; index += 1) {
    const before = upstream.chatRequests().length;
    const body = JSON.stringify({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: `wake ${index}` }] } });
    const run = await requestJson<RunView>(keepAlive, `${urls[index % urls.length]}/v1/threads/runs`, "POST", headers, body);
    const created = Date.now();
    const [request] = (await upstream.waitForChatRequests(before + 1)).slice(before);
    wakeUps.push(request!.receivedAt - created);
    await requestJson<RunView>(keepAlive, `${urls[0]}/v1/threads/${run.thread_id}/runs/${run.id}`, "GET", { ...headers, "x-stainless-poll-helper": "true" });
  }

  // Time to first token as an app sees it, minus the same for a chat completion streamed straight from the upstream.
  const direct = new OpenAI({ baseURL: upstream.url, apiKey: "bench", maxRetries: 0 });
  const firstTokens: number[] = [];
  for (let index = 0; index < 30; index += 1) {
    let started = performance.now();
    const completion = await direct.chat.completions.create({ model: "gpt-4o", stream: true, messages: [{ role: "user", content: "direct" }] });
    let directMs = 0;
    for await (const chunk of completion) if (!directMs && chunk.choices[0]?.delta.content) directMs = performance.now() - started;
    started = performance.now();
    let spoolMs = 0;
    const stream = client(index).beta.threads.createAndRunStream({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: `stream ${index}` }] } });
    stream.on("textDelta", () => (spoolMs ||= performance.now() - started));
    await stream.finalRun();
    firstTokens.push(spoolMs - directMs);
  }

  // Throughput: 400 runs, 100 in flight at a time, spread over the processes.
  const total = 400;
  const inFlight = 100;
  const pids = deployment.members.map((member) => member.process.pid ?? 0);
  const cpuBefore = await Promise.all(pids.map(cpuMs));
  const eventsBefore = await countRunEvents(deployment.databaseUrl);
  let next = 0;
  let completed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let index = next++; index < total; index = next++) {
        if ((await createAndPoll(urls[index % urls.length]!, urls[(index + 1) % urls.length]!, assistant.id, `load ${index}`)) === "completed") completed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await Promise.all(pids.map(cpuMs));
  const cpuPerRun = cpuAfter.reduce((sum, value, index) => sum + value - cpuBefore[index]!, 0) / total;
  const events = (await countRunEvents(deployment.databaseUrl)) - eventsBefore;
  return { overheads, wakeUps, firstTokens, runsPerSecond: completed / seconds, completed, total, cpuPerRun, eventsPerSecond: events / seconds, eventsPerRun: events / total };
}

/** kill -9 of the process holding the runs: how long until another process has finished them all. */
async function takeOver(upstream: ScriptedUpstream, postgres: ThrowawayPostgres, leaseSeconds: number) {
  const env = { SPOOL_RUN_LEASE_SECONDS: String(leaseSeconds) };
  const deployment = await deploy("takeover", upstream, postgres, 1, env);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-bench-"));
  let survivor: SpawnedSpool | undefined;
  try {
    const [victim] = deployment.members;
    // Answers long enough to be mid-stream when the first process dies, whatever its start-up took.
    upstream.setResponder(() => ({ text: Array.from({ length: 200 }, (_, index) => `part ${index} `), chunkDelayMs: 25 }));
    const client = new OpenAI({ baseURL: `${victim!.url}/v1`, apiKey: "bench", maxRetries: 0 });
    const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
    // All runs start on the first process; the second joins afterwards, so it holds none when the first dies.
    const runs = await Promise.all(
      Array.from({ length: 10 }, () => client.beta.threads.createAndRun({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: "long" }] } })),
    );
    const allInProgress = async () => (await Promise.all(runs.map((run) => client.beta.threads.runs.retrieve(run.id, { thread_id: run.thread_id })))).every((run) => run.status === "in_progress");
    while (!(await allInProgress())) await new Promise((resolve) => setTimeout(resolve, 20));
    survivor = await spawnSpool(
      { SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_LOG_LEVEL: "warn", SPOOL_DATABASE_URL: deployment.databaseUrl!, ...env },
      { from: "build" },
    );
    const requestsBefore = upstream.chatRequests().length;
    const killedAt = performance.now();
    victim!.process.kill("SIGKILL");
    await victim!.exited;
    // Taken over once the survivor calls the model again for every run.
    await upstream.waitForChatRequests(requestsBefore + runs.length, 120_000);
    const takeOverMs = performance.now() - killedAt;
    const survivorClient = new OpenAI({ baseURL: `${survivor.url}/v1`, apiKey: "bench", maxRetries: 0 });
    for (const run of runs) {
      const finished = await survivorClient.beta.threads.runs.poll(run.id, { thread_id: run.thread_id });
      if (finished.status !== "completed") throw new Error(`taken-over run ended ${finished.status}`);
    }
    return { leaseSeconds, takeOverMs, allDoneMs: performance.now() - killedAt, answerMs: 200 * 25 };
  } finally {
    upstream.setResponder(() => ({ text: answer }));
    survivor?.process.kill("SIGTERM");
    await survivor?.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    await deployment.close();
  }
}

export async function main(): Promise<void> {
  const postgres = await startThrowawayPostgres();
  const upstream = await startScriptedUpstream({ defaultLatencyMs: firstTokenMs, chunkDelayMs });
  upstream.setResponder(() => ({ text: answer }));
  try {
    const rows: string[] = [];
    for (const [name, processes] of [["SQLite, 1 process", "sqlite"], ["Postgres, 1 process", 1], ["Postgres, 2 processes", 2], ["Postgres, 3 processes", 3]] as const) {
      const deployment = await deploy(name, upstream, postgres, processes);
      try {
        const result = await measure(deployment, upstream).catch((error: unknown) => {
          // Whatever failed, the servers' last lines say more than the client's error.
          for (const member of deployment.members) console.error(member.output().split("\n").slice(-15).join("\n"));
          throw error;
        });
        rows.push(
          `| ${name} | ${result.runsPerSecond.toFixed(0)} (${result.completed}/${result.total}) | ${percentile(result.overheads, 0.5).toFixed(1)} / ${percentile(result.overheads, 0.95).toFixed(1)} ms | ` +
            `${percentile(result.wakeUps, 0.5).toFixed(1)} / ${percentile(result.wakeUps, 0.95).toFixed(1)} ms | ${percentile(result.firstTokens, 0.5).toFixed(1)} / ${percentile(result.firstTokens, 0.95).toFixed(1)} ms | ` +
            `${result.cpuPerRun.toFixed(1)} ms | ${result.eventsPerSecond.toFixed(0)} (${result.eventsPerRun.toFixed(1)}/run) |`,
        );
        console.log(`${name}: overhead ${summary(result.overheads)}; wake-up ${summary(result.wakeUps)}; first token ${summary(result.firstTokens)}`);
      } finally {
        await deployment.close();
      }
    }
    const takenOver = await takeOver(upstream, postgres, 5);
    console.log("\ncluster (scripted upstream: first token 100 ms, 4 chunks 5 ms apart; throughput: 400 runs, 100 in flight, create and long poll through different processes)");
    console.log("| deployment | runs/s | overhead p50 / p95 | wake-up p50 / p95 (create → model called) | first-token overhead p50 / p95 | server CPU per run (all processes) | run-event log entries/s |");
    console.log("|---|---|---|---|---|---|---|");
    for (const row of rows) console.log(row);
    console.log(
      `kill -9 with 10 runs in flight (SPOOL_RUN_LEASE_SECONDS=${takenOver.leaseSeconds}, each answer takes ${takenOver.answerMs} ms): ` +
        `all 10 taken over ${(takenOver.takeOverMs / 1000).toFixed(2)} s after the kill, all completed after ${(takenOver.allDoneMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await upstream.close();
    await postgres.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
