import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { UnavailableSandbox } from "../../src/sandbox/unavailable-sandbox.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";

// A host where the sandbox cannot run (detecting that is the sandbox's own tested job): the server starts,
// says why once, and fails runs that need code_interpreter.
let upstream: ScriptedUpstream;
let server: RunningServer;
let client: OpenAI;
let dataDir: string;
const logLines: { level: string; message: string }[] = [];

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-no-sandbox-"));
  server = await startServer(
    loadConfig({ SPOOL_PORT: "0", SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: upstream.url, SPOOL_UPSTREAM_RETRY_BASE_MS: "10" }),
    {
      logger: createLogger("warn", (line) => logLines.push(JSON.parse(line) as { level: string; message: string })),
      sandbox: new UnavailableSandbox("bubblewrap (bwrap) is not installed"),
    },
  );
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "test-key", maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("code_interpreter without a sandbox", () => {
  it("logs the reason once at startup and fails runs that have the tool with a clear last_error", async () => {
    const warnings = logLines.filter((line) => line.message.startsWith("code_interpreter unavailable: "));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe("warn");

    const assistant = await client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "Compute 2 + 2 with code." }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 20 });
    expect(run.status).toBe("failed");
    expect(run.last_error?.message).toMatch(/^The code_interpreter tool is not available on this server: /);
    expect(run.last_error?.message).toContain(warnings[0]?.message.slice("code_interpreter unavailable: ".length));
    expect(upstream.chatRequests()).toHaveLength(0);

    // Assistants without the tool are unaffected.
    const plain = await client.beta.assistants.create({ model: "gpt-4o" });
    const answered = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: plain.id }, { pollIntervalMs: 20 });
    expect(answered.status).toBe("completed");
  });

  it("fails responses that have the tool with the same clear error", async () => {
    const before = upstream.chatRequests().length;
    const response = await client.responses.create({ model: "gpt-4o", input: "Compute 2 + 2 with code.", tools: [{ type: "code_interpreter", container: { type: "auto" } }] });
    expect(response.status).toBe("failed");
    expect(response.error?.message).toMatch(/^The code_interpreter tool is not available on this server: bubblewrap \(bwrap\) is not installed/);
    expect(upstream.chatRequests()).toHaveLength(before);
  });
});
