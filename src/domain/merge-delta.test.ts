import { describe, expect, it } from "vitest";
import { mergeDelta } from "./merge-delta.js";

describe("mergeDelta", () => {
  it("accumulates a code interpreter call the way SDK clients do", () => {
    let call: unknown = { id: "call_1", type: "code_interpreter", code_interpreter: { input: "", outputs: [] } };
    call = mergeDelta(call, { index: 0, type: "code_interpreter", code_interpreter: { input: "print(" } });
    call = mergeDelta(call, { index: 0, type: "code_interpreter", code_interpreter: { input: "1)" } });
    call = mergeDelta(call, { index: 0, type: "code_interpreter", code_interpreter: { outputs: [{ index: 0, type: "logs", logs: "1\n" }] } });
    call = mergeDelta(call, { index: 0, type: "code_interpreter", code_interpreter: { outputs: [{ index: 1, type: "image", image: { file_id: "file-a" } }] } });
    expect(call).toEqual({
      id: "call_1",
      type: "code_interpreter",
      code_interpreter: { input: "print(1)", outputs: [{ type: "logs", logs: "1\n" }, { type: "image", image: { file_id: "file-a" } }] },
    });
  });

  it("replaces numbers and booleans and fills nulls", () => {
    expect(mergeDelta({ a: 1, b: null, c: true }, { a: 2, b: { x: "y" }, c: false })).toEqual({ a: 2, b: { x: "y" }, c: false });
  });
});
