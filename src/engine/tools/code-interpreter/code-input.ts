/**
 * The code the model asked to run. The function takes `{ "code": "..." }`, but models served by small
 * local backends sometimes send the bare code instead of JSON; running it as written beats failing.
 */
export function parseCodeInput(input: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return input;
  }
  if (typeof parsed === "object" && parsed !== null && "code" in parsed && typeof parsed.code === "string") return parsed.code;
  // A JSON string literal is still code; any other JSON value is a malformed call the model should see fail.
  if (typeof parsed === "string") return parsed;
  throw new InvalidCodeInputError(`Expected {"code": "<python source>"}, got ${input.slice(0, 200)}`);
}

export class InvalidCodeInputError extends Error {
  override name = "InvalidCodeInputError";
}
