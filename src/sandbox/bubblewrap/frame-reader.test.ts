import { describe, expect, it } from "vitest";
import { FrameReader, FrameTooLargeError, encodeFrame } from "./frame-reader.js";

describe("FrameReader", () => {
  it("reassembles frames split and joined arbitrarily", () => {
    const bytes = Buffer.concat([encodeFrame(Buffer.from("first")), encodeFrame(Buffer.from("")), encodeFrame(Buffer.from("third"))]);
    const reader = new FrameReader(100);
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(frames.map((frame) => frame.toString())).toEqual(["first", "", "third"]);
  });

  it("refuses a frame announced larger than the limit before buffering it", () => {
    const reader = new FrameReader(4);
    expect(() => reader.push(encodeFrame(Buffer.from("too long")).subarray(0, 4))).toThrow(FrameTooLargeError);
  });
});
