import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBubblewrapSandbox } from "../../src/sandbox/bubblewrap/bubblewrap-sandbox.js";
import { startScriptedUpstream, type RecordedRequest, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../src/testing/throwaway-postgres.js";

// Two Spool processes (in-process servers with their own data dirs) on one Postgres and no shared disk.
let postgres: ThrowawayPostgres;
let upstream: ScriptedUpstream;

const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-shared-probe-"));
const probe = await createBubblewrapSandbox({ rootDir: probeDir });
const sandboxAvailable = probe.status.available;
await probe.close();
fs.rmSync(probeDir, { recursive: true, force: true });

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  upstream = await startScriptedUpstream();
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await postgres?.stop();
});

const startProcess = () => startSpool({ upstreamUrl: upstream.url, env: { SPOOL_DATABASE_URL: postgres.url } });

async function contentOf(client: OpenAI, fileId: string): Promise<Buffer> {
  return Buffer.from(await (await client.files.content(fileId)).arrayBuffer());
}

describe("two processes on one Postgres", () => {
  it("serve a file uploaded through one from the other, and delete it for both", async () => {
    const [a, b] = await Promise.all([startProcess(), startProcess()]);
    try {
      // Several database chunks, with a pattern that shows a misplaced one.
      const bytes = Buffer.from(Array.from({ length: 3.5 * 1024 * 1024 }, (_, index) => (index * 7) % 251));
      const uploaded = await a.client().files.create({ file: await toFile(bytes, "data.bin"), purpose: "assistants" });
      expect(uploaded.bytes).toBe(bytes.byteLength);
      expect((await contentOf(b.client(), uploaded.id)).equals(bytes)).toBe(true);

      await b.client().files.delete(uploaded.id);
      await expect(a.client().files.content(uploaded.id)).rejects.toMatchObject({ status: 404 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it.skipIf(!sandboxAvailable)("give a thread's next run, on another process, the files its code wrote", async () => {
    // The model runs the code the user's message asks for, then repeats what it printed.
    upstream.setResponder((request: RecordedRequest) => {
      const messages = (request.body as { messages: { role: string; content: unknown }[] }).messages;
      const last = messages.at(-1);
      if (last?.role === "tool") return { text: `Done: ${String(last.content).trim()}` };
      const code = last?.role === "user" && String(JSON.stringify(last.content)).includes("write")
        ? "open('/mnt/data/x.txt', 'w').write('written on A: ' + open('/mnt/data/input.csv').read().strip())"
        : "print(open('/mnt/data/x.txt').read())";
      return { toolCalls: [{ name: "code_interpreter", arguments: { code } }] };
    });
    let spool: StartedSpool = await startProcess();
    let threadId = "";
    let assistantId = "";
    try {
      const client = spool.client();
      const input = await client.files.create({ file: await toFile(Buffer.from("a,b\n"), "input.csv"), purpose: "assistants" });
      const assistant = await client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
      assistantId = assistant.id;
      const thread = await client.beta.threads.create({
        messages: [{ role: "user", content: "Please write the file.", attachments: [{ file_id: input.id, tools: [{ type: "code_interpreter" }] }] }],
      });
      threadId = thread.id;
      const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 20 });
      expect(run.last_error).toBeNull();
      expect(run.status).toBe("completed");
    } finally {
      // A is gone, its Python session with it: the next run can only have x.txt from the database.
      await spool.close();
    }

    spool = await startProcess();
    try {
      const client = spool.client();
      await client.beta.threads.messages.create(threadId, { role: "user", content: "Now read it back." });
      const run = await client.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId }, { pollIntervalMs: 20 });
      expect(run.last_error).toBeNull();
      expect(run.status).toBe("completed");
      const [answer] = (await client.beta.threads.messages.list(threadId, { order: "desc", limit: 1 })).data;
      expect(answer?.content[0]).toMatchObject({ type: "text", text: { value: "Done: written on A: a,b" } });
    } finally {
      await spool.close();
    }
  });
});
