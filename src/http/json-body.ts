import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { InvalidRequestError, PayloadTooLargeError, ServiceUnavailableError } from "../errors/api-error.js";

/**
 * Bounds the memory JSON bodies take: each body up to `maxBodyBytes`, and all bodies being read and parsed
 * at once up to `maxInFlightBytes`, so many large bodies arriving together cannot exhaust the process.
 */
export class BodyBudget {
  private inFlight = 0;

  constructor(
    readonly maxBodyBytes: number,
    readonly maxInFlightBytes: number,
  ) {}

  /** False when `bytes` more would pass the budget; a lone request always gets its share. */
  tryReserve(bytes: number): boolean {
    if (this.inFlight > 0 && this.inFlight + bytes > this.maxInFlightBytes) return false;
    this.inFlight += bytes;
    return true;
  }

  release(bytes: number): void {
    this.inFlight -= bytes;
  }

  get reservedBytes(): number {
    return this.inFlight;
  }
}

declare module "hono" {
  interface ContextVariableMap {
    bodyBudget: BodyBudget;
    /** The body as text, when it was read before the handler (`readBodyAhead`). */
    bodyText: string | undefined;
  }
}

/** Makes `budget` the one every JSON body read under this middleware draws from. */
export function withBodyBudget(budget: BodyBudget): MiddlewareHandler {
  return async (context, next) => {
    context.set("bodyBudget", budget);
    await next();
  };
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The request body is too large: this server accepts JSON bodies of at most ${limit} bytes (SPOOL_MAX_JSON_BODY_BYTES).`,
    "request_too_large",
  );
}

const cutShort = () => new InvalidRequestError("The request body ended before it was complete.");

/**
 * Reads straight off the socket: building a WHATWG Request (and its web stream) only to read a small JSON
 * body costs more CPU than the rest of a typical request. Stops at the first byte past `limit`.
 */
function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error) => {
      incoming.off("data", onData);
      chunks = [];
      // The rest is discarded as it arrives (never kept): closing on a client still sending would reset the
      // connection, and the client could lose the answer.
      incoming.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) stop(tooLarge(limit));
      else chunks.push(chunk);
    };
    incoming.on("data", onData);
    incoming.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    // A client that hangs up mid-body gets "error" (ECONNRESET) or just "close": either way it is its request.
    incoming.once("error", () => stop(cutShort()));
    incoming.once("close", () => {
      if (!incoming.complete) stop(cutShort());
    });
  });
}

/** The same for a body that is only a web stream (`app.request` in tests, other runtimes). */
async function readStream(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString("utf8");
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
}

/**
 * Reads the body as text within the budget and hands it to `use` (which parses it) before the bytes are
 * given back. A declared length over the limit is refused before anything is read; a body without one
 * (chunked) is refused at the first byte past the limit.
 */
export async function withBodyText<T>(context: Context, use: (text: string) => T): Promise<T> {
  const readAhead = context.get("bodyText");
  if (readAhead !== undefined) return use(readAhead);
  const budget = context.get("bodyBudget");
  const limit = budget.maxBodyBytes;
  const declared = Number(context.req.header("content-length") ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const reserved = Number.isFinite(declared) ? declared : limit;
  if (!budget.tryReserve(reserved)) {
    throw new ServiceUnavailableError("The server is reading too many large request bodies at once; please retry shortly.");
  }
  try {
    const incoming = (context.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const text = incoming && !incoming.readableDidRead ? await readIncoming(incoming, limit) : await readStream(context.req.raw.body, limit);
    return use(text);
  } finally {
    budget.release(reserved);
  }
}

/**
 * Reads the body now (within the budget, as `withBodyText` does) and keeps the text for the handler's
 * own read. The budget is given back once it is read, though the text stays until the request ends.
 */
export async function readBodyAhead(context: Context): Promise<string> {
  const text = await withBodyText(context, (body) => body);
  context.set("bodyText", text);
  return text;
}
