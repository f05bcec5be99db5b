import { expect, it } from "vitest";
import { BoundaryBlindHash } from "./boundary-blind-hash.js";

const form = (boundary: string, content: string) =>
  `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${content}\r\n--${boundary}--\r\n`;

function digest(boundary: string, body: string, chunkSize: number): string {
  const hash = new BoundaryBlindHash(boundary);
  const bytes = Buffer.from(body);
  for (let start = 0; start < bytes.length; start += chunkSize) hash.update(bytes.subarray(start, start + chunkSize));
  return hash.digest();
}

it("hashes a form the same whatever its boundary and however it is split into chunks", () => {
  const whole = digest("boundary-one-1234", form("boundary-one-1234", "the notes"), 1 << 20);
  for (const chunkSize of [1, 2, 3, 5, 7, 16, 17]) {
    expect(digest("boundary-one-1234", form("boundary-one-1234", "the notes"), chunkSize)).toBe(whole);
    expect(digest("another-boundary-98765", form("another-boundary-98765", "the notes"), chunkSize)).toBe(whole);
  }
  expect(digest("boundary-one-1234", form("boundary-one-1234", "the notez"), 3)).not.toBe(whole);
});
