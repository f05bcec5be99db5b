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

const codeFieldStart = /^\s*\{\s*"code"\s*:\s*"/;
const simpleEscapes: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * The code so far of a `{"code": "..."}` input the model is still writing, decoded; undefined while the
 * input does not (yet) look like that (bare code is shown once complete). Stops before an escape that has
 * not fully arrived, so each result is a prefix of the next and of the code `parseCodeInput` reads.
 */
export function partialCodeInput(rawSoFar: string): string | undefined {
  const start = codeFieldStart.exec(rawSoFar);
  if (!start) return undefined;
  let code = "";
  for (let at = start[0].length; at < rawSoFar.length; at += 1) {
    const char = rawSoFar[at] as string;
    if (char === '"') return code;
    if (char !== "\\") {
      code += char;
      continue;
    }
    const escape = rawSoFar[at + 1];
    if (escape === undefined) return code;
    if (escape === "u") {
      const hex = rawSoFar.slice(at + 2, at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return code;
      code += String.fromCharCode(Number.parseInt(hex, 16));
      at += 5;
      continue;
    }
    const decoded = simpleEscapes[escape];
    if (decoded === undefined) return code;
    code += decoded;
    at += 1;
  }
  return code;
}
