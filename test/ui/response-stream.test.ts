import { describe, expect, it } from "vitest";
import type { ResponseItem, ResponseObject } from "../../ui/src/api/response-types.js";
import { citationAnnotation, drawnItems, itemMessage, pendingFunctionCalls } from "../../ui/src/lib/response-items.js";
import { applyResponseEvent, emptyResponsesChat, reasoningText, type ResponsesChatState } from "../../ui/src/lib/response-stream.js";

const response = (status: ResponseObject["status"], output: ResponseItem[] = []): ResponseObject => ({ id: "resp_1", object: "response", created_at: 1, status, model: "gpt-4o", output });

function apply(events: [string, unknown][], state: ResponsesChatState = emptyResponsesChat): ResponsesChatState {
  return events.reduce((current, [event, data]) => applyResponseEvent(current, event, data), state);
}

describe("Responses stream folding", () => {
  it("grows a message delta by delta, adds its citation, and settles on the final snapshot", () => {
    const at = { item_id: "msg_1", output_index: 0, content_index: 0 };
    const streamed = apply([
      ["response.created", { response: response("in_progress") }],
      ["response.output_item.added", { output_index: 0, item: { type: "message", id: "msg_1", status: "in_progress", role: "assistant", content: [] } }],
      ["response.content_part.added", { ...at, part: { type: "output_text", text: "", annotations: [] } }],
      ["response.output_text.delta", { ...at, delta: "성장률은 " }],
      ["response.output_text.delta", { ...at, delta: "1.4%【0:0†r.pdf】" }],
      ["response.output_text.annotation.added", { ...at, annotation_index: 0, annotation: { type: "file_citation", file_id: "file-1", filename: "r.pdf", index: 15 } }],
    ]);
    expect(streamed.response?.status).toBe("in_progress");
    const message = streamed.items[0];
    expect(message?.type === "message" && message.content[0]).toEqual({ type: "output_text", text: "성장률은 1.4%【0:0†r.pdf】", annotations: [{ type: "file_citation", file_id: "file-1", filename: "r.pdf", index: 15 }] });

    const final: ResponseItem = { type: "message", id: "msg_1", status: "completed", role: "assistant", content: [{ type: "output_text", text: "done", annotations: [] }] };
    const settled = apply([["response.completed", { response: response("completed", [final]) }]], streamed);
    expect(settled.items).toEqual([final]);
    expect(settled.response?.status).toBe("completed");
  });

  it("grows a reasoning item's text delta by delta", () => {
    const at = { item_id: "rs_1", output_index: 0, content_index: 0 };
    const state = apply([
      ["response.output_item.added", { output_index: 0, item: { type: "reasoning", id: "rs_1", status: "in_progress", summary: [], content: [] } }],
      ["response.content_part.added", { ...at, part: { type: "reasoning_text", text: "" } }],
      ["response.reasoning_text.delta", { ...at, delta: "The user " }],
      ["response.reasoning_text.delta", { ...at, delta: "greets me." }],
    ]);
    const item = state.items[0];
    expect(item?.type === "reasoning" && reasoningText(item)).toBe("The user greets me.");
  });

  it("streams a function call's arguments and a file search call's status", () => {
    const state = apply([
      ["response.output_item.added", { output_index: 0, item: { type: "file_search_call", id: "fs_1", status: "in_progress", queries: [], results: null } }],
      ["response.file_search_call.searching", { output_index: 0, item_id: "fs_1" }],
      ["response.output_item.added", { output_index: 1, item: { type: "function_call", id: "fc_1", call_id: "call_1", name: "f", arguments: "", status: "in_progress" } }],
      ["response.function_call_arguments.delta", { item_id: "fc_1", output_index: 1, delta: '{"city":' }],
      ["response.function_call_arguments.delta", { item_id: "fc_1", output_index: 1, delta: '"서울"}' }],
    ]);
    expect(state.items[0]).toMatchObject({ type: "file_search_call", status: "searching" });
    expect(state.items[1]).toMatchObject({ type: "function_call", arguments: '{"city":"서울"}' });
  });
});

describe("code interpreter calls", () => {
  it("streams the call's code and status, and its file link becomes a download of the container file", () => {
    const state = apply([
      ["response.output_item.added", { output_index: 0, item: { type: "code_interpreter_call", id: "ci_1", status: "in_progress", container_id: "cntr_1", code: null, outputs: null } }],
      ["response.code_interpreter_call_code.delta", { output_index: 0, item_id: "ci_1", delta: "print(1)" }],
      ["response.code_interpreter_call.interpreting", { output_index: 0, item_id: "ci_1" }],
    ]);
    expect(state.items[0]).toMatchObject({ type: "code_interpreter_call", status: "interpreting", code: "print(1)" });

    const text = "Download [the summary](sandbox:/mnt/data/summary.csv).";
    const start = text.indexOf("sandbox:");
    const end = text.indexOf(")", start);
    const message: Extract<ResponseItem, { type: "message" }> = {
      type: "message",
      id: "msg_1",
      role: "assistant",
      content: [{ type: "output_text", text, annotations: [{ type: "container_file_citation", container_id: "cntr_1", file_id: "cfile_1", filename: "summary.csv", start_index: start, end_index: end }] }],
    };
    const part = itemMessage(message, "conv_1")?.content[0];
    expect(part?.type === "text" && part.text.annotations).toEqual([
      { type: "file_path", text: "sandbox:/mnt/data/summary.csv", start_index: start, end_index: end, file_path: { file_id: "cfile_1", container_id: "cntr_1" } },
    ]);
  });
});

describe("conversation items as the chat draws them", () => {
  it("turns a citation into a footnote over Spool's marker, or at its index when there is none", () => {
    const text = "1.4%【0:3†r.pdf†p.2】입니다";
    const end = text.indexOf("】") + 1;
    expect(citationAnnotation(text, { type: "file_citation", file_id: "file-1", index: end })).toMatchObject({ text: "【0:3†r.pdf†p.2】", start_index: 4, end_index: end });
    expect(citationAnnotation("plain text", { type: "file_citation", file_id: "file-1", index: 5 })).toMatchObject({ text: "", start_index: 5, end_index: 5 });
  });

  it("shows user and assistant messages as bubbles, and others not", () => {
    const item = (role: "user" | "developer"): ResponseItem => ({ type: "message", id: "m", role, content: [{ type: "input_text", text: "hi" }] });
    expect(itemMessage(item("user") as Extract<ResponseItem, { type: "message" }>, "conv_1")?.content).toEqual([{ type: "text", text: { value: "hi", annotations: [] } }]);
    expect(itemMessage(item("developer") as Extract<ResponseItem, { type: "message" }>, "conv_1")).toBeUndefined();
  });

  it("offers the calls the conversation ends with that lack an output, and draws an output with its call", () => {
    const call = (id: string): ResponseItem => ({ type: "function_call", id: `fc_${id}`, call_id: id, name: "f", arguments: "{}", status: "completed" });
    const output = (id: string): ResponseItem => ({ type: "function_call_output", id: `fco_${id}`, call_id: id, output: "ok" });
    const said: ResponseItem = { type: "message", id: "m", role: "user", content: [{ type: "input_text", text: "hi" }] };
    const items = [call("old"), said, call("a"), output("a"), call("b")];
    expect(pendingFunctionCalls(items).map((c) => c.id)).toEqual(["b"]);
    expect(drawnItems([...items, output("elsewhere")]).map((item) => item.id)).toEqual(["fc_old", "m", "fc_a", "fc_b", "fco_elsewhere"]);
  });
});
