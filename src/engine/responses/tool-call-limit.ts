import type { Run, RunStep } from "../../domain/objects.js";
import type { Store } from "../../storage/store.js";
import { isResponseRun } from "./response-runs.js";

/** What the model is told for a built-in call it made past the limit: the call was not made. */
export const notMadeOutput = (limit: number) => `This call was not made: this response may make no more than ${limit} built-in tool calls (max_tool_calls).`;

/**
 * `max_tool_calls` of a response caps the built-in tool calls (file search, code interpreter) it makes
 * across all its turns; further calls the model attempts are not made. Counts what this run's steps made.
 */
export class ToolCallLimit {
  private constructor(
    private readonly limit: number | null,
    private made: number,
  ) {}

  static async of(store: Store, run: Run, steps: RunStep[]): Promise<ToolCallLimit> {
    const limit = isResponseRun(run) ? ((await store.responses.get(run.id))?.max_tool_calls ?? null) : null;
    if (limit === null) return new ToolCallLimit(null, 0);
    const made = steps.flatMap((step) =>
      step.step_details.type === "tool_calls" ? step.step_details.tool_calls.filter((call) => call.type !== "function" && step.model_outputs[call.id] !== notMadeOutput(limit)) : [],
    ).length;
    return new ToolCallLimit(limit, made);
  }

  /** Whether the model may still be offered built-in tools. */
  get open(): boolean {
    return this.limit === null || this.made < this.limit;
  }

  /** Takes one call from what is left; undefined when it may be made, else the output the model gets instead. */
  take(): string | undefined {
    if (this.limit === null) return undefined;
    if (this.made >= this.limit) return notMadeOutput(this.limit);
    this.made += 1;
    return undefined;
  }
}
