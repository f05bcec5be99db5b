import { describe, expect, it } from "vitest";
import type { RunStep } from "../domain/objects.js";
import { decideNextStep } from "./next-step.js";

const toolStep = { id: "step_1", type: "tool_calls" } as RunStep;
const builtins = new Set(["file_search", "code_interpreter"]);
const search = { id: "call_s", name: "file_search", input: "{}" };
const weather = { id: "call_w", name: "get_weather", input: "{}" };

describe("the next step after a model turn", () => {
  it("ends the run with an answer, incomplete when the token limit cut it off", () => {
    expect(decideNextStep({ toolCalls: [], finishReason: "stop" }, builtins, "assistants")).toEqual({ type: "final_output", truncated: false });
    expect(decideNextStep({ toolCalls: [], finishReason: "length" }, builtins, "responses")).toEqual({ type: "final_output", truncated: true });
  });

  it("calls the model again after built-in tools alone", () => {
    expect(decideNextStep({ toolStep, toolCalls: [search], finishReason: "tool-calls" }, builtins, "assistants")).toEqual({
      type: "run_again",
      toolStep,
      builtinCalls: [search],
      functionCalls: [],
    });
  });

  it("waits for function outputs on a run, and ends a response with its calls; built-ins still run first", () => {
    const turn = { toolStep, toolCalls: [search, weather], finishReason: "tool-calls" as const };
    expect(decideNextStep(turn, builtins, "assistants")).toEqual({ type: "await_tool_outputs", toolStep, builtinCalls: [search], functionCalls: [weather] });
    expect(decideNextStep(turn, builtins, "responses")).toMatchObject({ type: "end_with_function_calls", builtinCalls: [search], functionCalls: [weather] });
  });

  it("takes a function the client named like no built-in tool of this run for the client's", () => {
    const onlyFunctions = new Set<string>();
    expect(decideNextStep({ toolStep, toolCalls: [search], finishReason: "tool-calls" }, onlyFunctions, "assistants")).toMatchObject({
      type: "await_tool_outputs",
      functionCalls: [search],
    });
  });
});
