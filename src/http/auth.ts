import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { AuthenticationError } from "../errors/api-error.js";

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** With keys configured, every /v1 request needs `Authorization: Bearer <one of them>`. */
export function bearerAuth(apiKeys: readonly string[]): MiddlewareHandler {
  return async (context, next) => {
    if (apiKeys.length === 0 || context.req.method === "OPTIONS") return next();
    const header = context.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) {
      throw new AuthenticationError(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      );
    }
    const key = match[1] ?? "";
    if (!apiKeys.some((expected) => sameKey(key, expected))) {
      const shown = key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : "*****";
      throw new AuthenticationError(`Incorrect API key provided: ${shown}.`);
    }
    return next();
  };
}
