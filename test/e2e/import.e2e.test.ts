import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assistantObject,
  citedAnswer,
  fixtureIds,
  originalFiles,
  plotAnswer,
  threadRecord,
  writeFixtureExport,
} from "../../src/testing/assistants-export-fixture.js";
import { exportContents } from "../../src/testing/export-contents.js";
import { startScriptedUpstream, type RecordedRequest, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { runSpoolCommand, startSpoolCommand } from "../../src/testing/spool-command.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { writeSyntheticExport } from "../../src/testing/synthetic-export.js";
import { throwawayPostgresForFile } from "../../src/testing/postgres-for-file.js";

type Json = Record<string, unknown>;

const postgres = throwawayPostgresForFile();
let upstream: ScriptedUpstream;
beforeAll(async () => {
  upstream = await startScriptedUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

const temporary = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The settings of a fresh Spool: its own data dir, and for Postgres its own database. */
async function freshSettings(backend: "SQLite" | "Postgres"): Promise<Record<string, string>> {
  const settings: Record<string, string> = { SPOOL_DATA_DIR: temporary("spool-data-") };
  if (backend === "Postgres") settings.SPOOL_DATABASE_URL = await postgres.freshDatabase("imported");
  return settings;
}

/** What the model was sent, as role and text. */
function conversationOf(request: RecordedRequest): { role: string; text: string }[] {
  return (request.body.messages as { role: string; content: unknown }[]).map(({ role, content }) => ({
    role,
    text: typeof content === "string" ? content : (content as { type: string; text?: string }[]).map((part) => part.text ?? "").join(""),
  }));
}

describe.each(["SQLite", "Postgres"] as const)("an app moving from OpenAI to Spool on %s", (backend) => {
  let settings: Record<string, string>;
  let spool: StartedSpool;
  let client: OpenAI;

  beforeAll(async () => {
    settings = await freshSettings(backend);
  });
  afterAll(async () => {
    await spool?.close();
  });

  it("imports the export with `spool import`, and the server serves every object as the hosted API did", async () => {
    const directory = temporary("spool-export-");
    const originals = temporary("spool-originals-");
    writeFixtureExport(directory, { originalsDirectory: originals });
    const imported = await runSpoolCommand(["import", directory, "--files", originals], settings);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("run_fix002 in thread_fix001 (was requires_action)");

    spool = await startSpool({ upstreamUrl: upstream.url, dataDir: settings.SPOOL_DATA_DIR!, env: settings });
    client = spool.client();
    const record = threadRecord();
    expect(await client.beta.assistants.retrieve(fixtureIds.assistant)).toEqual(assistantObject());
    expect(await client.beta.threads.retrieve(fixtureIds.thread)).toEqual(record.thread);
    expect((await client.beta.threads.messages.list(fixtureIds.thread, { order: "asc" })).data).toEqual(record.messages);
    const { steps, ...completedRun } = (record.runs as Json[])[0]!;
    expect(await client.beta.threads.runs.retrieve(fixtureIds.completedRun, { thread_id: fixtureIds.thread })).toEqual(completedRun);
    expect((await client.beta.threads.runs.steps.list(fixtureIds.completedRun, { thread_id: fixtureIds.thread, order: "asc" })).data).toEqual(
      (steps as Json[]).map((step) => ({ ...step, metadata: {} })),
    );
    expect(await client.beta.threads.runs.retrieve(fixtureIds.liveRun, { thread_id: fixtureIds.thread })).toMatchObject({ status: "expired", required_action: null });
    expect(Buffer.from(await (await client.files.content("file-sales1")).arrayBuffer()).toString()).toBe(originalFiles["sales.csv"]);
    // The server's ingestion picks up the file the import queued in the thread's recreated vector store.
    await expect
      .poll(async () => (await client.vectorStores.files.retrieve("file-report1", { vector_store_id: fixtureIds.threadStore })).status, { timeout: 20_000 })
      .toBe("completed");
  });

  it("continues the imported thread with the imported assistant through the official SDK, the model seeing the history", async () => {
    await client.beta.threads.messages.create(fixtureIds.thread, { role: "user", content: "And how did the fourth quarter go?" });
    upstream.enqueue({ text: "The fourth quarter was flat." });
    const before = upstream.chatRequests().length;
    const run = await client.beta.threads.runs.createAndPoll(fixtureIds.thread, { assistant_id: fixtureIds.assistant });
    expect(run).toMatchObject({ status: "completed", assistant_id: fixtureIds.assistant, instructions: assistantObject().instructions });
    const request = upstream.chatRequests()[before]!;
    expect(conversationOf(request)).toEqual([
      { role: "system", text: expect.stringContaining(String(assistantObject().instructions)) },
      { role: "user", text: "Plot my sales data" },
      { role: "assistant", text: plotAnswer },
      { role: "user", text: "What does the report say about revenue?" },
      { role: "assistant", text: citedAnswer },
      { role: "user", text: "Look up customer 42" },
      { role: "user", text: "And how did the fourth quarter go?" },
    ]);
    const [answer] = (await client.beta.threads.messages.list(fixtureIds.thread, { limit: 1 })).data;
    expect(answer).toMatchObject({ role: "assistant", run_id: run.id, content: [{ type: "text", text: { value: "The fourth quarter was flat." } }] });
  });

  it("exports while the server runs, and that export imported into a fresh Spool exports the same again", async () => {
    const first = temporary("spool-export-");
    const exported = await runSpoolCommand(["export", first, "--all"], settings);
    expect(exported.code, exported.stderr).toBe(0);
    const elsewhere = await freshSettings(backend);
    const imported = await runSpoolCommand(["import", first], elsewhere);
    expect(imported.code, imported.stderr).toBe(0);
    const second = temporary("spool-export-");
    expect((await runSpoolCommand(["export", second, "--all"], elsewhere)).code).toBe(0);
    const contents = exportContents(first);
    expect(contents[path.join("files", "file-sales1", "sales.csv")]).toBe(originalFiles["sales.csv"]);
    expect(exportContents(second)).toEqual(contents);
  });
});

describe("spool import beside a running server (SQLite)", () => {
  it("imports while the server keeps answering its own requests", async () => {
    const settings = await freshSettings("SQLite");
    const directory = temporary("spool-export-");
    writeSyntheticExport(directory, { threads: 300, messagesPerThread: 20 });
    const spool = await startSpool({ upstreamUrl: upstream.url, dataDir: settings.SPOOL_DATA_DIR!, env: settings });
    try {
      const client = spool.client();
      const command = startSpoolCommand(["import", directory], settings);
      let done = false;
      const finished = command.finished.then((result) => {
        done = true;
        return result;
      });
      const failures: string[] = [];
      let requests = 0;
      // The app's traffic, for as long as the import runs: every request must succeed.
      while (!done) {
        try {
          const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "hello" }] });
          await client.beta.threads.messages.create(thread.id, { role: "user", content: "still there?" });
          requests += 2;
        } catch (error) {
          failures.push(String(error));
        }
      }
      const result = await finished;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("threads     300 added");
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(0);
      expect((await client.beta.threads.messages.list("thread_syn00000299", { order: "asc" })).data).toHaveLength(20);
    } finally {
      await spool.close();
    }
  });
});

describe("spool import and export --project", () => {
  it("imports into the named project, seen only with that project's keys, and exports from it", async () => {
    const adminKey = "sk-admin-import";
    const settings: Record<string, string> = { ...(await freshSettings("SQLite")), SPOOL_ADMIN_KEY: adminKey, SPOOL_API_KEYS: "sk-default-project" };
    const spool = await startSpool({ upstreamUrl: upstream.url, dataDir: settings.SPOOL_DATA_DIR!, env: settings });
    try {
      const admin = async (requestPath: string, body: unknown) => {
        const response = await fetch(`${spool.url}/v1/organization${requestPath}`, {
          method: "POST",
          headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        return (await response.json()) as Json;
      };
      const project = await admin("/projects", { name: "Migrated team" });
      const account = await admin(`/projects/${String(project.id)}/service_accounts`, { name: "importer" });
      const teamClient = spool.client({ apiKey: (account.api_key as { value: string }).value });
      const defaultClient = spool.client({ apiKey: "sk-default-project" });

      const directory = temporary("spool-export-");
      writeFixtureExport(directory);
      const unknown = await runSpoolCommand(["import", directory, "--project", "proj_nope"], settings);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("spool import: there is no project 'proj_nope'");
      const imported = await runSpoolCommand(["import", directory, "--project", String(project.id)], settings);
      expect(imported.code, imported.stderr).toBe(0);

      expect((await teamClient.beta.assistants.retrieve(fixtureIds.assistant)).id).toBe(fixtureIds.assistant);
      expect((await teamClient.beta.threads.retrieve(fixtureIds.thread)).id).toBe(fixtureIds.thread);
      await expect(defaultClient.beta.assistants.retrieve(fixtureIds.assistant)).rejects.toMatchObject({ status: 404 });
      await expect(defaultClient.beta.threads.retrieve(fixtureIds.thread)).rejects.toMatchObject({ status: 404 });

      const fromProject = temporary("spool-out-");
      expect((await runSpoolCommand(["export", fromProject, "--all", "--project", String(project.id)], settings)).code).toBe(0);
      expect(fs.existsSync(path.join(fromProject, "threads", `${fixtureIds.thread}.json`))).toBe(true);
      const fromDefault = temporary("spool-out-");
      expect((await runSpoolCommand(["export", fromDefault, "--all"], settings)).code).toBe(0);
      expect(fs.existsSync(path.join(fromDefault, "threads", `${fixtureIds.thread}.json`))).toBe(false);
    } finally {
      await spool.close();
    }
  });
});
