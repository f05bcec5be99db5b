import type { Run, RunError, RunStatus, Usage } from "../domain/objects.js";

/**
 * The run lifecycle as a pure function. Every status change of a run goes through `transition`, so a run
 * can only move along the edges in `edges`; anything else throws `IllegalRunTransitionError`.
 */
export type RunEvent =
  | { type: "start" }
  | { type: "require_tool_outputs"; toolCalls: NonNullable<Run["required_action"]>["submit_tool_outputs"]["tool_calls"] }
  | { type: "submit_tool_outputs" }
  | { type: "complete" }
  | { type: "mark_incomplete"; reason: "max_completion_tokens" | "max_prompt_tokens" }
  | { type: "fail"; error: RunError }
  | { type: "request_cancel" }
  | { type: "finish_cancel" }
  | { type: "expire" };

type EventType = RunEvent["type"];

const edges: { [S in RunStatus]: Partial<Record<EventType, RunStatus>> } = {
  queued: { start: "in_progress", request_cancel: "cancelling", fail: "failed", expire: "expired" },
  in_progress: {
    require_tool_outputs: "requires_action",
    complete: "completed",
    mark_incomplete: "incomplete",
    fail: "failed",
    request_cancel: "cancelling",
    expire: "expired",
  },
  // Nothing is executing while a run waits for tool outputs, so a cancel finishes at once.
  requires_action: { submit_tool_outputs: "queued", request_cancel: "cancelled", expire: "expired", fail: "failed" },
  cancelling: { finish_cancel: "cancelled", fail: "failed" },
  cancelled: {},
  failed: {},
  completed: {},
  incomplete: {},
  expired: {},
};

export const terminalRunStatuses: readonly RunStatus[] = ["cancelled", "failed", "completed", "incomplete", "expired"];

export class IllegalRunTransitionError extends Error {
  override name = "IllegalRunTransitionError";
  constructor(
    readonly from: RunStatus,
    readonly event: EventType,
  ) {
    super(`A run in status '${from}' cannot '${event}'.`);
  }
}

export function canTransition(status: RunStatus, event: EventType): boolean {
  return edges[status][event] !== undefined;
}

/** Returns the run after `event` at time `now` (Unix seconds); never mutates its input. */
export function transition(run: Run, event: RunEvent, now: number): Run {
  const status = edges[run.status][event.type];
  if (status === undefined) throw new IllegalRunTransitionError(run.status, event.type);
  const next: Run = { ...run, status, required_action: null };
  switch (event.type) {
    case "start":
      next.started_at ??= now;
      break;
    case "require_tool_outputs":
      next.required_action = { type: "submit_tool_outputs", submit_tool_outputs: { tool_calls: event.toolCalls } };
      break;
    case "complete":
      next.completed_at = now;
      break;
    case "mark_incomplete":
      next.incomplete_details = { reason: event.reason };
      break;
    case "fail":
      next.failed_at = now;
      next.last_error = event.error;
      break;
    case "request_cancel":
      if (status === "cancelled") next.cancelled_at = now;
      break;
    case "finish_cancel":
      next.cancelled_at = now;
      break;
    case "expire":
    case "submit_tool_outputs":
      break;
  }
  // A finished run no longer expires (the hosted API shows `expires_at: null` once it is done).
  if (terminalRunStatuses.includes(status)) next.expires_at = null;
  return next;
}

export function addUsage(total: Usage | null, more: Usage): Usage {
  return {
    prompt_tokens: (total?.prompt_tokens ?? 0) + more.prompt_tokens,
    completion_tokens: (total?.completion_tokens ?? 0) + more.completion_tokens,
    total_tokens: (total?.total_tokens ?? 0) + more.total_tokens,
  };
}
