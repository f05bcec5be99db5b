import type { StoredFile } from "../domain/files.js";
import type { Assistant, AssistantTool, Message, MessageContent, Run, RunStep, Thread, ToolCall } from "../domain/objects.js";
import type { ApiVersion } from "../http/api-version.js";
import type { StreamEvent } from "../streaming/stream-events.js";

/**
 * Projections of stored objects onto the wire for each API version. v2 objects are stored as they are
 * shown; v1 renames file_search to retrieval, shows `file_ids`, and has no `tool_resources`/`attachments`.
 */

type V1Tool = Exclude<AssistantTool, { type: "file_search" }> | { type: "retrieval" };

function v1Tools(tools: AssistantTool[]): V1Tool[] {
  return tools.map((tool) => (tool.type === "file_search" ? { type: "retrieval" } : tool));
}

/** The spec allows neither field to be null: a file without an expiry or details leaves them out. */
export function viewFile(file: StoredFile) {
  const { expires_at, status_details, ...wire } = file;
  return { ...wire, ...(expires_at === null ? {} : { expires_at }), ...(status_details === null ? {} : { status_details }) };
}

export function viewAssistant(assistant: Assistant, version: ApiVersion) {
  const { file_ids, tool_resources, temperature, top_p, response_format, reasoning_effort: _internal, ...common } = assistant;
  if (version === "v1") return { ...common, tools: v1Tools(assistant.tools), file_ids };
  return { ...common, tool_resources, temperature, top_p, response_format };
}

export function viewThread(thread: Thread, version: ApiVersion) {
  if (version === "v1") {
    const { tool_resources: _hidden, ...v1 } = thread;
    return v1;
  }
  return thread;
}

/** v2 citations carry no `quote` (v1's did). */
function withoutQuotes(content: MessageContent[]): MessageContent[] {
  return content.map((part) =>
    part.type === "text" && part.text.annotations.some((annotation) => annotation.type === "file_citation")
      ? {
          ...part,
          text: {
            ...part.text,
            annotations: part.text.annotations.map((annotation) =>
              annotation.type === "file_citation" ? { ...annotation, file_citation: { file_id: annotation.file_citation.file_id } } : annotation,
            ),
          },
        }
      : part,
  );
}

export function viewMessage(message: Message, version: ApiVersion) {
  const { file_ids, attachments, ...common } = message;
  if (version === "v1") return { ...common, file_ids };
  return { ...common, content: withoutQuotes(message.content), attachments };
}

export function viewRun(run: Run, version: ApiVersion) {
  const { file_ids, include: _internal, reasoning_effort: _notEchoed, telemetry: _observed, ...common } = run;
  if (version === "v1") return { ...common, tools: v1Tools(run.tools), file_ids };
  return common;
}

function v1ToolCall(call: ToolCall) {
  if (call.type !== "file_search") return call;
  return { id: call.id, type: "retrieval" as const, retrieval: {} };
}

/** A file_search call's `queries` are kept for the Responses API; the Assistants API shows none. */
function withoutQueries(call: ToolCall): ToolCall {
  if (call.type !== "file_search" || call.file_search.queries === undefined) return call;
  const { queries: _responsesOnly, ...fileSearch } = call.file_search;
  return { ...call, file_search: fileSearch };
}

export function viewRunStep(runStep: RunStep, version: ApiVersion) {
  const { model_outputs: _internal, reasoning: _responsesOnly, ...stored } = runStep;
  const details = stored.step_details;
  const step = details.type === "tool_calls" ? { ...stored, step_details: { type: "tool_calls" as const, tool_calls: details.tool_calls.map(withoutQueries) } } : stored;
  if (version === "v2" || step.step_details.type !== "tool_calls") return step;
  return { ...step, step_details: { type: "tool_calls" as const, tool_calls: step.step_details.tool_calls.map(v1ToolCall) } };
}

export function viewStreamEvent(event: StreamEvent, version: ApiVersion): unknown {
  switch (event.event) {
    case "thread.created":
      return viewThread(event.data, version);
    case "thread.message.created":
    case "thread.message.in_progress":
    case "thread.message.completed":
    case "thread.message.incomplete":
      return viewMessage(event.data, version);
    case "thread.run.step.created":
    case "thread.run.step.in_progress":
    case "thread.run.step.completed":
    case "thread.run.step.failed":
    case "thread.run.step.cancelled":
    case "thread.run.step.expired":
      return viewRunStep(event.data, version);
    case "thread.message.delta":
    case "thread.run.step.delta":
    case "error":
      return event.data;
    default:
      return viewRun(event.data, version);
  }
}
