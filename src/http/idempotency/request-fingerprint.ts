import { createHash } from "node:crypto";
import type { Context } from "hono";
import { apiVersionOf } from "../api-version.js";
import { readBodyAhead } from "../json-body.js";
import { BoundaryBlindHash } from "./boundary-blind-hash.js";

/** What makes two requests with one key the same request, and whether the first one's answer can be stored. */
export interface RequestFingerprint {
  /** Known before the handler runs for bodies read whole; null for an upload until `complete`. */
  readonly early: string | null;
  /** The body asks for an event stream (`"stream": true`), which is never stored. */
  readonly streaming: boolean;
  /**
   * The fingerprint once the whole body has gone by: reads what nobody read yet. Null when the handler
   * stopped reading an upload halfway (then nothing is compared).
   */
  complete(): Promise<string | null>;
}

function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function asksForStream(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === "object" && body !== null && "stream" in body && body.stream === true;
  } catch {
    return false;
  }
}

/**
 * Fingerprints the request: its query, API version, content type and body. A JSON (or any non-upload)
 * body is read now and kept for the handler; an upload is hashed as the handler streams it, since it may
 * be far larger than anything kept in memory.
 */
export async function fingerprintRequest(context: Context): Promise<RequestFingerprint> {
  const contentType = context.req.header("content-type") ?? "";
  const boundary = boundaryOf(contentType);
  // What the server reads, not how it was spelled: the API version (a bare request and the SDK's
  // `assistants=v2` are the same) and the media type without its parameters (charset, boundary).
  const mediaType = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  const framing = [new URL(context.req.url).search, apiVersionOf(context), mediaType].join("\n");
  const finish = (bodyDigest: string) => createHash("sha256").update(`${framing}\n${bodyDigest}`).digest("hex");
  const original = context.req.raw;
  if (!boundary || !original.body) {
    const text = await readBodyAhead(context);
    const fingerprint = finish(createHash("sha256").update(text).digest("hex"));
    return { early: fingerprint, streaming: asksForStream(text), complete: async () => fingerprint };
  }
  const hash = new BoundaryBlindHash(boundary);
  const source = original.body.getReader();
  let ended = false;
  const tapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await source.read();
      if (next.done) {
        ended = true;
        return controller.close();
      }
      hash.update(next.value);
      controller.enqueue(next.value);
    },
    cancel: (reason) => source.cancel(reason),
  });
  // Node's fetch needs `duplex` for a streamed body; the DOM typings do not know it yet.
  const init: RequestInit & { duplex: "half" } = { method: original.method, headers: original.headers, body: tapped, signal: original.signal, duplex: "half" };
  const request = new Request(original.url, init);
  context.req.raw = request;
  let fingerprint: Promise<string | null> | undefined;
  return {
    early: null,
    streaming: false,
    complete() {
      fingerprint ??= (async () => {
        // Unread (the handler failed first, or this request only waited): read it through, keeping nothing.
        if (!request.bodyUsed && request.body) {
          const reader = request.body.getReader();
          // A client that hangs up mid-body leaves it unended: then there is no fingerprint.
          while (!(await reader.read().catch(() => ({ done: true }))).done);
        }
        return ended ? finish(hash.digest()) : null;
      })();
      return fingerprint;
    },
  };
}
