import { describe, expect, it } from "vitest";
import { CellOutput } from "./cell-output.js";

const MARKER = "\0end:abc\0";

describe("CellOutput", () => {
  it("ends at the marker even when it is split across chunks, dropping what follows", () => {
    const output = new CellOutput(100, MARKER);
    output.write("hello\n\0en");
    expect(output.isEnded).toBe(false);
    output.write("d:abc\0late output");
    expect(output.isEnded).toBe(true);
    expect(output.text()).toBe("hello\n");
  });

  it("keeps the head and the tail within the budget and says how much was cut", () => {
    const output = new CellOutput(10, MARKER);
    for (const chunk of ["0123456789", "abcdefghij", "KLMNOPQRST"]) output.write(chunk);
    output.write(MARKER);
    expect(output.text()).toBe("01234\n[… 20 characters omitted: output is limited to 10 characters …]\nPQRST");
  });
});
