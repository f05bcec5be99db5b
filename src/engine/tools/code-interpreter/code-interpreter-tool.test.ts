import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Run, Thread } from "../../../domain/objects.js";
import { createLogger } from "../../../logging/logger.js";
import { saveGeneratedFile } from "../../../records/file-records.js";
import type { CodeSandbox, ExecutionResult } from "../../../sandbox/code-sandbox.js";
import { UnavailableSandbox } from "../../../sandbox/unavailable-sandbox.js";
import { FilesystemBlobStore } from "../../../storage/blobs/filesystem-blob-store.js";
import { openSqliteStore } from "../../../storage/sql/sqlite-store.js";
import type { Store } from "../../../storage/store.js";
import { noTracing } from "../../../observability/tracing.js";
import type { ToolRunContext } from "../builtin-tool.js";
import { createCodeInterpreterTool } from "./code-interpreter-tool.js";

/** Records what the tool asks of the sandbox and answers each cell with `nextResult`. */
class RecordingSandbox implements CodeSandbox {
  readonly status = { available: true as const };
  readonly puts: { sessionId: string; name: string; content: string }[] = [];
  readonly cells: { sessionId: string; code: string }[] = [];
  nextResult: ExecutionResult = { logs: "", images: [], files: [], failed: false };

  execute(sessionId: string, code: string, options: { signal?: AbortSignal } = {}): Promise<ExecutionResult> {
    options.signal?.throwIfAborted();
    this.cells.push({ sessionId, code });
    return Promise.resolve(this.nextResult);
  }
  putFile(sessionId: string, name: string, content: Uint8Array): Promise<void> {
    this.puts.push({ sessionId, name, content: Buffer.from(content).toString("utf8") });
    return Promise.resolve();
  }
  endSession(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

let directory: string;
let store: Store;
let blobs: FilesystemBlobStore;
const logger = createLogger("silent");

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-ci-tool-"));
  store = await openSqliteStore(path.join(directory, "spool.db"));
  blobs = new FilesystemBlobStore(path.join(directory, "files"));
});

afterAll(async () => {
  await store?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

function contextFor(thread: Thread, signal = new AbortController().signal): ToolRunContext {
  const run = { id: "run_1", thread_id: thread.id, tools: [{ type: "code_interpreter" }], file_ids: [] } as unknown as Run;
  return { run, assistant: undefined, thread, steps: [], signal, store };
}

function threadWith(id: string, fileIds: string[]): Thread {
  return { id, object: "thread", created_at: 0, tool_resources: { code_interpreter: { file_ids: fileIds } }, metadata: {} };
}

describe("code_interpreter tool", () => {
  it("reports an unavailable sandbox's reason, so the executor fails runs that need it", () => {
    const unavailable = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox: new UnavailableSandbox("bwrap is not installed"), sessionIdleMs: 1000 });
    expect(unavailable.unavailableReason()).toBe("bwrap is not installed");
    const available = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox: new RecordingSandbox(), sessionIdleMs: 1000 });
    expect(available.unavailableReason()).toBeNull();
  });

  it("writes each input file into the thread's session once, and new ones when a later run has them", async () => {
    const sandbox = new RecordingSandbox();
    const tool = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox, sessionIdleMs: 60_000 });
    const first = await saveGeneratedFile({ store, blobs }, { filename: "data.csv", bytes: Buffer.from("a\n1\n"), purpose: "assistants" });
    const scope = await tool.open(contextFor(threadWith("thread_a", [first.id])));
    expect(scope.instructions).toContain("/mnt/data/data.csv");
    const emitted: unknown[] = [];
    await scope.execute({ id: "call_1", input: JSON.stringify({ code: "1" }) }, (delta) => emitted.push(delta));
    await scope.execute({ id: "call_2", input: JSON.stringify({ code: "2" }) }, () => undefined);
    expect(sandbox.puts).toEqual([{ sessionId: "thread_a", name: "data.csv", content: "a\n1\n" }]);
    expect(sandbox.cells.map((cell) => cell.sessionId)).toEqual(["thread_a", "thread_a"]);
    expect(emitted[0]).toEqual({ type: "code_interpreter", code_interpreter: { input: "1" } });

    const second = await saveGeneratedFile({ store, blobs }, { filename: "data.csv", bytes: Buffer.from("b\n2\n"), purpose: "assistants" });
    const later = await tool.open(contextFor(threadWith("thread_a", [first.id, second.id])));
    await later.execute({ id: "call_3", input: JSON.stringify({ code: "3" }) }, () => undefined);
    expect(sandbox.puts.map((put) => put.name)).toEqual(["data.csv", `data-${second.id}.csv`]);
  });

  it("does not run a malformed call, and tells the model what was expected", async () => {
    const sandbox = new RecordingSandbox();
    const tool = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox, sessionIdleMs: 60_000 });
    const scope = await tool.open(contextFor(threadWith("thread_b", [])));
    const result = await scope.execute({ id: "call_1", input: JSON.stringify({ script: "1" }) }, () => undefined);
    expect(result.modelOutput).toMatch(/^\[Not run: Expected \{"code"/);
    expect(sandbox.cells).toEqual([]);
  });

  it("saves a cell's files, lists them for the model and annotates the model's links to them", async () => {
    const sandbox = new RecordingSandbox();
    const tool = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox, sessionIdleMs: 60_000 });
    const hostPath = path.join(directory, "report.csv");
    fs.writeFileSync(hostPath, "x,y\n");
    sandbox.nextResult = { logs: "ok\n", images: [], files: [{ name: "out/report.csv", hostPath, bytes: 4 }], failed: false };
    const scope = await tool.open(contextFor(threadWith("thread_c", [])));
    const result = await scope.execute({ id: "call_1", input: JSON.stringify({ code: "save()" }) }, () => undefined);
    const fileId = /\(file id: (file-\w+)\)$/u.exec(result.modelOutput)?.[1] ?? "";
    expect((await store.files.get(fileId))?.filename).toBe("report.csv");
    expect((await blobs.readBytes(fileId))?.toString("utf8")).toBe("x,y\n");
    const annotated = scope.annotate?.("Get [it](sandbox:/mnt/data/out/report.csv)");
    expect(annotated?.annotations).toEqual([
      { type: "file_path", text: "sandbox:/mnt/data/out/report.csv", file_path: { file_id: fileId }, start_index: 9, end_index: 41 },
    ]);
  });

  it("gives a thread's next run the files its code wrote, on another process too, newest version only", async () => {
    // Two tools over one store and blob store: two Spool processes on one database.
    const [sandboxA, sandboxB] = [new RecordingSandbox(), new RecordingSandbox()];
    const toolA = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox: sandboxA, sessionIdleMs: 60_000 });
    const toolB = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox: sandboxB, sessionIdleMs: 60_000 });
    const thread = threadWith("thread_e", []);
    const cellWriting = (name: string, content: string): ExecutionResult => {
      const hostPath = path.join(directory, `${name}-${content}`);
      fs.writeFileSync(hostPath, content);
      return { logs: "", images: [], files: [{ name, hostPath, bytes: content.length }], failed: false };
    };
    const runCell = async (tool: typeof toolA, code: string) =>
      (await tool.open(contextFor(thread))).execute({ id: `call_${code}`, input: JSON.stringify({ code }) }, () => undefined);

    sandboxA.nextResult = cellWriting("x.txt", "one");
    await runCell(toolA, "write one");
    sandboxA.nextResult = { logs: "", images: [], files: [], failed: false };
    await runCell(toolA, "read on A");
    // A's live session holds what its code wrote: nothing to write back.
    expect(sandboxA.puts).toEqual([]);

    await runCell(toolB, "read on B");
    expect(sandboxB.puts).toEqual([{ sessionId: "thread_e", name: "x.txt", content: "one" }]);
    sandboxB.nextResult = cellWriting("x.txt", "two");
    await runCell(toolB, "write two");
    expect(sandboxB.puts).toHaveLength(1);

    // A's session still has "one": the thread moved on elsewhere, so it gets "two".
    await runCell(toolA, "read on A again");
    expect(sandboxA.puts).toEqual([{ sessionId: "thread_e", name: "x.txt", content: "two" }]);
  });

  it("lets a cancelled run's abort reach the caller", async () => {
    const sandbox = new RecordingSandbox();
    const tool = createCodeInterpreterTool({ blobs, logger, tracing: noTracing, sandbox, sessionIdleMs: 60_000 });
    const abort = new AbortController();
    const scope = await tool.open(contextFor(threadWith("thread_d", []), abort.signal));
    abort.abort(new Error("cancelled"));
    await expect(scope.execute({ id: "call_1", input: JSON.stringify({ code: "1" }) }, () => undefined)).rejects.toThrow("cancelled");
  });
});
