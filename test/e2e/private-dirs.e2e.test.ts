import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedAncestor } from "../../src/sandbox/sandbox-root.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { spawnSpool, type SpawnedSpool } from "../../src/testing/spawn-spool.js";

// A data dir under a folder only root may enter (as under /root) and a private TMPDIR (as `mktemp -d` or
// systemd's PrivateTmp give): the code interpreter still works, and the server leaves no temp dir behind.
const asRoot = process.getuid?.() === 0;
let upstream: ScriptedUpstream;
let spool: SpawnedSpool;
let privateHome: string;
let privateTmp: string;

beforeAll(async () => {
  if (!asRoot) return;
  upstream = await startScriptedUpstream();
  privateHome = fs.mkdtempSync(path.join(os.tmpdir(), "spool-private-home-"));
  privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), "spool-private-tmp-"));
  fs.chmodSync(privateHome, 0o700);
  fs.chmodSync(privateTmp, 0o700);
  spool = await spawnSpool({ SPOOL_DATA_DIR: path.join(privateHome, "data"), TMPDIR: privateTmp, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_UPSTREAM_RETRY_BASE_MS: "10" });
});

afterAll(async () => {
  if (spool?.process.exitCode === null) spool.process.kill("SIGKILL");
  await upstream?.close();
  for (const dir of [privateHome, privateTmp]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function logLines(): Record<string, unknown>[] {
  return spool
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.runIf(asRoot)("private data dir and TMPDIR", () => {
  it("runs code and removes its temp scratch dir on shutdown", async () => {
    expect(closedAncestor(path.join(privateHome, "data"))).toBe(privateHome);
    expect(logLines().filter((line) => String(line["message"]).startsWith("code_interpreter unavailable"))).toEqual([]);
    const scratch = logLines().find((line) => String(line["message"]).startsWith("code_interpreter scratch space is in a temp dir"));
    const sandboxDir = String(scratch?.["sandboxDir"]);
    expect(fs.existsSync(sandboxDir)).toBe(true);

    const client = new OpenAI({ baseURL: `${spool.url}/v1`, apiKey: "test-key", maxRetries: 0 });
    const assistant = await client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
    upstream.enqueue({ toolCalls: [{ name: "code_interpreter", arguments: { code: "print(6 * 7)" } }] }, { text: "42." });
    const run = await client.beta.threads.createAndRunPoll(
      { assistant_id: assistant.id, thread: { messages: [{ role: "user", content: "What is 6 × 7? Use Python." }] } },
      { pollIntervalMs: 20 },
    );
    expect(run.status).toBe("completed");
    const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: run.thread_id });
    expect(JSON.stringify(steps.data)).toContain('"logs":"42\\n"');

    spool.process.kill("SIGTERM");
    expect(await spool.exited).toBe(0);
    expect(fs.existsSync(sandboxDir)).toBe(false);
    expect(fs.readdirSync(privateTmp).filter((entry) => entry.startsWith("spool-"))).toEqual([]);
  });
});
