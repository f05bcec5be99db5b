import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { defaultProjectId } from "../domain/projects.js";
import { ApiError, AuthenticationError } from "../errors/api-error.js";
import type { ProjectKeys } from "./project-keys.js";
import { inProject } from "./request-store.js";

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const missingKeyMessage =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

/**
 * Every /v1 request runs as a request of one project: the project of its key (`SPOOL_API_KEYS` are the
 * default project's). Until keys are set up (no `SPOOL_API_KEYS`, no project created, no project key) the
 * server is open and every request is the default project's, whatever key the client sends.
 */
export function projectAuth(staticKeys: readonly string[], projectKeys: ProjectKeys): MiddlewareHandler {
  return async (context, next) => {
    if (context.req.method === "OPTIONS") return next();
    const presented = bearerKey(context.req.header("authorization"));
    if (presented !== undefined && staticKeys.some((expected) => sameKey(presented, expected))) return inProject(defaultProjectId, next);
    const lookup = presented === undefined ? undefined : await projectKeys.lookup(presented);
    if (lookup?.kind === "project") return inProject(lookup.projectId, next);
    if (lookup?.kind === "archived") throw new AuthenticationError("The project of this API key has been archived and can no longer be used.");
    if (staticKeys.length === 0 && !(await projectKeys.required())) return inProject(defaultProjectId, next);
    if (presented === undefined) throw new AuthenticationError(missingKeyMessage);
    throw new AuthenticationError(`Incorrect API key provided: ${redacted(presented)}.`);
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

function bearerKey(header: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec((header ?? "").trim())?.[1];
}

/** As hosted error messages show a wrong key; keys are never logged or echoed whole. */
function redacted(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : "*****";
}

function checkKey(header: string | undefined, accepted: readonly string[]): void {
  const key = bearerKey(header);
  if (key === undefined) throw new AuthenticationError(missingKeyMessage);
  if (!accepted.some((expected) => sameKey(key, expected))) throw new AuthenticationError(`Incorrect API key provided: ${redacted(key)}.`);
}
