import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Context, MiddlewareHandler, Next } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "../../logging/logger.js";
import { idempotencyKeyLifetimeMs, type IdempotencyClaim, type IdempotencyKeys } from "../../storage/idempotency-keys.js";
import { answerUnavailable, invalidKey, keyInUse, keyReused, keyTakenOver, replayedHeader, storedHeaders } from "./answers.js";
import { trackingEffects, type EffectRecorder } from "./effect-tracking.js";
import { readBackPathOf } from "./read-back.js";
import { fingerprintRequest, type RequestFingerprint } from "./request-fingerprint.js";

export interface IdempotencyOptions {
  keys: IdempotencyKeys;
  /**
   * How long a request holds its key without renewing it (it renews every third of this). A duplicate
   * waits up to this long for the first request's answer: by then it has one, or its holder is known dead.
   */
  leaseMs: number;
  /** A `GET` of `path` through the whole app, with the retry's credentials: reads back a result whose answer was lost. */
  readBack: (path: string, headers: Record<string, string>) => Promise<Response>;
  logger: Logger;
}

/** Stripe's limit; the SDKs' generated keys are about 60 characters. */
const maxKeyLength = 255;
const retryAfterMs = 1000;

/** A key means something only for one API key, method and path. Only this hash is stored: never the API key. */
function scopedKey(context: Context, key: string): string {
  const apiKey = /^Bearer\s+(.+)$/i.exec((context.req.header("authorization") ?? "").trim())?.[1] ?? "";
  return createHash("sha256").update(JSON.stringify([apiKey, context.req.method, context.req.path, key])).digest("hex");
}

/** Whether this request is another one than the first with its key. Unknown fingerprints compare as equal. */
async function differs(first: string | null, request: RequestFingerprint): Promise<boolean> {
  if (first === null) return false;
  const ours = await request.complete();
  return ours !== null && ours !== first;
}

/**
 * `Idempotency-Key` on POST requests (every create, and every other POST): the first request with a key
 * does the work; a retry with the same key and request gets the first answer again, status and body, with
 * no second effect; the same key with another request gets 400 `idempotency_key_reused`. Concurrent
 * duplicates, in any process on the database, wait for the first one's answer (409
 * `idempotency_key_in_use`, which the SDKs retry, if it takes longer than a lease). A request whose
 * transactions changed nothing (a validation error) gives its key back, so a retry does the work. Event streams are
 * not stored: a retry of one gets 409 `idempotency_answer_unavailable`.
 */
export function idempotentRetries(options: IdempotencyOptions): MiddlewareHandler {
  const { keys, leaseMs, logger } = options;

  async function claimOrWait(context: Context, key: string, holder: string, request: RequestFingerprint): Promise<IdempotencyClaim> {
    const deadline = Date.now() + leaseMs;
    const claimOptions = { fingerprint: request.early, leaseMs, lifetimeMs: idempotencyKeyLifetimeMs };
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      const claim = await keys.claim(key, holder, claimOptions);
      if (claim.state !== "in_progress" || (await differs(claim.fingerprint, request))) return claim;
      if (Date.now() + delay > deadline || context.req.raw.signal.aborted) return claim;
      await sleep(delay);
    }
  }

  /** Runs the handler as the key's holder, then stores its answer (or gives the key back if it took no effect). */
  async function holdKey(context: Context, next: Next, key: string, holder: string, request: RequestFingerprint): Promise<void> {
    let handling = true;
    let tookEffect = false;
    const recorder: EffectRecorder = async (transaction, result) => {
      // Work the request left running once it answered (a stream's) is not part of its effect.
      if (!handling) return;
      const effectRef = request.streaming ? null : readBackPathOf(result);
      if (!(await transaction.idempotencyKeys.recordEffect(key, holder, effectRef))) throw keyTakenOver();
      transaction.afterCommit(() => (tookEffect = true));
    };
    const renewal = setInterval(() => {
      keys.renew(key, holder, leaseMs).catch((error: unknown) => logger.warn("renewing an idempotency key failed", { error: String(error) }));
    }, leaseMs / 3);
    try {
      await trackingEffects(recorder, next);
    } finally {
      handling = false;
      clearInterval(renewal);
    }
    if (!tookEffect) {
      await keys.release(key, holder).catch((error: unknown) => logger.warn("releasing an idempotency key failed", { error: String(error) }));
      return;
    }
    const response = context.res;
    const stream = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
    const headers: Record<string, string> = {};
    for (const name of storedHeaders) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const answer = { status: response.status, headers, body: stream ? null : await response.clone().text() };
    // The work has committed; its answer is stored in a statement of its own, before the client gets it.
    // A process that dies between the two leaves the key "lost": retries never redo the work, and get the
    // result read back where the transaction said (a run, a thread…) or else 409 (`answerUnavailable`).
    await keys.answer(key, holder, await request.complete(), answer).catch((error: unknown) => {
      logger.warn("storing an idempotent answer failed; retries will read the result back", { error: String(error) });
    });
  }

  return async (context, next) => {
    const given = context.req.header("idempotency-key");
    if (context.req.method !== "POST" || given === undefined) return next();
    if (given.trim().length === 0 || given.length > maxKeyLength) throw invalidKey(`it must be 1 to ${maxKeyLength} characters long.`);
    const key = scopedKey(context, given);
    const request = await fingerprintRequest(context);
    const holder = randomUUID();
    const claim = await claimOrWait(context, key, holder, request);
    if (claim.state === "claimed") return holdKey(context, next, key, holder, request);
    if (await differs(claim.fingerprint, request)) return keyReused(context);
    if (claim.state === "in_progress") return keyInUse(context, retryAfterMs);
    if (claim.state === "answered") {
      const { status, headers, body } = claim.answer;
      if (body === null) return answerUnavailable(context, "stream");
      return context.body(body, status as ContentfulStatusCode, { ...headers, [replayedHeader]: "true" });
    }
    if (claim.effectRef === null || request.streaming) return answerUnavailable(context, "lost");
    const forwarded: Record<string, string> = {};
    for (const name of ["authorization", "openai-beta"]) {
      const value = context.req.header(name);
      if (value !== undefined) forwarded[name] = value;
    }
    const current = await options.readBack(claim.effectRef, forwarded);
    return context.body(await current.text(), current.status as ContentfulStatusCode, {
      "content-type": current.headers.get("content-type") ?? "application/json",
      [replayedHeader]: "true",
    });
  };
}
