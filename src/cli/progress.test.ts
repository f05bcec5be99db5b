import { expect, it } from "vitest";
import { createProgress } from "./progress.js";

function capture(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written };
}

it("draws a bar with counts on a terminal, ending the line when done", () => {
  const { stream, written } = capture(true);
  const progress = createProgress(stream);
  progress.start("threads", 4);
  progress.tick(2);
  progress.done();
  expect(written[0]).toBe(`\rthreads [${".".repeat(30)}] 0/4`);
  expect(written.at(-2)).toBe(`\rthreads [${"#".repeat(15)}${".".repeat(15)}] 2/4`);
  expect(written.at(-1)).toBe("\n");
});

it("writes whole lines, not redraws, when stderr is a file or pipe", () => {
  const { stream, written } = capture(false);
  const progress = createProgress(stream);
  progress.start("files", 10_000);
  for (let count = 0; count < 10_000; count += 1) progress.tick();
  progress.done();
  expect(written[0]).toBe("files: 0/10,000\n");
  expect(written.at(-1)).toBe("files: 10,000/10,000\n");
  expect(written.every((line) => !line.includes("\r"))).toBe(true);
});
