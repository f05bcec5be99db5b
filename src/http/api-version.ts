import type { Context } from "hono";

/** `OpenAI-Beta: assistants=v1` (openai-python < 1.21, openai-node < 4.37) selects v1 shapes; v2 is the default. */
export type ApiVersion = "v1" | "v2";

export function apiVersionOf(context: Context): ApiVersion {
  const beta = context.req.header("openai-beta") ?? "";
  return /assistants=v1\b/.test(beta) ? "v1" : "v2";
}
