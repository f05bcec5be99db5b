import fs from "node:fs";
import path from "node:path";
import type OpenAI from "openai";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpoolCluster, type SpoolCluster } from "../../src/testing/spool-cluster.js";
import { freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../../src/testing/throwaway-postgres.js";

/**
 * Three Spool processes on one Postgres, as real processes killed with real signals. Process 0 serves
 * the API only (SPOOL_RUN_CONCURRENCY=0), so everything created or read through it runs on another one.
 */
let postgres: ThrowawayPostgres;
let upstream: ScriptedUpstream;
let cluster: SpoolCluster;
let databaseUrl: string;
let assistantId: string;

const terminal = new Set(["completed", "failed", "cancelled", "expired", "incomplete"]);
const leaseSeconds = 2;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  upstream = await startScriptedUpstream();
  databaseUrl = await freshDatabase(postgres, "cluster");
  cluster = await startSpoolCluster({
    size: 3,
    databaseUrl,
    upstreamUrl: upstream.url,
    env: { SPOOL_RUN_LEASE_SECONDS: String(leaseSeconds), SPOOL_SHUTDOWN_TIMEOUT_MS: "300" },
  });
  // Process 0 takes no runs: restart it as an API-only process.
  await cluster.stop(0, "SIGTERM");
  cluster = await withApiOnlyFirst(cluster);
  assistantId = (await cluster.client(0).beta.assistants.create({ model: "gpt-4o", name: "Cluster" })).id;
}, 120_000);

afterAll(async () => {
  // SPOOL_TEST_DUMP=dir keeps each process's log lines there, for a failure that needs them.
  const dump = process.env.SPOOL_TEST_DUMP;
  if (dump) for (const [index, member] of (cluster?.members ?? []).entries()) fs.writeFileSync(path.join(dump, `cluster-${index}.log`), member.output());
  await cluster?.close();
  await upstream?.close();
  await postgres?.stop();
});

async function withApiOnlyFirst(running: SpoolCluster): Promise<SpoolCluster> {
  const apiOnly = await startSpoolCluster({
    size: 1,
    databaseUrl,
    upstreamUrl: upstream.url,
    env: { SPOOL_RUN_LEASE_SECONDS: String(leaseSeconds), SPOOL_SHUTDOWN_TIMEOUT_MS: "300", SPOOL_RUN_CONCURRENCY: "0" },
  });
  running.members[0] = apiOnly.members[0]!;
  return running;
}

async function createRuns(client: OpenAI, count: number): Promise<{ threadId: string; runId: string }[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const thread = await client.beta.threads.create({ messages: [{ role: "user", content: `question ${index}` }] });
      const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistantId });
      return { threadId: thread.id, runId: run.id };
    }),
  );
}

/** Each run's status, read through `client`; errors (a process or the database restarting) read as "unreachable". */
async function statuses(client: () => OpenAI, runs: { threadId: string; runId: string }[]): Promise<string[]> {
  return Promise.all(
    runs.map(({ threadId, runId }) =>
      client()
        .beta.threads.runs.retrieve(runId, { thread_id: threadId })
        .then((run) => run.status as string, () => "unreachable"),
    ),
  );
}

async function leaseHolders(): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ lease_owner: string; runs: string }>(
      "select lease_owner, count(*) as runs from runs where status = 'in_progress' and lease_owner is not null group by lease_owner",
    );
    return new Map(rows.map((row) => [row.lease_owner, Number(row.runs)]));
  } finally {
    await client.end();
  }
}

describe("three Spool processes on one Postgres", () => {
  it("answers runs created through one process, polled, streamed and cancelled through others", async () => {
    upstream.setResponder((request) => ({ text: `Echo: ${JSON.stringify(request.body).length}`, firstTokenDelayMs: 100 }));
    const [created] = await createRuns(cluster.client(0), 1);
    const polled = await cluster.client(1).beta.threads.runs.poll(created!.runId, { thread_id: created!.threadId });
    expect(polled.status).toBe("completed");
    const messages = await cluster.client(2).beta.threads.messages.list(created!.threadId);
    expect(messages.data[0]?.content[0]).toMatchObject({ type: "text", text: { value: expect.stringMatching(/^Echo: /) } });

    // Streamed through the API-only process: every event comes from the process that executes the run.
    upstream.setResponder(() => ({ text: ["Streamed ", "across ", "processes."], chunkDelayMs: 20 }));
    const thread = await cluster.client(0).beta.threads.create({ messages: [{ role: "user", content: "stream" }] });
    const events: string[] = [];
    const stream = cluster.client(0).beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    stream.on("event", (event) => events.push(event.event));
    const finalText = (await stream.finalMessages()).at(-1)?.content[0];
    expect(finalText).toMatchObject({ text: { value: "Streamed across processes." } });
    expect(events.filter((event) => !event.endsWith(".delta"))).toEqual([
      "thread.run.created",
      "thread.run.queued",
      "thread.run.in_progress",
      "thread.run.step.created",
      "thread.run.step.in_progress",
      "thread.message.created",
      "thread.message.in_progress",
      "thread.message.completed",
      "thread.run.step.completed",
      "thread.run.completed",
    ]);
    expect(events.filter((event) => event === "thread.message.delta").length).toBeGreaterThan(0);

    // A model call that never ends stops only if the cancel reaches the process executing it.
    upstream.setResponder(() => ({ text: "never finishes", hang: true }));
    const [hanging] = await createRuns(cluster.client(0), 1);
    await expect.poll(async () => (await statuses(() => cluster.client(1), [hanging!]))[0]).toBe("in_progress");
    await cluster.client(2).beta.threads.runs.cancel(hanging!.runId, { thread_id: hanging!.threadId });
    const cancelled = await cluster.client(1).beta.threads.runs.poll(hanging!.runId, { thread_id: hanging!.threadId });
    expect(cancelled.status).toBe("cancelled");
  });

  it("accepts exactly one of concurrent runs created on one thread through different processes", async () => {
    upstream.setResponder(() => ({ text: "held", hang: true }));
    for (let round = 0; round < 8; round += 1) {
      const thread = await cluster.client(0).beta.threads.create();
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) => cluster.client(index % 3).beta.threads.runs.create(thread.id, { assistant_id: assistantId })),
      );
      const accepted = attempts.flatMap((attempt) => (attempt.status === "fulfilled" ? [attempt.value] : []));
      expect(accepted).toHaveLength(1);
      for (const attempt of attempts) {
        if (attempt.status === "rejected") expect(attempt.reason).toMatchObject({ status: 400, message: expect.stringContaining("already has an active run") });
      }
      await cluster.client(1).beta.threads.runs.cancel(accepted[0]!.id, { thread_id: thread.id });
    }
  });

  it("finishes every in-flight run after kill -9 of the process executing them", async () => {
    upstream.setResponder(() => ({ text: Array.from({ length: 40 }, (_, index) => `part ${index} `), chunkDelayMs: 50 }));
    const runs = await createRuns(cluster.client(0), 20);
    await expect.poll(async () => (await statuses(() => cluster.client(0), runs)).every((status) => status === "in_progress"), { timeout: 20_000 }).toBe(true);
    // Kill the process that holds the most runs (the claims race, so it is not known in advance).
    const holders = await leaseHolders();
    const [busiest] = [...holders.entries()].sort((a, b) => b[1] - a[1]);
    const victim = cluster.members.findIndex((member) => busiest![0].includes(`:${member.process.pid}:`));
    expect(victim).toBeGreaterThan(0);
    const killedAt = performance.now();
    await cluster.stop(victim, "SIGKILL");
    await expect
      .poll(async () => (await statuses(() => cluster.client(0), runs)).every((status) => terminal.has(status)), { timeout: 60_000, interval: 200 })
      .toBe(true);
    const takeOverMs = performance.now() - killedAt;
    expect(await statuses(() => cluster.client(0), runs)).toEqual(runs.map(() => "completed"));
    // The victim's answers were cut off mid-stream: their partial step failed and the answer was made again.
    const steps = await Promise.all(runs.map(({ threadId, runId }) => cluster.client(0).beta.threads.runs.steps.list(runId, { thread_id: threadId, order: "asc" })));
    // (Runs still waiting for their first token had written no step yet: they simply start their turn again.)
    const redone = steps.filter((page) => page.data.some((step) => step.status === "failed"));
    expect(redone.length).toBeGreaterThan(0);
    expect(redone.length).toBeLessThanOrEqual(busiest![1]);
    for (const page of redone) expect(page.data.at(-1)?.status).toBe("completed");
    console.log(`kill -9: ${busiest![1]} of 20 runs taken over; all 20 completed ${Math.round(takeOverMs)} ms after the kill (lease ${leaseSeconds} s)`);
    await cluster.start(victim);
  }, 90_000);

  it("loses no run during a rolling SIGTERM restart of every process under a steady flow of runs", async () => {
    upstream.setResponder(() => ({ text: Array.from({ length: 6 }, (_, index) => `chunk ${index} `), chunkDelayMs: 40 }));
    const created: { threadId: string; runId: string }[] = [];
    let restarting = -1;
    let producing = true;
    const producer = (async () => {
      for (let index = 0; producing; index += 1) {
        const member = [0, 1, 2].filter((candidate) => candidate !== restarting)[index % 2]!;
        try {
          created.push(...(await createRuns(cluster.client(member), 1)));
        } catch {
          // The member was just told to stop; the next iteration picks another one.
        }
      }
    })();
    for (const index of [1, 2, 0]) {
      restarting = index;
      await cluster.stop(index, "SIGTERM");
      if (index === 0) cluster = await withApiOnlyFirst(cluster);
      else await cluster.start(index);
      restarting = -1;
    }
    producing = false;
    await producer;
    const live = () => cluster.client(0);
    await expect.poll(async () => (await statuses(live, created)).every((status) => terminal.has(status)), { timeout: 60_000, interval: 200 }).toBe(true);
    const final = await statuses(live, created);
    console.log(`rolling restart: ${created.length} runs created, ${final.filter((status) => status === "completed").length} completed, ${final.filter((status) => status === "failed").length} failed`);
    expect(created.length).toBeGreaterThan(10);
    expect(final).toEqual(created.map(() => "completed"));
  }, 120_000);

  it("carries on when the database restarts in the middle of runs, answering 503 while it is down", async () => {
    upstream.setResponder(() => ({ text: Array.from({ length: 40 }, (_, index) => `piece ${index} `), chunkDelayMs: 50 }));
    const runs = await createRuns(cluster.client(0), 10);
    await expect.poll(async () => (await statuses(() => cluster.client(0), runs)).every((status) => status === "in_progress"), { timeout: 20_000 }).toBe(true);
    await postgres.restart(async () => {
      expect((await fetch(`${cluster.members[1]!.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${cluster.members[1]!.url}/healthz`)).status).toBe(200);
      await expect(cluster.client(0).beta.assistants.list()).rejects.toMatchObject({ status: 503 });
    });
    await expect.poll(async () => (await fetch(`${cluster.members[1]!.url}/readyz`)).status, { timeout: 20_000 }).toBe(200);
    await expect
      .poll(async () => (await statuses(() => cluster.client(0), runs)).every((status) => terminal.has(status)), { timeout: 60_000, interval: 200 })
      .toBe(true);
    expect(await statuses(() => cluster.client(0), runs)).toEqual(runs.map(() => "completed"));
  }, 120_000);
});
