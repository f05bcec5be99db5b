import type { MessageContentDelta, RunItemEvent, ToolCallDelta } from "../domain/run-item-events.js";
import type { MessageEventName, RunEventName, RunStepEventName, StreamEvent } from "./stream-events.js";

function stepDelta(stepId: string, delta: ToolCallDelta): StreamEvent {
  return { event: "thread.run.step.delta", data: { id: stepId, object: "thread.run.step.delta", delta: { step_details: { type: "tool_calls", tool_calls: [delta] } } } };
}

/**
 * A run's neutral event as the Assistants API streams it (`AssistantStreamEvent`, by OpenAI's names and in
 * the hosted order): a run step and its message open together, text and tool calls arrive as deltas whose
 * first fragment carries what the SDKs' accumulators start from, and every change of status is an event.
 */
export function assistantEvents(event: RunItemEvent): StreamEvent[] {
  switch (event.type) {
    case "thread.created":
      return [{ event: "thread.created", data: event.thread }];
    case "run.created":
      return [
        { event: "thread.run.created", data: event.run },
        { event: "thread.run.queued", data: event.run },
      ];
    case "run.updated":
      return [{ event: `thread.run.${event.run.status}` as RunEventName, data: event.run }];
    case "message.started":
      return [
        { event: "thread.run.step.created", data: event.step },
        { event: "thread.run.step.in_progress", data: event.step },
        { event: "thread.message.created", data: event.message },
        { event: "thread.message.in_progress", data: event.message },
      ];
    case "message.part":
      return [{ event: "thread.message.delta", data: { id: event.message_id, object: "thread.message.delta", delta: { content: [{ index: event.index, ...event.part } as MessageContentDelta] } } }];
    case "message.text": {
      // The first fragment starts the part the SDKs accumulate into, so it carries the (empty) annotations.
      const text = event.first ? { value: event.delta, annotations: [] } : { value: event.delta };
      return [{ event: "thread.message.delta", data: { id: event.message_id, object: "thread.message.delta", delta: { content: [{ index: event.index, type: "text", text }] } } }];
    }
    case "message.annotated": {
      const annotations = event.annotations.map((annotation, index) => ({ index, ...annotation }));
      return [{ event: "thread.message.delta", data: { id: event.message_id, object: "thread.message.delta", delta: { content: [{ index: event.index, type: "text", text: { annotations } }] } } }];
    }
    case "message.finished":
      return [{ event: `thread.message.${event.message.status}` as MessageEventName, data: event.message }];
    case "tool_calls.started":
      return [
        { event: "thread.run.step.created", data: event.step },
        { event: "thread.run.step.in_progress", data: event.step },
      ];
    case "tool_call.started":
      return [stepDelta(event.step_id, { index: event.index, ...event.call } as ToolCallDelta)];
    case "tool_call.arguments":
      return [stepDelta(event.step_id, { index: event.index, type: "function", function: { arguments: event.delta } })];
    case "tool_call.code":
      return [stepDelta(event.step_id, { index: event.index, type: "code_interpreter", code_interpreter: { input: event.delta } })];
    case "tool_call.progress":
      return [stepDelta(event.step_id, event.delta)];
    case "step.finished":
      return [{ event: `thread.run.step.${event.step.status}` as RunStepEventName, data: event.step }];
    case "error":
      return [{ event: "error", data: { error: event.error, ...event.error } }];
    case "reasoning.started":
    case "reasoning.text":
    case "reasoning.finished":
      // The Assistants API has no place for a model's reasoning.
      return [];
  }
}
