import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInProcessApp, type InProcessApp } from "../../testing/in-process-app.js";

let app: InProcessApp;
beforeAll(async () => {
  // A one-second lease: a duplicate of a request still working waits this long before its 409.
  app = await createInProcessApp({ SPOOL_RUN_LEASE_SECONDS: "1" });
});
afterAll(() => app.close());

let keys = 0;
const newKey = () => `key-${(keys += 1)}-${Date.now()}`;

function post(path: string, key: string, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  // With its length declared, as the SDKs send it: only that much of the body budget is taken.
  const length = String(Buffer.byteLength(text));
  return app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": length, authorization: "Bearer sk-one", "idempotency-key": key, ...headers },
    body: text,
  });
}

async function count(path: string): Promise<number> {
  const response = await app.request(`${path}?limit=100`, { headers: { authorization: "Bearer sk-one" } });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

/** A multipart upload of `content` framed with `boundary`; the rest of the body is sent once `more` resolves. */
function upload(key: string, boundary: string, content: string, more: Promise<void> = Promise.resolve()) {
  const head = `--${boundary}\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="notes.txt"\r\ncontent-type: text/plain\r\n\r\n`;
  const tail = `${content}\r\n--${boundary}--\r\n`;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(head));
      await more;
      controller.enqueue(encoder.encode(tail));
      controller.close();
    },
  });
  const init: RequestInit & { duplex: "half" } = {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, authorization: "Bearer sk-one", "idempotency-key": key },
    body,
    duplex: "half",
  };
  return app.request("/v1/files", init);
}

describe("Idempotency-Key", () => {
  it("answers a retry with the first answer, status and body, and creates nothing more", async () => {
    const key = newKey();
    const before = await count("/v1/assistants");
    const first = await post("/v1/assistants", key, { model: "gpt-4o", name: "once" });
    const retry = await post("/v1/assistants", key, { model: "gpt-4o", name: "once" });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    const firstBody = await first.text();
    expect(await retry.text()).toBe(firstBody);
    expect(retry.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(await count("/v1/assistants")).toBe(before + 1);
  });

  it("refuses the same key with another body, query or API version, and keeps the first answer", async () => {
    const key = newKey();
    const first = await post("/v1/assistants", key, { model: "gpt-4o", name: "first" });
    const before = await count("/v1/assistants");
    for (const [body, headers] of [
      [{ model: "gpt-4o", name: "second" }, {}],
      [{ model: "gpt-4o", name: "first" }, { "openai-beta": "assistants=v1" }],
    ] as const) {
      const conflicting = await post("/v1/assistants", key, body, headers);
      expect(conflicting.status).toBe(400);
      expect(await errorOf(conflicting)).toMatchObject({ code: "idempotency_key_reused", message: expect.stringContaining("POST /v1/assistants") });
    }
    const withQuery = await post("/v1/assistants?include[]=x", key, { model: "gpt-4o", name: "first" });
    expect(await errorOf(withQuery)).toMatchObject({ code: "idempotency_key_reused" });
    expect(await count("/v1/assistants")).toBe(before);
    expect(await (await post("/v1/assistants", key, { model: "gpt-4o", name: "first" })).text()).toBe(await first.text());
  });

  it("scopes a key to its API key, method and path", async () => {
    const key = newKey();
    const assistant = (await (await post("/v1/assistants", key, { model: "gpt-4o" })).json()) as { id: string };
    const otherApiKey = (await (await post("/v1/assistants", key, { model: "gpt-4o" }, { authorization: "Bearer sk-two" })).json()) as { id: string };
    const thread = (await (await post("/v1/threads", key, {})).json()) as { id: string };
    const retry = (await (await post("/v1/assistants", key, { model: "gpt-4o" })).json()) as { id: string };
    expect(retry.id).toBe(assistant.id);
    expect(otherApiKey.id).not.toBe(assistant.id);
    expect(thread.id).toMatch(/^thread_/);
  });

  it("gives the key back when the request took no effect, so a corrected retry does the work", async () => {
    const key = newKey();
    const invalid = await post("/v1/assistants", key, { name: "no model" });
    expect(invalid.status).toBe(400);
    expect(await errorOf(invalid)).toMatchObject({ code: "missing_required_parameter" });
    const corrected = await post("/v1/assistants", key, { model: "gpt-4o", name: "no model" });
    expect(corrected.status).toBe(200);
    expect(corrected.headers.get("idempotent-replayed")).toBeNull();
    expect((await post("/v1/assistants", key, { model: "gpt-4o", name: "no model" })).headers.get("idempotent-replayed")).toBe("true");
  });

  it("has ten concurrent duplicates make one object, and all get its answer", async () => {
    const key = newKey();
    const before = await count("/v1/threads");
    const answers = await Promise.all(Array.from({ length: 10 }, () => post("/v1/threads", key, { metadata: { burst: "yes" } })));
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(new Set(bodies).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get("idempotent-replayed") === "true")).toHaveLength(9);
    expect(await count("/v1/threads")).toBe(before + 1);
  });

  it("matches a retried upload whatever its multipart boundary, and not another file", async () => {
    const key = newKey();
    const before = await count("/v1/files");
    const first = await upload(key, "----formdata-undici-012345678901", "the same notes");
    expect(first.status).toBe(200);
    const retry = await upload(key, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "the same notes");
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.text()).toBe(await first.text());
    const other = await upload(key, "----formdata-undici-098765432109", "other notes!!!");
    expect(await errorOf(other)).toMatchObject({ code: "idempotency_key_reused" });
    expect(await count("/v1/files")).toBe(before + 1);
  });

  it("makes a duplicate of a request still at work wait for it, then answer 409 in use, which the SDKs retry", async () => {
    const key = newKey();
    let finishFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (finishFirst = resolve));
    const first = upload(key, "first-boundary-0001", "slow notes", firstMayFinish);
    const waitedFrom = Date.now();
    const duplicate = await upload(key, "other-boundary-0002", "slow notes");
    // It waited (in growing steps, up to the one-second lease) instead of answering at once.
    expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(500);
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get("retry-after-ms")).toBe("1000");
    expect(duplicate.headers.get("x-should-retry")).toBe("true");
    expect(await errorOf(duplicate)).toMatchObject({ code: "idempotency_key_in_use" });
    finishFirst();
    const firstBody = await (await first).text();
    expect(await (await upload(key, "third-boundary-0003", "slow notes")).text()).toBe(firstBody);
  });

  it("does not store an event stream: a retry gets 409 that is not retried, and no second run", async () => {
    const assistant = (await (await post("/v1/assistants", newKey(), { model: "gpt-4o" })).json()) as { id: string };
    const key = newKey();
    const body = { assistant_id: assistant.id, stream: true, thread: { messages: [{ role: "user", content: "hi" }] } };
    const first = await post("/v1/threads/runs", key, body);
    expect(first.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = first.body!.getReader();
    let events = "";
    while (!events.includes("event: thread.run.created")) events += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const threadId = /"thread_id":"(thread_[^"]+)"/.exec(events)?.[1];
    const retry = await post("/v1/threads/runs", key, body);
    expect(retry.status).toBe(409);
    expect(retry.headers.get("x-should-retry")).toBe("false");
    expect(await errorOf(retry)).toMatchObject({ code: "idempotency_answer_unavailable", message: expect.stringContaining("event stream") });
    expect(await count(`/v1/threads/${threadId}/runs`)).toBe(1);
  });

  it("refuses an empty or overlong key", async () => {
    for (const key of [" ", "k".repeat(256)]) {
      const response = await post("/v1/threads", key, {});
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ code: "invalid_idempotency_key" });
    }
  });
});
