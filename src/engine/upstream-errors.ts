import { APICallError } from "@ai-sdk/provider";
import type { RunError } from "../domain/objects.js";

/** 429, 5xx, 408/409 and network failures are worth retrying; bad requests are not. */
export function isRetryableUpstreamError(error: unknown): boolean {
  if (APICallError.isInstance(error)) return error.isRetryable;
  return error instanceof TypeError; // fetch's "fetch failed": connection refused, reset, DNS
}

/** Maps an upstream failure to the run's `last_error`, keeping the upstream's own message. */
export function toRunError(error: unknown): RunError {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? 0;
    const detail = `Upstream ${status ? `HTTP ${status}` : "error"}: ${error.message}`;
    if (status === 429) return { code: "rate_limit_exceeded", message: detail };
    if (status === 400 || status === 404 || status === 413 || status === 422) return { code: "invalid_prompt", message: detail };
    return { code: "server_error", message: detail };
  }
  if (error instanceof TypeError) {
    return { code: "server_error", message: `Could not reach the upstream model server: ${error.message}` };
  }
  return { code: "server_error", message: error instanceof Error ? error.message : String(error) };
}

/** A failure's label in metrics and spans: the upstream's HTTP status, `connection`, or `other`. */
export function upstreamErrorCode(error: unknown): string {
  if (APICallError.isInstance(error)) return error.statusCode ? String(error.statusCode) : "other";
  return error instanceof TypeError ? "connection" : "other";
}
