import type { z } from "zod";
import { InvalidRequestError } from "../errors/api-error.js";

type Path = readonly PropertyKey[];
type Issue = z.core.$ZodIssue;

/** `tools[0].function.name`, as hosted names a field. */
function paramOf(path: Path): string | null {
  if (path.length === 0) return null;
  return path
    .map((segment, index) => (typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`))
    .join("");
}

/**
 * What the client sent at `path`. zod 4 issues carry no input, and a wrong-typed value must not be taken
 * for a missing one, so the body itself is looked at.
 */
function sentAt(body: unknown, path: Path): { present: boolean; value: unknown } {
  let current = body;
  for (const segment of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return { present: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { present: current !== undefined, value: current };
}

/** The hosted wording of a JSON value's type: "a string", "an integer", "a decimal number", "null"… */
function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a decimal number";
  if (typeof value === "object") return "an object";
  return typeof value === "string" ? "a string" : typeof value === "boolean" ? "a boolean" : `a ${typeof value}`;
}

const expectedWords: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  object: "an object",
  record: "an object",
  array: "an array",
  null: "null",
};

/** "'a'", "'a' and 'b'", "'a', 'b', and 'c'", as hosted lists supported values. */
function listValues(values: readonly unknown[]): string {
  const quoted = values.map((value) => `'${String(value)}'`);
  if (quoted.length <= 2) return quoted.join(" and ");
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
}

function shown(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function invalidType(param: string | null, expected: string, value: unknown): InvalidRequestError {
  if (param === null) return new InvalidRequestError(`The request body must be ${expected}, but got ${typeOf(value)} instead.`, { code: "invalid_type" });
  return new InvalidRequestError(`Invalid type for '${param}': expected ${expected}, but got ${typeOf(value)} instead.`, { param, code: "invalid_type" });
}

function missing(param: string | null): InvalidRequestError {
  return new InvalidRequestError(`Missing required parameter: '${param}'.`, { param, code: "missing_required_parameter" });
}

function invalid(param: string | null, detail: string, code: string): InvalidRequestError {
  return new InvalidRequestError(`Invalid '${param ?? "body"}': ${detail}`, { param, code });
}

type Bound = { kind: "too_big" | "too_small"; origin: string; limit: number | bigint; inclusive: boolean };

/**
 * Length and range violations, worded and coded as hosted (`string_above_max_length`, `integer_below_min_value`…).
 * The schema's `origin` decides the noun: query parameters arrive as strings and are coerced to numbers.
 */
function outOfBounds(param: string | null, bound: Bound, value: unknown): InvalidRequestError {
  const limit = String(bound.limit);
  const above = bound.kind === "too_big";
  if (bound.origin === "string" || bound.origin === "array") {
    const noun = bound.origin;
    const article = noun === "array" ? "an" : "a";
    const length = typeof value === "string" || Array.isArray(value) ? value.length : 0;
    if (!above && length === 0) {
      return invalid(param, `empty ${noun}. Expected ${article} ${noun} with minimum length ${limit}, but got an empty ${noun} instead.`, `empty_${noun}`);
    }
    const detail = `${noun} too ${above ? "long" : "short"}. Expected ${article} ${noun} with ${above ? "maximum" : "minimum"} length ${limit}, but got ${article} ${noun} with length ${length} instead.`;
    return invalid(param, detail, `${noun}_${above ? "above_max" : "below_min"}_length`);
  }
  const kind = Number.isInteger(Number(value)) ? "integer" : "decimal";
  const comparison = `${above ? "<" : ">"}${bound.inclusive ? "=" : ""}`;
  const detail = `${kind} ${above ? "above maximum" : "below minimum"} value. Expected a value ${comparison} ${limit}, but got ${shown(value)} instead.`;
  return invalid(param, detail, `${kind}_${above ? "above_max" : "below_min"}_value`);
}

/** The branch of a failed union the client evidently meant: one whose value had the right type. */
function fromUnion(issue: Extract<Issue, { code: "invalid_union" }>, body: unknown): InvalidRequestError {
  const param = paramOf(issue.path);
  const sent = sentAt(body, issue.path);
  if (!sent.present) return missing(param);
  if ("options" in issue && Array.isArray(issue.options)) {
    return new InvalidRequestError(`Invalid value: '${shown(sent.value)}'. Supported values are: ${listValues(issue.options)}.`, { param, code: "invalid_value" });
  }
  const isTypeMismatch = (branch: Issue[]) => branch.length === 1 && branch[0]?.code === "invalid_type" && branch[0].path.length === 0;
  const meant = issue.errors.find((branch) => branch.length > 0 && !isTypeMismatch(branch))?.[0];
  if (meant) return invalidRequestFor({ ...meant, path: [...issue.path, ...meant.path] } as Issue, body);
  const expected = [...new Set(issue.errors.map((branch) => {
    const first = branch[0];
    return first?.code === "invalid_type" ? expectedWords[first.expected] ?? first.expected : "a valid value";
  }))];
  return invalidType(param, expected.length === 1 ? expected[0] ?? "a valid value" : `one of ${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}`, sent.value);
}

/** Turns one schema issue into OpenAI's 400 that names the offending field and says what is wrong with it. */
export function invalidRequestFor(issue: Issue, body: unknown): InvalidRequestError {
  if (issue.code === "unrecognized_keys") {
    const param = paramOf([...issue.path, issue.keys[0] ?? ""]);
    return new InvalidRequestError(`Unknown parameter: '${param}'.`, { param, code: "unknown_parameter" });
  }
  if (issue.code === "invalid_union") return fromUnion(issue, body);
  const param = paramOf(issue.path);
  const sent = sentAt(body, issue.path);
  switch (issue.code) {
    case "invalid_type":
      return sent.present ? invalidType(param, expectedWords[issue.expected] ?? issue.expected, sent.value) : missing(param);
    case "too_big":
      return outOfBounds(param, { kind: "too_big", origin: issue.origin, limit: issue.maximum, inclusive: issue.inclusive ?? true }, sent.value);
    case "too_small":
      return outOfBounds(param, { kind: "too_small", origin: issue.origin, limit: issue.minimum, inclusive: issue.inclusive ?? true }, sent.value);
    case "invalid_value":
      if (!sent.present) return missing(param);
      if (issue.values.every((option) => typeof option !== typeof sent.value)) {
        return invalidType(param, typeOf(issue.values[0]), sent.value);
      }
      return new InvalidRequestError(`Invalid value: '${shown(sent.value)}'. Supported values are: ${listValues(issue.values)}.`, { param, code: "invalid_value" });
    case "invalid_format":
      if (issue.format === "regex" && "pattern" in issue && typeof issue.pattern === "string") {
        const pattern = issue.pattern.replace(/^\/(.*)\/[a-z]*$/, "$1");
        return invalid(param, `string does not match pattern. Expected a string that matches the pattern '${pattern}'.`, "invalid_value");
      }
      return invalid(param, `expected a valid ${issue.format}, but got '${shown(sent.value)}' instead.`, "invalid_value");
    case "invalid_key": {
      const key = String(issue.path.at(-1));
      const [keyIssue] = issue.issues;
      if (keyIssue?.code === "too_big") {
        const detail = `'${key}' is too long. Expected a string with maximum length ${String(keyIssue.maximum)}, but got a string with length ${key.length} instead.`;
        return new InvalidRequestError(`Invalid property name in '${paramOf(issue.path.slice(0, -1))}': ${detail}`, { param, code: "string_above_max_length" });
      }
      return new InvalidRequestError(`Invalid property name in '${paramOf(issue.path.slice(0, -1))}': '${key}'.`, { param, code: "invalid_value" });
    }
    case "custom": {
      const maximum = issue.params?.["maxProperties"];
      if (typeof maximum === "number" && sent.value !== null && typeof sent.value === "object") {
        const count = Object.keys(sent.value).length;
        return invalid(param, `too many properties. Expected an object with at most ${maximum} properties, but got an object with ${count} properties instead.`, "object_above_max_properties");
      }
      return invalid(param, `${issue.message}.`, "invalid_value");
    }
    default:
      return invalid(param, `${issue.message}.`, "invalid_value");
  }
}
