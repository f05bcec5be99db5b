import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CodeInterpreterToolCall, MessageContent } from "../../../domain/objects.js";
import type { Logger } from "../../../logging/logger.js";
import type { Tracing } from "../../../observability/tracing.js";
import { saveGeneratedFile } from "../../../records/file-records.js";
import type { CodeSandbox, ExecutionResult } from "../../../sandbox/code-sandbox.js";
import type { BlobStore } from "../../../storage/blobs/blob-store.js";
import type { Store } from "../../../storage/store.js";
import type { ToolCallDelta } from "../../../domain/run-item-events.js";
import type { BuiltinTool, BuiltinToolCallResult, BuiltinToolScope, ToolRunContext } from "../builtin-tool.js";
import { modelOutputOf, outputsFromSteps, type SavedOutput } from "./cell-report.js";
import { InvalidCodeInputError, parseCodeInput, partialCodeInput } from "./code-input.js";
import { inputFileIds } from "./input-files.js";
import { annotateSandboxLinks } from "./sandbox-links.js";
import { SessionFileTracker, type SessionFiles } from "./session-files.js";
import { SessionManifests, type KeptFile } from "./session-manifest.js";
import { isPrintableName, unprintableNameNote, type CodeWorkspace } from "./code-workspace.js";
import { openContainerWorkspace } from "./container-workspace.js";
import { isResponseRun } from "../../responses/response-runs.js";

export interface CodeInterpreterToolDependencies {
  blobs: BlobStore;
  sandbox: CodeSandbox;
  logger: Logger;
  /** The sandbox's idle timeout: a session unused this long has lost its files. */
  sessionIdleMs: number;
  tracing: Tracing;
}

/** The function name the model calls. */
export const codeInterpreterFunctionName = "code_interpreter";

const definition: BuiltinToolScope["definition"] = {
  type: "function",
  name: codeInterpreterFunctionName,
  description: [
    "Runs Python 3 in a stateful, Jupyter-notebook-like sandbox and returns what it printed (stdout, stderr,",
    "tracebacks) and the value of the last expression. Variables, imports and files persist between calls in",
    "this conversation. numpy, pandas and matplotlib are installed; there is no internet access.",
    "Files are in /mnt/data: read the user's files there and save files for the user there.",
    "Call plt.show() to display a chart to the user.",
  ].join(" "),
  inputSchema: {
    type: "object",
    properties: { code: { type: "string", description: "The Python code to run." } },
    required: ["code"],
  },
};

type CodeInterpreterDelta = Omit<Extract<ToolCallDelta, { type: "code_interpreter" }>, "index">;
type CodeInterpreterOutput = CodeInterpreterToolCall["code_interpreter"]["outputs"][number];

function instructionsFor(names: string[]): string {
  const files = names.length === 0 ? "The user has not provided files." : `The user's files: ${names.map((name) => `/mnt/data/${name}`).join(", ")}.`;
  return [
    `You can run Python code with the \`${codeInterpreterFunctionName}\` tool (a stateful notebook; state persists between calls).`,
    files,
    "Use it for calculations, data analysis and charts instead of computing in your head.",
    "Charts shown with plt.show() are displayed to the user.",
    "To give the user a file, save it under /mnt/data and link it as [name](sandbox:/mnt/data/name).",
  ].join(" ");
}

/**
 * The `code_interpreter` builtin tool: runs the model's Python in a stateful sandbox session (so state
 * persists across calls), with its files at /mnt/data/<name>. An Assistants run uses its thread's session
 * and files; a response uses its container's (see `container-workspace.ts`). Charts are kept as image
 * files shown in the step (and, for runs, the next message); files the code writes are kept too, and the
 * model links them as `sandbox:/mnt/data/<name>`, which `annotate` turns into `file_path` annotations.
 * Errors in the code go back to the model so it can fix them.
 */
export function createCodeInterpreterTool(dependencies: CodeInterpreterToolDependencies): BuiltinTool {
  const { sandbox, logger, tracing } = dependencies;
  const sessions = new SessionFileTracker(dependencies.sessionIdleMs);
  const manifests = new SessionManifests(dependencies.blobs);

  /** Writes the input files the session does not have yet; returns notes for the model about files that are gone. */
  async function placeInputFiles(sessionId: string, files: SessionFiles, wanted: Map<string, string>, signal: AbortSignal): Promise<string[]> {
    const notes: string[] = [];
    for (const [fileId, name] of wanted) {
      if (files.placed.has(fileId)) continue;
      signal.throwIfAborted();
      const content = await dependencies.blobs.readBytes(fileId);
      if (!content) {
        notes.push(`[/mnt/data/${name} is not available: the file was deleted.]`);
        continue;
      }
      await sandbox.putFile(sessionId, name, content);
      sessions.used(sessionId);
      files.placed.add(fileId);
    }
    return notes;
  }

  /**
   * Writes the files the thread's code wrote before, here or in another process, that the session does
   * not have: after the sandbox ended it, or when the thread last ran elsewhere. Python variables do not
   * follow; files do.
   */
  async function restoreKeptFiles(sessionId: string, files: SessionFiles, signal: AbortSignal): Promise<void> {
    for (const kept of await manifests.load(sessionId)) {
      if (files.placed.has(kept.fileId)) continue;
      signal.throwIfAborted();
      // Gone when the user deleted that File; the code sees it missing, as it would have.
      const content = await dependencies.blobs.readBytes(kept.fileId);
      if (!content) continue;
      await sandbox.putFile(sessionId, kept.name, content);
      sessions.used(sessionId);
      files.placed.add(kept.fileId);
      files.outputs.set(kept.name, kept.fileId);
    }
  }

  /** Runs one cell in the thread's session, as a span of its own. */
  function runCell(sessionId: string, code: string, signal: AbortSignal): Promise<ExecutionResult> {
    const attributes = { "spool.sandbox.session": sessionId, ...(tracing.captureContent ? { "spool.sandbox.code": code } : {}) };
    return tracing.inSpan("sandbox.execute", { attributes }, async (span) => {
      const result = await sandbox.execute(sessionId, code, { signal });
      span.setAttributes({ "spool.sandbox.failed": result.failed, "spool.sandbox.images": result.images.length, "spool.sandbox.files": result.files.length });
      if (tracing.captureContent) span.setAttribute("spool.sandbox.logs", result.logs);
      return result;
    });
  }

  /** Stores the cell's images and files as Files (`assistants_output`) of the run's project. */
  async function saveOutputs(store: Store, files: SessionFiles, result: ExecutionResult) {
    const imageIds: string[] = [];
    for (const image of result.images) {
      files.imageCount += 1;
      imageIds.push((await saveGeneratedFile({ store, blobs: dependencies.blobs }, { filename: `image-${files.imageCount}.png`, bytes: image })).id);
    }
    const saved: SavedOutput[] = [];
    const kept: KeptFile[] = [];
    const notes: string[] = [];
    for (const output of result.files) {
      if (!isPrintableName(output.name)) {
        notes.push(unprintableNameNote);
        continue;
      }
      const bytes = new Uint8Array(await readFile(output.hostPath));
      const file = await saveGeneratedFile({ store, blobs: dependencies.blobs }, { filename: path.posix.basename(output.name), bytes });
      files.outputs.set(output.name, file.id);
      // The session holds these bytes already, so a later restore must not write them again.
      files.placed.add(file.id);
      saved.push({ name: output.name, fileId: file.id });
      kept.push({ name: output.name, fileId: file.id, bytes: file.bytes });
    }
    return { imageIds, saved, kept, notes };
  }

  /**
   * An Assistants run's workspace: the thread's session, with the run's input files under their names
   * and the files the thread's code wrote before; outputs become Files.
   */
  async function openThreadWorkspace(context: ToolRunContext): Promise<CodeWorkspace> {
    const { run, assistant, thread, store } = context;
    const sessionId = thread.id;
    const files = sessions.files(sessionId);
    const messages = await store.messages.findAll({ parentId: thread.id });
    // Names are fixed here, as the instructions tell the model about them before any code runs.
    const wanted = new Map<string, string>();
    for (const fileId of inputFileIds({ run, assistant, thread, messages })) {
      const file = await store.files.get(fileId);
      if (file) wanted.set(fileId, sessions.nameOf(files, fileId, file.filename));
    }
    // Files written earlier in this run, should it resume after a restart (the thread's links are in `files`).
    const runOutputs = outputsFromSteps(context.steps);
    return {
      sessionId,
      fileNames: [...wanted.values()],
      imagesInMessage: true,
      async prepare(current, signal) {
        const notes = await placeInputFiles(sessionId, current, wanted, signal);
        // After the inputs: a kept file of the same name is the code's newer version of that input.
        await restoreKeptFiles(sessionId, current, signal);
        return notes;
      },
      async keep(current, result) {
        const { imageIds, saved, kept, notes } = await saveOutputs(store, current, result);
        await manifests.record(sessionId, kept);
        return { imageIds, saved, notes };
      },
      links: () => new Map([...runOutputs, ...files.outputs]),
    };
  }

  /** A response's code runs in the container its record names. */
  async function openResponseWorkspace(store: Store, responseId: string): Promise<CodeWorkspace> {
    const containerId = (await store.responses.get(responseId))?.container_id;
    if (!containerId) throw new Error(`Response ${responseId} has no container for code_interpreter.`);
    return openContainerWorkspace({ store, blobs: dependencies.blobs, sandbox, used: (sessionId) => sessions.used(sessionId) }, containerId);
  }

  async function open(context: ToolRunContext): Promise<BuiltinToolScope> {
    const { run, signal } = context;
    const workspace = isResponseRun(run) ? await openResponseWorkspace(context.store, run.id) : await openThreadWorkspace(context);
    const { sessionId } = workspace;

    async function execute(call: { id: string; input: string }, emit: (delta: CodeInterpreterDelta) => void): Promise<BuiltinToolCallResult> {
      let code: string;
      try {
        code = parseCodeInput(call.input);
      } catch (error) {
        if (!(error instanceof InvalidCodeInputError)) throw error;
        const toolCall: CodeInterpreterToolCall = { id: call.id, type: "code_interpreter", code_interpreter: { input: call.input, outputs: [] } };
        emit({ type: "code_interpreter", code_interpreter: { input: call.input } });
        return { toolCall, modelOutput: `[Not run: ${error.message}]`, failed: true };
      }
      emit({ type: "code_interpreter", code_interpreter: { input: code } });
      const current = sessions.files(sessionId);
      const placementNotes = await workspace.prepare(current, signal);
      let result: ExecutionResult;
      try {
        result = await runCell(sessionId, code, signal);
      } finally {
        sessions.used(sessionId);
      }
      const { imageIds, saved, notes } = await workspace.keep(current, result);
      const outputs: CodeInterpreterOutput[] = [
        ...(result.logs.length > 0 ? [{ type: "logs" as const, logs: result.logs }] : []),
        ...imageIds.map((fileId) => ({ type: "image" as const, image: { file_id: fileId } })),
      ];
      outputs.forEach((output, index) => emit({ type: "code_interpreter", code_interpreter: { outputs: [{ index, ...output }] } }));
      if (result.failed) logger.debug("code_interpreter cell failed", { runId: run.id, callId: call.id });
      return {
        toolCall: { id: call.id, type: "code_interpreter", code_interpreter: { input: code, outputs } },
        modelOutput: modelOutputOf({ logs: result.logs, failed: result.failed, imageCount: imageIds.length, files: saved, notes: [...placementNotes, ...notes] }),
        messageContent: workspace.imagesInMessage ? imageIds.map((fileId): MessageContent => ({ type: "image_file", image_file: { file_id: fileId } })) : [],
        failed: result.failed,
      };
    }

    return {
      definition,
      instructions: instructionsFor(workspace.fileNames),
      initialToolCall: (callId): CodeInterpreterToolCall => ({ id: callId, type: "code_interpreter", code_interpreter: { input: "", outputs: [] } }),
      execute,
      streamedCode: partialCodeInput,
      annotate: (value) => ({ value, annotations: annotateSandboxLinks(value, workspace.links()) }),
    };
  }

  return {
    type: "code_interpreter",
    unavailableReason: () => (sandbox.status.available ? null : sandbox.status.reason),
    open,
  };
}
