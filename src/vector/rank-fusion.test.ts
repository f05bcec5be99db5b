import { describe, expect, it } from "vitest";
import { fuseRankings } from "./rank-fusion.js";

describe("fuseRankings", () => {
  const identity = (item: string) => item;

  it("rewards agreement between rankings and normalises to 0..1", () => {
    const fused = fuseRankings([["a", "b", "c"], ["b", "d"]], identity);
    expect(fused.map((entry) => entry.item)).toEqual(["b", "a", "d", "c"]);
    expect(fused[0]?.score).toBeLessThan(1);
    expect(fuseRankings([["a"], ["a"]], identity)[0]?.score).toBe(1);
    for (const entry of fused) expect(entry.score).toBeGreaterThan(0);
  });

  it("counts a repeated key only at its best rank", () => {
    const fused = fuseRankings([["a", "a", "b"]], identity);
    expect(fused.map((entry) => entry.item)).toEqual(["a", "b"]);
    expect(fused[0]?.score).toBe(1);
  });

  it("returns nothing for empty rankings", () => {
    expect(fuseRankings([[], []], identity)).toEqual([]);
  });
});
