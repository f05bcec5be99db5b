import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { z } from "zod";
import { InvalidRequestError } from "../errors/api-error.js";

function paramOf(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  return path
    .map((segment, index) => (typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`))
    .join("");
}

/** Turns the first schema issue into OpenAI's 400 that names the offending field. */
export function toInvalidRequest(error: z.ZodError): InvalidRequestError {
  const issue = error.issues[0];
  if (!issue) return new InvalidRequestError("Invalid request body.");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const param = paramOf([...issue.path, key]);
    return new InvalidRequestError(`Unknown parameter: '${param}'.`, { param, code: "unknown_parameter" });
  }
  const param = paramOf(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return new InvalidRequestError(`Missing required parameter: '${param}'.`, {
      param,
      code: "missing_required_parameter",
    });
  }
  return new InvalidRequestError(`Invalid '${param ?? "body"}': ${issue.message}.`, { param, code: "invalid_value" });
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

/**
 * The body as text. Under the Node server it is read straight off the socket: building a WHATWG Request
 * (and its web stream) only to read a small JSON body costs more CPU than the rest of a typical request.
 */
function bodyText(context: Context): Promise<string> {
  const incoming = (context.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead) return context.req.text();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    // A client that hangs up mid-body gets "error" (ECONNRESET) or just "close": either way it is its request.
    const cutShort = () => reject(new InvalidRequestError("The request body ended before it was complete."));
    incoming.once("error", cutShort);
    incoming.once("close", () => {
      if (!incoming.complete) cutShort();
    });
  });
}

/** Reads a JSON body (an empty body counts as `{}`) and validates it. */
export async function readJsonBody<S extends z.ZodType>(context: Context, schema: S): Promise<z.output<S>> {
  const text = await bodyText(context);
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
}
