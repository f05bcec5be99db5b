import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { spawnSpool } from "../../src/testing/spawn-spool.js";

let upstream: ScriptedUpstream;
let dataDir: string;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-restart-"));
});

afterAll(async () => {
  await upstream?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function clientFor(url: string) {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
}

describe("crash and shutdown", () => {
  it("continues a run left in progress by kill -9 after restart, discarding the cut-off answer", async () => {
    const env = { SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url };
    const first = await spawnSpool(env);
    const client = clientFor(first.url);
    const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    upstream.enqueue({ text: "never finished", hang: true });
    const requestsBefore = upstream.chatRequests().length;
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await upstream.waitForChatRequests(requestsBefore + 1);
    expect((await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe("in_progress");
    // The answer has started: its message and step are written when the first text arrives.
    await expect.poll(async () => (await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data.length).toBe(1);
    first.process.kill("SIGKILL");
    await first.exited;

    upstream.enqueue({ text: "back again" });
    const second = await spawnSpool(env);
    try {
      const restarted = clientFor(second.url);
      const recovered = await restarted.beta.threads.runs.poll(run.id, { thread_id: thread.id });
      expect(recovered.status).toBe("completed");
      const messages = await restarted.beta.threads.messages.list(thread.id, { order: "asc" });
      expect(messages.data.map((message) => message.content[0]?.type === "text" && message.content[0].text.value)).toEqual(["hi", "back again"]);
      const steps = await restarted.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: "asc" });
      expect(steps.data.map((step) => step.status)).toEqual(["failed", "completed"]);
      expect(second.output()).toContain("continuing an interrupted run");
    } finally {
      second.process.kill("SIGTERM");
      await second.exited;
    }
  });

  it("lets an in-flight run finish on SIGTERM before exiting", async () => {
    const env = { SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url };
    const server = await spawnSpool(env);
    const client = clientFor(server.url);
    const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    upstream.enqueue({ text: "finished during shutdown", firstTokenDelayMs: 600 });
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await expect.poll(async () => (await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe("in_progress");
    server.process.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"runsHandedBack":0');
    // SQLite removes the WAL when the last connection closes: the database was closed, not abandoned.
    expect(fs.existsSync(path.join(dataDir, "spool.db-wal"))).toBe(false);

    const after = await spawnSpool(env);
    try {
      const finished = await clientFor(after.url).beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
      expect(finished.status).toBe("completed");
    } finally {
      after.process.kill("SIGTERM");
      await after.exited;
    }
  });

  it("hands a run that outlasts the shutdown timeout back, and the next start finishes it", async () => {
    const env = { SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_SHUTDOWN_TIMEOUT_MS: "100" };
    const server = await spawnSpool(env);
    const client = clientFor(server.url);
    const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    upstream.enqueue({ text: "cut off by the shutdown", hang: true });
    const requestsBefore = upstream.chatRequests().length;
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await upstream.waitForChatRequests(requestsBefore + 1);
    server.process.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"runsHandedBack":1');

    upstream.enqueue({ text: "finished after the restart" });
    const after = await spawnSpool(env);
    try {
      const finished = await clientFor(after.url).beta.threads.runs.poll(run.id, { thread_id: thread.id });
      expect(finished).toMatchObject({ status: "completed", last_error: null });
    } finally {
      after.process.kill("SIGTERM");
      await after.exited;
    }
  });
});
