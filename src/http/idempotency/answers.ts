import type { Context } from "hono";
import { ApiError, InvalidRequestError, toErrorBody } from "../../errors/api-error.js";

/** Set on every answer that is the first request's, not this one's. */
export const replayedHeader = "idempotent-replayed";

/** The headers of a stored answer that a replay repeats; the request id stays the retry's own. */
export const storedHeaders = ["content-type", "openai-poll-after-ms"] as const;

function answer(context: Context, error: ApiError, headers: Record<string, string>): Response {
  const { status, body } = toErrorBody(error);
  return context.json(body, status as 400, headers);
}

export function invalidKey(message: string): InvalidRequestError {
  return new InvalidRequestError(`Invalid 'Idempotency-Key' header: ${message}`, { code: "invalid_idempotency_key" });
}

/** Not retried by the SDKs (400): the client reused a key for another request. */
export function keyReused(context: Context): Response {
  const message = `This Idempotency-Key was already used for a different request to ${context.req.method} ${context.req.path} (another body, query or OpenAI-Beta version). Use a new key for a new request.`;
  return answer(context, new InvalidRequestError(message, { code: "idempotency_key_reused" }), {});
}

/** 409, which the SDKs retry with backoff: by then the first request has usually answered. */
export function keyInUse(context: Context, retryAfterMs: number): Response {
  const message = "Another request with this Idempotency-Key is still being processed. Retry shortly to get its answer.";
  return answer(context, new ApiError(409, message, "invalid_request_error", "idempotency_key_in_use"), {
    "retry-after-ms": String(retryAfterMs),
    "x-should-retry": "true",
  });
}

/** The error a holder's transaction fails with when its key was taken over: its work is rolled back. */
export function keyTakenOver(): ApiError {
  return new ApiError(409, "This request's Idempotency-Key was taken over by a retry while it was being processed; its work was not done.", "invalid_request_error", "idempotency_key_in_use");
}

/** 409 that no retry will change (`x-should-retry: false`): the first request took effect, but its answer cannot be repeated. */
export function answerUnavailable(context: Context, why: "stream" | "lost"): Response {
  const reason =
    why === "stream"
      ? "was answered with an event stream, which is not stored"
      : "took effect, but the server stopped before its answer was stored";
  const message = `The first request with this Idempotency-Key ${reason}; it is not done again. Look up what it created (for a run, list the thread's runs).`;
  return answer(context, new ApiError(409, message, "invalid_request_error", "idempotency_answer_unavailable"), { "x-should-retry": "false" });
}
