import type { RunStep } from "../domain/objects.js";
import type { ModelToolCall, TurnOutcome } from "./model-turn.js";

/** A turn that called tools: the step holding the calls, split into those the server runs and those the client runs. */
interface ToolTurn {
  toolStep: RunStep;
  builtinCalls: ModelToolCall[];
  functionCalls: ModelToolCall[];
}

/**
 * What a run does after one model turn, decided from that turn alone (openai-agents-js's `NextStep`): the
 * executor carries it out. Built-in calls of a tool turn always run first, then:
 */
export type NextStep =
  /** The turn answered: its message ends the run (`truncated`: cut off by the token limit, so `incomplete`). */
  | { type: "final_output"; truncated: boolean }
  /** Only built-in tools were called: the model is called again with their outputs. */
  | ({ type: "run_again" } & ToolTurn)
  /** An Assistants run waits for the client's function outputs (`requires_action`). */
  | ({ type: "await_tool_outputs" } & ToolTurn)
  /** A response ends with its function calls; their outputs come with the client's next response. */
  | ({ type: "end_with_function_calls" } & ToolTurn);

export function decideNextStep(
  turn: Pick<TurnOutcome, "toolStep" | "toolCalls" | "finishReason">,
  builtinNames: ReadonlySet<string>,
  surface: "assistants" | "responses",
): NextStep {
  if (!turn.toolStep) return { type: "final_output", truncated: turn.finishReason === "length" };
  const toolTurn: ToolTurn = {
    toolStep: turn.toolStep,
    builtinCalls: turn.toolCalls.filter((call) => builtinNames.has(call.name)),
    functionCalls: turn.toolCalls.filter((call) => !builtinNames.has(call.name)),
  };
  if (toolTurn.functionCalls.length === 0) return { type: "run_again", ...toolTurn };
  return { type: surface === "responses" ? "end_with_function_calls" : "await_tool_outputs", ...toolTurn };
}
