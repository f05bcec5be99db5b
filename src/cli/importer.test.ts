import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  assistantObject,
  fixtureIds,
  originalFiles,
  threadRecord,
  writeFixtureExport,
  writeJsonFile,
} from "../testing/assistants-export-fixture.js";
import { importInto, openTestStorage, snapshot, type Backend } from "../testing/command-storage.js";
import { throwawayPostgresForFile } from "../testing/postgres-for-file.js";

const postgres = throwawayPostgresForFile();

type Json = Record<string, unknown>;
const temporary = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const exportedAt = Date.parse("2026-08-20T10:00:00Z") / 1000;

function fixtureExport(options: { originals?: boolean } = {}): { directory: string; originals: string } {
  const directory = temporary("spool-export-");
  const originals = temporary("spool-originals-");
  writeFixtureExport(directory, options.originals ? { originalsDirectory: originals } : {});
  return { directory, originals };
}

/** Rewrites the fixture's main thread file. */
function editThread(directory: string, edit: (record: Json) => void): void {
  const record = threadRecord();
  edit(record);
  writeJsonFile(path.join(directory, "threads", `${fixtureIds.thread}.json`), record);
}

const at = <T>(values: readonly T[], index: number): T => {
  const value = values[index];
  if (value === undefined) throw new Error(`no entry ${index}`);
  return value;
};

describe.each<Backend>(["SQLite", "Postgres"])("importing an Assistants API export into %s", (backend) => {
  const open = () => openTestStorage(backend, () => postgres.freshDatabase("import"));

  it("keeps every id and field as exported, and adds only the fields Spool keeps", async () => {
    const { directory } = fixtureExport();
    const storage = await open();
    try {
      await importInto(storage, directory);
      const { store } = storage;
      const record = threadRecord();
      expect(await store.assistants.get(fixtureIds.assistant)).toEqual({ ...assistantObject(), file_ids: [], reasoning_effort: null });
      expect(await store.threads.get(fixtureIds.thread)).toEqual(record.thread);
      const messages = record.messages as Json[];
      expect(await store.messages.findAll({ parentId: fixtureIds.thread })).toEqual(messages.map((message) => ({ ...message, file_ids: [] })));
      const { steps, ...completedRun } = at(record.runs as Json[], 0);
      expect(await store.runs.get(fixtureIds.completedRun)).toEqual({ ...completedRun, file_ids: [], include: [], reasoning_effort: null });
      expect(await store.runSteps.findAll({ parentId: fixtureIds.completedRun })).toEqual(
        (steps as Json[]).map((step) => ({ ...step, metadata: {}, model_outputs: {} })),
      );
      for (const file of Object.values(record.files as Record<string, Json>)) expect(await store.files.get(String(file.id))).toEqual({ ...file, expires_at: null });
      // More than one page of the API's list, in the export's order.
      const long = await store.messages.findAll({ parentId: fixtureIds.longThread });
      expect(long.map((message) => message.id)).toEqual(Array.from({ length: 150 }, (_, index) => `msg_long${String(index).padStart(4, "0")}`));
    } finally {
      await storage.close();
    }
  });

  it("stores a run that was live at export time as expired, ends its open step, and reports it", async () => {
    const { directory } = fixtureExport();
    const storage = await open();
    try {
      const report = await importInto(storage, directory);
      expect(report.expiredRuns).toEqual([{ threadId: fixtureIds.thread, runId: fixtureIds.liveRun, status: "requires_action" }]);
      expect(await storage.store.runs.get(fixtureIds.liveRun)).toMatchObject({ status: "expired", required_action: null, expires_at: null });
      expect(await storage.store.runSteps.get("step_fix003")).toMatchObject({ status: "expired", expired_at: exportedAt });
      // A run the export left live no longer blocks the thread: the database takes a new active run.
      expect(await storage.store.runs.findAll({ parentId: fixtureIds.thread, statuses: ["queued", "in_progress", "requires_action", "cancelling"] })).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it("reports failed threads, files without bytes, missing files, and recreates the named vector stores", async () => {
    const { directory } = fixtureExport();
    const storage = await open();
    try {
      const report = await importInto(storage, directory);
      expect(report.notExported).toEqual([{ threadId: fixtureIds.goneThread, error: "not_found_or_deleted" }]);
      expect(report.withoutBytes.map((file) => file.fileId)).toEqual(["file-imgout1", "file-pathann1", "file-report1", "file-sales1"]);
      expect(report.missingFiles).toEqual([
        { fileId: "file-handbook1", referencedBy: fixtureIds.assistant },
        { fileId: "file-stepimg1", referencedBy: fixtureIds.thread, reason: "not_found_or_expired" },
      ]);
      expect(report.missingAssistants).toEqual([]);
      expect(report.vectorStores).toEqual([
        { id: fixtureIds.assistantStore, created: true, added: [], withoutBytes: [] },
        { id: fixtureIds.threadStore, created: true, added: [], withoutBytes: ["file-report1"] },
      ]);
      expect(await storage.store.vectorStores.get(fixtureIds.threadStore)).toMatchObject({ status: "completed", file_counts: { total: 0 } });
      expect(report.problems).toEqual([]);
      expect(report.conflicts).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it("imports an export made without assistants (--no-assistants) and names the assistant its runs need", async () => {
    const { directory } = fixtureExport();
    fs.rmSync(path.join(directory, "assistants.json"));
    const storage = await open();
    try {
      const report = await importInto(storage, directory);
      expect(report.missingAssistants).toEqual([{ assistantId: fixtureIds.assistant, referencedBy: fixtureIds.thread }]);
      expect(report.counts.thread.added).toBe(2);
      // The thread's own vector store is still recreated; the assistant's is unknown without it.
      expect(report.vectorStores.map((store) => store.id)).toEqual([fixtureIds.threadStore]);
    } finally {
      await storage.close();
    }
  });

  it("uploads the originals again under their File ids, by filename and size, and queues the thread's vector store file", async () => {
    const { directory, originals } = fixtureExport({ originals: true });
    // Same name, other size: not taken for file-sales1. And a plot.png that is not the exported one.
    fs.mkdirSync(path.join(originals, "old"));
    fs.writeFileSync(path.join(originals, "old", "sales.csv"), "month,sales\n");
    fs.writeFileSync(path.join(originals, "old", "plot.png"), "not the chart");
    const storage = await open();
    try {
      const report = await importInto(storage, directory, { filesDirectory: originals });
      expect(report.uploaded).toEqual([
        { fileId: "file-report1", path: path.join(originals, "docs", "report.md") },
        { fileId: "file-sales1", path: path.join(originals, "data", "sales.csv") },
      ]);
      expect((await storage.blobs.readBytes("file-sales1"))?.toString()).toBe(originalFiles["sales.csv"]);
      expect((await storage.blobs.readBytes("file-report1"))?.toString()).toBe(originalFiles["report.md"]);
      expect(report.withoutBytes).toEqual([
        { fileId: "file-imgout1", filename: "plot.png", note: "found plot.png, but not with the File's 20480 bytes" },
        { fileId: "file-pathann1", filename: "/mnt/data/plot.png", note: "found plot.png, but not with the File's 20480 bytes" },
      ]);
      expect(report.vectorStores).toContainEqual({ id: fixtureIds.threadStore, created: true, added: ["file-report1"], withoutBytes: [] });
      expect(await storage.store.vectorStoreFiles.get("file-report1", fixtureIds.threadStore)).toMatchObject({ status: "in_progress" });
      expect(await storage.store.vectorStores.get(fixtureIds.threadStore)).toMatchObject({ status: "in_progress", file_counts: { in_progress: 1, total: 1 } });
    } finally {
      await storage.close();
    }
  });

  it("changes nothing when the same export is imported again", async () => {
    const { directory, originals } = fixtureExport({ originals: true });
    const storage = await open();
    try {
      await importInto(storage, directory, { filesDirectory: originals });
      const before = await snapshot(storage.store);
      const again = await importInto(storage, directory, { filesDirectory: originals });
      expect(await snapshot(storage.store)).toEqual(before);
      for (const [kind, counts] of Object.entries(again.counts)) expect({ kind, ...counts }).toMatchObject({ kind, added: 0, overwritten: 0, conflict: 0 });
      expect(again.counts.message.unchanged).toBe(155);
      expect(again.uploaded).toEqual([]);
      expect(again.expiredRuns).toEqual([]);
      expect(again.vectorStores.every((store) => !store.created && store.added.length === 0)).toBe(true);
    } finally {
      await storage.close();
    }
  });

  it("leaves an id already here with other content alone, and replaces it with --overwrite", async () => {
    const { directory } = fixtureExport();
    const storage = await open();
    try {
      await importInto(storage, directory);
      writeJsonFile(path.join(directory, "assistants.json"), [assistantObject({ instructions: "Be verbose." })]);
      editThread(directory, (record) => {
        const [first] = record.messages as Json[];
        if (first) first.metadata = { edited: "yes" };
      });
      const report = await importInto(storage, directory);
      expect(report.conflicts).toEqual([
        { kind: "assistant", id: fixtureIds.assistant },
        { kind: "message", id: "msg_fix001", threadId: fixtureIds.thread },
      ]);
      expect((await storage.store.assistants.get(fixtureIds.assistant))?.instructions).toBe(assistantObject().instructions);
      expect((await storage.store.messages.get("msg_fix001"))?.metadata).toEqual({});

      const overwritten = await importInto(storage, directory, { overwrite: true });
      expect(overwritten.conflicts).toEqual([]);
      expect(overwritten.counts.assistant.overwritten).toBe(1);
      expect(overwritten.counts.message).toMatchObject({ overwritten: 1, unchanged: 154 });
      expect((await storage.store.assistants.get(fixtureIds.assistant))?.instructions).toBe("Be verbose.");
      expect((await storage.store.messages.get("msg_fix001"))?.metadata).toEqual({ edited: "yes" });
    } finally {
      await storage.close();
    }
  });

  it("leaves a thread whose own object differs alone whole, adding none of its messages", async () => {
    const { directory } = fixtureExport();
    const storage = await open();
    try {
      await importInto(storage, directory);
      editThread(directory, (record) => {
        (record.thread as Json).metadata = { customer: "someone else" };
        (record.messages as Json[]).push({ ...at(record.messages as Json[], 4), id: "msg_new001", created_at: 1699017700 });
      });
      const report = await importInto(storage, directory);
      expect(report.conflicts).toEqual([{ kind: "thread", id: fixtureIds.thread, threadId: fixtureIds.thread }]);
      expect(await storage.store.messages.get("msg_new001")).toBeUndefined();
    } finally {
      await storage.close();
    }
  });

  it("checks everything in a dry run, reports what an import would do, and writes nothing", async () => {
    const { directory, originals } = fixtureExport({ originals: true });
    const storage = await open();
    try {
      const before = await snapshot(storage.store);
      const dry = await importInto(storage, directory, { filesDirectory: originals, dryRun: true });
      expect(await snapshot(storage.store)).toEqual(before);
      expect(await storage.blobs.readBytes("file-sales1")).toBeUndefined();
      const real = await importInto(storage, directory, { filesDirectory: originals });
      expect({ ...dry, dryRun: false }).toEqual(real);
    } finally {
      await storage.close();
    }
  });
});

describe("bad input", () => {
  const open = () => openTestStorage("SQLite", () => postgres.freshDatabase("import"));

  it.each<{ name: string; prepare: (directory: string) => void; message: string }>([
    {
      name: "a manifest of another format",
      prepare: (directory) => writeJsonFile(path.join(directory, "manifest.json"), { export_schema: "something-else/v2" }),
      message: 'manifest.json: export_schema: Invalid input: expected "assistants-export-manifest/v1"',
    },
    {
      name: "no manifest",
      prepare: (directory) => fs.rmSync(path.join(directory, "manifest.json")),
      message: "manifest.json: not found in",
    },
    {
      name: "assistants.json holding an object",
      prepare: (directory) => writeJsonFile(path.join(directory, "assistants.json"), { data: [] }),
      message: "assistants.json: Invalid input: expected array, received object",
    },
    {
      name: "an assistant of the wrong type",
      prepare: (directory) => writeJsonFile(path.join(directory, "assistants.json"), [assistantObject({ object: "thread" })]),
      message: 'assistants.json: [0].object: Invalid input: expected "assistant"',
    },
  ])("stops before writing anything on $name", async ({ prepare, message }) => {
    const { directory } = fixtureExport();
    prepare(directory);
    const storage = await open();
    try {
      await expect(importInto(storage, directory)).rejects.toThrow(message);
      expect((await snapshot(storage.store)).assistants).toEqual([]);
      expect((await snapshot(storage.store)).threads).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it.each<{ name: string; edit: (record: Json) => void; problem: string | RegExp }>([
    {
      name: "a thread file of another format",
      edit: (record) => (record.export_schema = "assistants-thread-export/v0"),
      problem: 'export_schema: Invalid input: expected "assistants-thread-export/v1"',
    },
    {
      name: "an object of the wrong type",
      edit: (record) => (at(record.messages as Json[], 1).object = "thread.run"),
      problem: 'messages[1].object: Invalid input: expected "thread.message"',
    },
    {
      name: "a text part without its text",
      edit: (record) => (at(record.messages as Json[], 0).content = [{ type: "text" }]),
      problem: "messages[0].content[0].text: a 'text' entry needs 'text'",
    },
    {
      name: "a message of another thread",
      edit: (record) => (at(record.messages as Json[], 2).thread_id = "thread_other"),
      problem: `messages[2].thread_id: is 'thread_other', expected '${fixtureIds.thread}'`,
    },
    {
      name: "a step of another run",
      edit: (record) => (at((at(record.runs as Json[], 0).steps as Json[]), 1).run_id = "run_other"),
      problem: `runs[0].steps[1].run_id: is 'run_other', expected '${fixtureIds.completedRun}'`,
    },
    {
      name: "an unknown run status",
      edit: (record) => (at(record.runs as Json[], 0).status = "done"),
      problem: /^runs\[0\]\.status: Invalid option: expected one of "queued"\|/,
    },
    {
      name: "a File filed under another id",
      edit: (record) => ((record.files as Record<string, Json>)["file-sales1"] = { ...(record.files as Record<string, Json>)["file-report1"] }),
      problem: `files["file-sales1"].id: is 'file-report1', expected the key 'file-sales1'`,
    },
  ])("skips the thread, naming file and field, on $name, and imports the others", async ({ edit, problem }) => {
    const { directory } = fixtureExport();
    editThread(directory, edit);
    const storage = await open();
    try {
      const report = await importInto(storage, directory);
      expect(report.problems).toEqual([{ file: `threads/${fixtureIds.thread}.json`, problem: typeof problem === "string" ? problem : expect.stringMatching(problem) }]);
      expect(await storage.store.threads.get(fixtureIds.thread)).toBeUndefined();
      expect(await storage.store.messages.findAll({ parentId: fixtureIds.thread })).toEqual([]);
      expect(await storage.store.threads.get(fixtureIds.longThread)).toBeDefined();
    } finally {
      await storage.close();
    }
  });

  it("skips a thread file cut short, leaving nothing of it", async () => {
    const { directory } = fixtureExport();
    const file = path.join(directory, "threads", `${fixtureIds.thread}.json`);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const storage = await open();
    try {
      const report = await importInto(storage, directory);
      expect(report.problems).toEqual([
        { file: `threads/${fixtureIds.thread}.json`, problem: expect.stringMatching(/^not valid JSON \(.+\); is it cut short\?$/) },
      ]);
      expect(await storage.store.threads.get(fixtureIds.thread)).toBeUndefined();
      expect(await storage.store.messages.findAll({ parentId: fixtureIds.thread })).toEqual([]);
      expect(await storage.store.messages.findAll({ parentId: fixtureIds.longThread })).toHaveLength(150);
    } finally {
      await storage.close();
    }
  });
});
