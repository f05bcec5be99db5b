import type { ErrorBody } from "../errors/api-error.js";
import type { Message, Run, RunStep, Thread } from "../domain/objects.js";
import type { MessageContentDelta, ToolCallDelta } from "../domain/run-item-events.js";

export interface MessageDelta {
  id: string;
  object: "thread.message.delta";
  delta: { role?: "assistant"; content: MessageContentDelta[] };
}

export interface RunStepDelta {
  id: string;
  object: "thread.run.step.delta";
  delta: { step_details: { type: "tool_calls"; tool_calls: ToolCallDelta[] } };
}

export type RunEventName =
  | "thread.run.created"
  | "thread.run.queued"
  | "thread.run.in_progress"
  | "thread.run.requires_action"
  | "thread.run.completed"
  | "thread.run.incomplete"
  | "thread.run.failed"
  | "thread.run.cancelling"
  | "thread.run.cancelled"
  | "thread.run.expired";

export type RunStepEventName =
  | "thread.run.step.created"
  | "thread.run.step.in_progress"
  | "thread.run.step.completed"
  | "thread.run.step.failed"
  | "thread.run.step.cancelled"
  | "thread.run.step.expired";

export type MessageEventName =
  | "thread.message.created"
  | "thread.message.in_progress"
  | "thread.message.completed"
  | "thread.message.incomplete";

/** The spec's `AssistantStreamEvent`, by OpenAI's exact names. */
export type StreamEvent =
  | { event: "thread.created"; data: Thread }
  | { event: RunEventName; data: Run }
  | { event: RunStepEventName; data: RunStep }
  | { event: "thread.run.step.delta"; data: RunStepDelta }
  | { event: MessageEventName; data: Message }
  | { event: "thread.message.delta"; data: MessageDelta }
  | { event: "error"; data: ErrorBody & ErrorBody["error"] };

/**
 * A run's stream ends after any of these (requires_action ends it until tool outputs are submitted).
 * Run failures are `thread.run.failed`, as hosted; `error` is for faults of the stream itself.
 */
export const streamEndingEvents: ReadonlySet<StreamEvent["event"]> = new Set([
  "error",
  "thread.run.requires_action",
  "thread.run.completed",
  "thread.run.incomplete",
  "thread.run.failed",
  "thread.run.cancelled",
  "thread.run.expired",
]);
