import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ApiError, AuthenticationError } from "../errors/api-error.js";

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** With keys configured, every /v1 request needs `Authorization: Bearer <one of them>`. */
export function bearerAuth(apiKeys: readonly string[]): MiddlewareHandler {
  return async (context, next) => {
    if (apiKeys.length === 0 || context.req.method === "OPTIONS") return next();
    checkKey(context.req.header("authorization"), apiKeys);
    return next();
  };
}

/**
 * The admin API (`/v1/organization/…`) needs `Authorization: Bearer <SPOOL_ADMIN_KEY>`; without an admin
 * key it does not exist. `whenUnset: "open"` is for endpoints an admin key only guards (`/metrics`).
 */
export function adminAuth(adminKey: string | undefined, options: { whenUnset: "open" | "disabled" }): MiddlewareHandler {
  return async (context, next) => {
    if (context.req.method === "OPTIONS") return next();
    if (adminKey === undefined) {
      if (options.whenUnset === "open") return next();
      throw new ApiError(403, "The admin API is off on this server: set SPOOL_ADMIN_KEY to use it.", "invalid_request_error", "admin_api_disabled");
    }
    checkKey(context.req.header("authorization"), [adminKey]);
    return next();
  };
}

function checkKey(header: string | undefined, accepted: readonly string[]): void {
  const match = /^Bearer\s+(.+)$/i.exec((header ?? "").trim());
  if (!match) {
    throw new AuthenticationError(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    );
  }
  const key = match[1] ?? "";
  if (!accepted.some((expected) => sameKey(key, expected))) {
    const shown = key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : "*****";
    throw new AuthenticationError(`Incorrect API key provided: ${shown}.`);
  }
}
