import { describe, expect, it } from "vitest";
import { unsetRunStepFields, type Message, type RunStep } from "../../domain/objects.js";
import type { RunItemEvent } from "../../domain/run-item-events.js";
import { assistantEvents } from "../../streaming/assistant-events.js";
import type { FileNames } from "../../engine/responses/conversation-items.js";
import { ResponseEventTranslator } from "./response-events.js";

const names: FileNames = Object.assign(async (fileId: string) => `${fileId}.pdf`, { containerFile: async () => undefined });

function step(id: string, details: RunStep["step_details"], status: RunStep["status"] = "in_progress"): RunStep {
  return { id, object: "thread.run.step", created_at: 1, assistant_id: "asst_1", thread_id: "thread_1", run_id: "run_1", type: details.type, status, step_details: details, ...unsetRunStepFields() };
}

const message: Message = {
  id: "msg_1", object: "thread.message", created_at: 1, thread_id: "thread_1", status: "in_progress", incomplete_details: null,
  completed_at: null, incomplete_at: null, role: "assistant", content: [], assistant_id: "asst_1", run_id: "run_1", attachments: [], metadata: {}, file_ids: [],
};
const citation = { type: "file_citation" as const, text: "【0】", start_index: 5, end_index: 8, file_citation: { file_id: "file_1" } };
const answer: Message = { ...message, status: "completed", completed_at: 2, content: [{ type: "text", text: { value: "Hello【0】", annotations: [citation] } }] };
const call = { id: "call_1", type: "function" as const, function: { name: "lookup", arguments: "", output: null } };

/** One turn that answers with cited text, then another that calls a function: the engine's neutral events. */
const neutral: RunItemEvent[] = [
  { type: "message.started", message, step: step("step_1", { type: "message_creation", message_creation: { message_id: "msg_1" } }) },
  { type: "message.text", message_id: "msg_1", index: 0, delta: "Hel", first: true },
  { type: "message.text", message_id: "msg_1", index: 0, delta: "lo【0】", first: false },
  { type: "message.annotated", message_id: "msg_1", index: 0, annotations: [citation] },
  { type: "message.finished", message: answer },
  { type: "step.finished", step: step("step_1", { type: "message_creation", message_creation: { message_id: "msg_1" } }, "completed") },
  { type: "tool_calls.started", step: step("step_2", { type: "tool_calls", tool_calls: [] }) },
  { type: "tool_call.started", step_id: "step_2", index: 0, call },
  { type: "tool_call.arguments", step_id: "step_2", index: 0, delta: '{"q":' },
  { type: "tool_call.arguments", step_id: "step_2", index: 0, delta: '"x"}' },
  { type: "step.finished", step: step("step_2", { type: "tool_calls", tool_calls: [{ ...call, function: { ...call.function, arguments: '{"q":"x"}' } }] }, "completed") },
];

describe("one neutral run, two APIs", () => {
  it("renders the Assistants stream: steps, messages and their deltas in the hosted order", () => {
    const events = neutral.flatMap(assistantEvents);
    expect(events.map((event) => event.event)).toEqual([
      "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress",
      "thread.message.delta", "thread.message.delta", "thread.message.delta", "thread.message.completed", "thread.run.step.completed",
      "thread.run.step.created", "thread.run.step.in_progress", "thread.run.step.delta", "thread.run.step.delta", "thread.run.step.delta", "thread.run.step.completed",
    ]);
    // The SDKs start a text part from its first fragment (with annotations) and append the others.
    expect(events[4]?.data).toMatchObject({ id: "msg_1", delta: { content: [{ index: 0, type: "text", text: { value: "Hel", annotations: [] } }] } });
    expect(events[5]?.data).toEqual({ id: "msg_1", object: "thread.message.delta", delta: { content: [{ index: 0, type: "text", text: { value: "lo【0】" } }] } });
    expect(events[6]?.data).toMatchObject({ delta: { content: [{ index: 0, text: { annotations: [{ index: 0, type: "file_citation", file_citation: { file_id: "file_1" } }] } }] } });
    expect(events[11]?.data).toMatchObject({ id: "step_2", delta: { step_details: { tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "lookup", arguments: "" } }] } } });
    expect(events[12]?.data).toMatchObject({ delta: { step_details: { tool_calls: [{ index: 0, type: "function", function: { arguments: '{"q":' } }] } } });
  });

  it("renders the Responses stream: output items with their content parts, text, citations and function arguments", async () => {
    const translator = new ResponseEventTranslator(names, () => Promise.reject(new Error("no run events here")), { results: false, codeOutputs: undefined });
    const events = [];
    for (const event of neutral) events.push(...(await translator.translate(event)));
    expect(events.map((event) => event.type)).toEqual([
      "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
      "response.output_text.annotation.added", "response.output_text.done", "response.content_part.done", "response.output_item.done",
      "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
      "response.function_call_arguments.done", "response.output_item.done",
    ]);
    expect(events[4]).toMatchObject({ item_id: "msg_1", annotation_index: 0, annotation: { type: "file_citation", file_id: "file_1", filename: "file_1.pdf", index: 8 } });
    expect(events[5]).toMatchObject({ text: "Hello【0】" });
    expect(events[8]).toMatchObject({ output_index: 1, item: { type: "function_call", call_id: "call_1", name: "lookup", arguments: "" } });
    expect(events[11]).toMatchObject({ output_index: 1, name: "lookup", arguments: '{"q":"x"}' });
  });
});
