import type { Context } from "hono";
import { z } from "zod";
import { InvalidRequestError } from "../errors/api-error.js";
import { withBodyText } from "./json-body.js";
import { invalidRequestFor } from "./validation-errors.js";

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const [issue] = result.error.issues;
    throw issue ? invalidRequestFor(issue, input) : new InvalidRequestError("Invalid request body.");
  }
  return result.data;
}

/** Reads a JSON body (an empty body counts as `{}`) within the body budget and validates it. */
export async function readJsonBody<S extends z.ZodType>(context: Context, schema: S): Promise<z.output<S>> {
  return withBodyText(context, (text) => {
    let input: unknown = {};
    if (text.trim().length > 0) {
      try {
        input = JSON.parse(text);
      } catch {
        throw new InvalidRequestError(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          { code: "invalid_json" },
        );
      }
    }
    return parseWith(schema, input);
  });
}
