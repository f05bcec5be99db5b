import { describe, expect, it } from "vitest";
import { keepNewest, type KeptFile } from "./session-manifest.js";

const file = (name: string, bytes: number, fileId = `file-${name}`): KeptFile => ({ name, fileId, bytes });

describe("keepNewest", () => {
  it("replaces files written again under their name and keeps the newest last", () => {
    const kept = keepNewest([file("a", 1), file("b", 1)], [file("a", 2, "file-a2"), file("c", 1)]);
    expect(kept).toEqual([file("b", 1), file("a", 2, "file-a2"), file("c", 1)]);
  });

  it("drops the oldest files past the count and byte limits", () => {
    const limits = { files: 2, bytes: 10 };
    expect(keepNewest([file("a", 1), file("b", 1)], [file("c", 1)], limits)).toEqual([file("b", 1), file("c", 1)]);
    expect(keepNewest([file("a", 1), file("b", 6)], [file("c", 4)], limits)).toEqual([file("b", 6), file("c", 4)]);
    expect(keepNewest([file("a", 5), file("b", 6)], [file("c", 4)], limits)).toEqual([file("b", 6), file("c", 4)]);
    expect(keepNewest([file("a", 5)], [file("b", 6)], limits)).toEqual([file("b", 6)]);
  });
});
