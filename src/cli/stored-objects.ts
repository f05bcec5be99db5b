import type { StoredFile } from "../domain/files.js";
import { activeRunStatuses, unsetRunStepFields, type Assistant, type Message, type Run, type RunStep, type Thread } from "../domain/objects.js";
import type { ExportedAssistant, ExportedFile, ExportedMessage, ExportedRun, ExportedStep, ExportedThread } from "./export-format.js";

/**
 * Exported objects as Spool stores them: every field as exported, plus the fields Spool keeps that the
 * export lacks (Spool's own, like a message's v1 `file_ids`, or ones an older API version did not return).
 * A `null` where Spool needs an object, list or format (`tool_resources`, `metadata`, `tools`,
 * `attachments`, `response_format`) becomes its empty value, which the API means by it.
 *
 * The results are cast to Spool's types: the schemas in `export-format.ts` checked every field Spool
 * reads, and these defaults fill the rest.
 */
function completed<T>(exported: object, defaults: Partial<T>, emptyWhenNull: readonly (keyof T)[] = []): T {
  const stored: Record<string, unknown> = { ...exported };
  for (const [key, value] of Object.entries(defaults)) {
    if (stored[key] === undefined || (stored[key] === null && emptyWhenNull.includes(key as keyof T))) stored[key] = value;
  }
  return stored as T;
}

export function storedAssistant(assistant: ExportedAssistant): Assistant {
  return completed<Assistant>(
    assistant,
    {
      name: null,
      description: null,
      instructions: null,
      tools: [],
      tool_resources: {},
      metadata: {},
      temperature: null,
      top_p: null,
      response_format: "auto",
      file_ids: [],
      reasoning_effort: null,
    },
    ["tools", "tool_resources", "metadata", "response_format"],
  );
}

export function storedThread(thread: ExportedThread): Thread {
  return completed<Thread>(thread, { tool_resources: {}, metadata: {} }, ["tool_resources", "metadata"]);
}

export function storedFile(file: ExportedFile): StoredFile {
  return completed<StoredFile>(file, { expires_at: null, status: "processed", status_details: null });
}

/** A thread's objects as stored, and the runs that were still live when it was exported. */
export interface StoredThreadContents {
  thread: Thread;
  messages: Message[];
  runs: Run[];
  steps: RunStep[];
  /** Runs live at export time, now `expired`, with the status they had. */
  expiredRuns: { id: string; status: string }[];
}

/**
 * A run still live at export time can never continue (its tool calls, its model call are gone), so it
 * becomes `expired`, and its unfinished steps and messages end as Spool ends those of an expired run.
 * The moment is the export's: importing the same export again then yields the same objects.
 */
export function storedThreadContents(
  thread: ExportedThread,
  exported: { messages: ExportedMessage[]; runs: ExportedRun[] },
  exportedAt: number,
): StoredThreadContents {
  const expiredRuns: StoredThreadContents["expiredRuns"] = [];
  const runs: Run[] = [];
  const steps: RunStep[] = [];
  for (const { steps: runSteps = [], ...exportedRun } of exported.runs) {
    let run = storedRun(exportedRun);
    const live = activeRunStatuses.includes(run.status);
    if (live) {
      expiredRuns.push({ id: run.id, status: run.status });
      run = { ...run, status: "expired", required_action: null, expires_at: null };
    }
    runs.push(run);
    for (const exportedStep of runSteps) {
      const step = storedStep(exportedStep, run);
      steps.push(live && step.status === "in_progress" ? { ...step, status: "expired", expired_at: exportedAt } : step);
    }
  }
  const expiredRunIds = new Set(expiredRuns.map((run) => run.id));
  const messages = exported.messages.map((exportedMessage) => {
    const message = storedMessage(exportedMessage);
    if (message.status !== "in_progress" || message.run_id === null || !expiredRunIds.has(message.run_id)) return message;
    return { ...message, status: "incomplete" as const, incomplete_at: exportedAt, incomplete_details: { reason: "run_expired" as const } };
  });
  return { thread: storedThread(thread), messages, runs, steps, expiredRuns };
}

function storedMessage(message: ExportedMessage): Message {
  return completed<Message>(
    message,
    {
      status: "completed",
      incomplete_details: null,
      completed_at: null,
      incomplete_at: null,
      assistant_id: null,
      run_id: null,
      attachments: [],
      metadata: {},
      file_ids: [],
    },
    ["attachments", "metadata"],
  );
}

function storedRun(run: Omit<ExportedRun, "steps">): Run {
  return completed<Run>(
    run,
    {
      required_action: null,
      last_error: null,
      expires_at: null,
      started_at: null,
      cancelled_at: null,
      failed_at: null,
      completed_at: null,
      incomplete_details: null,
      model: "",
      instructions: "",
      tools: [],
      metadata: {},
      usage: null,
      temperature: null,
      top_p: null,
      max_prompt_tokens: null,
      max_completion_tokens: null,
      truncation_strategy: { type: "auto", last_messages: null },
      tool_choice: "auto",
      parallel_tool_calls: true,
      response_format: "auto",
      file_ids: [],
      include: [],
      reasoning_effort: null,
    },
    ["tools", "metadata", "response_format"],
  );
}

function storedStep(step: ExportedStep, run: Run): RunStep {
  return completed<RunStep>(step, { thread_id: run.thread_id, assistant_id: run.assistant_id, ...unsetRunStepFields() }, ["metadata"]);
}
