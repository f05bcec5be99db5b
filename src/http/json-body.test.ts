import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInProcessApp, type InProcessApp } from "../testing/in-process-app.js";

let app: InProcessApp;
beforeAll(async () => {
  app = await createInProcessApp({ SPOOL_MAX_JSON_BODY_BYTES: "1000" });
});
afterAll(() => app.close());

const tooLarge = {
  error: {
    type: "invalid_request_error",
    param: null,
    code: "request_too_large",
    message: "The request body is too large: this server accepts JSON bodies of at most 1000 bytes (SPOOL_MAX_JSON_BODY_BYTES).",
  },
};

/** A body of `size` bytes as a stream, so no content-length is declared. */
function streamOf(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(300, size - sent)).fill(0x78);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

describe("JSON body size", () => {
  it("refuses a declared length over the limit with 413", async () => {
    const response = await app.request("/v1/assistants", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "1001" },
      body: JSON.stringify({ model: "x".repeat(985) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(tooLarge);
  });

  it("refuses an undeclared body once it passes the limit", async () => {
    const response = await app.request("/v1/threads", { method: "POST", body: streamOf(1_000_000), duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(tooLarge);
  });

  it("accepts a body of exactly the limit", async () => {
    const body = JSON.stringify({ model: "x".repeat(1000 - '{"model":""}'.length) });
    expect(body.length).toBe(1000);
    const response = await app.request("/v1/assistants", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(response.status).toBe(200);
  });
});
