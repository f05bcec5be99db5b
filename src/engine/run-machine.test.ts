import { describe, expect, it } from "vitest";
import type { Run, RunStatus } from "../domain/objects.js";
import { runStatuses } from "../domain/objects.js";
import { canTransition, IllegalRunTransitionError, transition, type RunEvent } from "./run-machine.js";

function runIn(status: RunStatus): Run {
  return {
    id: "run_1", object: "thread.run", created_at: 100, thread_id: "thread_1", assistant_id: "asst_1", status,
    required_action: null, last_error: null, expires_at: 700, started_at: null, cancelled_at: null, failed_at: null,
    completed_at: null, incomplete_details: null, model: "m", instructions: "", tools: [], metadata: {}, usage: null,
    temperature: 1, top_p: 1, max_prompt_tokens: null, max_completion_tokens: null,
    truncation_strategy: { type: "auto", last_messages: null }, tool_choice: "auto", parallel_tool_calls: true,
    response_format: "auto", file_ids: [], include: [], reasoning_effort: null,
  };
}

const events: RunEvent[] = [
  { type: "start" },
  { type: "require_tool_outputs", toolCalls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] },
  { type: "submit_tool_outputs" },
  { type: "complete" },
  { type: "mark_incomplete", reason: "max_completion_tokens" },
  { type: "fail", error: { code: "server_error", message: "boom" } },
  { type: "request_cancel" },
  { type: "finish_cancel" },
  { type: "expire" },
];

const allowed: Record<RunStatus, string[]> = {
  queued: ["start", "request_cancel", "fail", "expire"],
  in_progress: ["require_tool_outputs", "complete", "mark_incomplete", "fail", "request_cancel", "expire"],
  requires_action: ["submit_tool_outputs", "request_cancel", "expire", "fail"],
  cancelling: ["finish_cancel", "fail"],
  cancelled: [], failed: [], completed: [], incomplete: [], expired: [],
};

describe("run state machine", () => {
  it("walks the function-calling lifecycle", () => {
    let run = transition(runIn("queued"), { type: "start" }, 101);
    expect(run).toMatchObject({ status: "in_progress", started_at: 101 });
    run = transition(run, events[1] as RunEvent, 102);
    expect(run.status).toBe("requires_action");
    expect(run.required_action?.submit_tool_outputs.tool_calls[0]?.id).toBe("call_1");
    run = transition(run, { type: "submit_tool_outputs" }, 103);
    expect(run).toMatchObject({ status: "queued", required_action: null });
    run = transition(transition(run, { type: "start" }, 104), { type: "complete" }, 105);
    expect(run).toMatchObject({ status: "completed", completed_at: 105, expires_at: null, started_at: 101 });
  });

  it("cancels a waiting run at once and a working one through cancelling", () => {
    expect(transition(runIn("requires_action"), { type: "request_cancel" }, 5)).toMatchObject({ status: "cancelled", cancelled_at: 5 });
    const cancelling = transition(runIn("in_progress"), { type: "request_cancel" }, 5);
    expect(cancelling).toMatchObject({ status: "cancelling", cancelled_at: null });
    expect(transition(cancelling, { type: "finish_cancel" }, 6)).toMatchObject({ status: "cancelled", cancelled_at: 6 });
  });

  it("records failures and incomplete reasons", () => {
    const failed = transition(runIn("in_progress"), events[5] as RunEvent, 9);
    expect(failed).toMatchObject({ status: "failed", failed_at: 9, last_error: { code: "server_error" }, expires_at: null });
    expect(transition(runIn("in_progress"), events[4] as RunEvent, 9).incomplete_details).toEqual({ reason: "max_completion_tokens" });
  });

  for (const status of runStatuses) {
    for (const event of events) {
      const legal = allowed[status].includes(event.type);
      it(`${legal ? "allows" : "rejects"} '${event.type}' from '${status}'`, () => {
        expect(canTransition(status, event.type)).toBe(legal);
        if (legal) expect(() => transition(runIn(status), event, 1)).not.toThrow();
        else expect(() => transition(runIn(status), event, 1)).toThrow(IllegalRunTransitionError);
      });
    }
  }
});
