import { describe, expect, it } from "vitest";
import { newId } from "./ids.js";

describe("newId", () => {
  it("gives OpenAI-style ids with a 24-character random suffix, never the same twice", () => {
    const ids = Array.from({ length: 2000 }, () => newId("run"));
    for (const id of ids) expect(id).toMatch(/^run_[0-9A-Za-z]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId("file")).toMatch(/^file-[0-9A-Za-z]{24}$/);
  });
});
