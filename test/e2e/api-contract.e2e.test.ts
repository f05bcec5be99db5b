import { describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();

async function raw(method: string, path: string, body?: string) {
  const response = await fetch(`${server.spool.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as { error: Record<string, unknown> } };
}

describe("errors in OpenAI's shape", () => {
  it("answers unknown ids with 404 and the hosted wording", async () => {
    await expect(server.client.beta.threads.retrieve("thread_x")).rejects.toMatchObject({
      status: 404,
      error: { message: "No thread found with id 'thread_x'.", type: "invalid_request_error", param: null, code: null },
    });
    await expect(server.client.beta.assistants.retrieve("asst_nope")).rejects.toMatchObject({ status: 404 });
    const thread = await server.client.beta.threads.create();
    await expect(server.client.beta.threads.runs.retrieve("run_nope", { thread_id: thread.id })).rejects.toMatchObject({
      status: 404,
      error: { message: "No run found with id 'run_nope'." },
    });
    await expect(server.client.beta.threads.messages.retrieve("msg_nope", { thread_id: thread.id })).rejects.toMatchObject({ status: 404 });
  });

  it("names the field of an invalid body", async () => {
    await expect(server.client.beta.assistants.create({} as never)).rejects.toMatchObject({
      status: 400,
      error: { param: "model", code: "missing_required_parameter", message: "Missing required parameter: 'model'." },
    });
    await expect(server.client.beta.assistants.create({ model: "gpt-4o", temperature: 5 })).rejects.toMatchObject({
      status: 400,
      error: { param: "temperature" },
    });
    await expect(server.client.beta.assistants.create({ model: "gpt-4o", foo: 1 } as never)).rejects.toMatchObject({
      status: 400,
      error: { param: "foo", code: "unknown_parameter", message: "Unknown parameter: 'foo'." },
    });
    await expect(
      server.client.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "function", function: { name: "bad name!" } }] }),
    ).rejects.toMatchObject({ status: 400, error: { param: "tools[0].function.name" } });
  });

  it("enforces the metadata limits", async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, "v"]));
    await expect(server.client.beta.threads.create({ metadata: tooMany })).rejects.toMatchObject({ status: 400, error: { param: "metadata" } });
    await expect(server.client.beta.threads.create({ metadata: { ["k".repeat(65)]: "v" } })).rejects.toMatchObject({ status: 400 });
    await expect(server.client.beta.threads.create({ metadata: { key: "v".repeat(513) } })).rejects.toMatchObject({ status: 400 });
    await expect(server.client.beta.threads.create({ metadata: { key: "v".repeat(512) } })).resolves.toMatchObject({ object: "thread" });
  });

  it("rejects malformed JSON, unknown routes and wrong methods without a stack trace", async () => {
    const malformed = await raw("POST", "/v1/assistants", "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.type).toContain("application/json");
    expect(malformed.body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_json" });
    const unknown = await raw("GET", "/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("Invalid URL (GET /v1/nothing-here)");
    const wrongMethod = await raw("PUT", "/v1/assistants");
    expect(wrongMethod.status).toBe(404);
    expect(JSON.stringify(wrongMethod.body)).not.toContain("at ");
  });

  it("does not half-write a thread whose messages are invalid", async () => {
    const before = await raw("GET", "/v1/threads?limit=100");
    await expect(
      server.client.beta.threads.create({
        messages: [
          { role: "user", content: "fine" },
          { role: "user", content: "bad", attachments: [{ file_id: "file-missing", tools: [{ type: "file_search" }] }] },
        ],
      }),
    ).rejects.toMatchObject({ status: 400 });
    const after = await raw("GET", "/v1/threads?limit=100");
    expect((after.body as unknown as { data: unknown[] }).data.length).toBe((before.body as unknown as { data: unknown[] }).data.length);
  });
});

describe("lists", () => {
  it("pages with limit, order, after and before", async () => {
    const thread = await server.client.beta.threads.create();
    const created: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      created.push((await server.client.beta.threads.messages.create(thread.id, { role: "user", content: `message ${index}` })).id);
    }
    const descending = await server.client.beta.threads.messages.list(thread.id, { limit: 2 });
    expect(descending.data.map((message) => message.id)).toEqual([created[4], created[3]]);
    expect(descending.has_more).toBe(true);
    const ascending = await server.client.beta.threads.messages.list(thread.id, { order: "asc", after: created[1], limit: 2 });
    expect(ascending.data.map((message) => message.id)).toEqual([created[2], created[3]]);
    const before = await server.client.beta.threads.messages.list(thread.id, { order: "asc", before: created[3], limit: 2 });
    expect(before.data.map((message) => message.id)).toEqual([created[1], created[2]]);
    const all: string[] = [];
    for await (const message of server.client.beta.threads.messages.list(thread.id, { limit: 2, order: "asc" })) all.push(message.id);
    expect(all).toEqual(created);
    const envelope = await raw("GET", `/v1/threads/${thread.id}/messages?limit=1`);
    expect(envelope.body).toMatchObject({ object: "list", first_id: created[4], last_id: created[4], has_more: true });
    const empty = await raw("GET", `/v1/threads/${(await server.client.beta.threads.create()).id}/messages`);
    expect(empty.body).toMatchObject({ object: "list", data: [], first_id: null, last_id: null, has_more: false });
    const badLimit = await raw("GET", `/v1/threads/${thread.id}/messages?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.param).toBe("limit");
  });

  it("filters messages by run_id", async () => {
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o" });
    server.upstream.enqueue({ text: "hello" });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    const byRun = await server.client.beta.threads.messages.list(thread.id, { run_id: run.id });
    expect(byRun.data.map((message) => message.role)).toEqual(["assistant"]);
  });
});

describe("resources", () => {
  it("modifies and deletes assistants, threads and messages", async () => {
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o", name: "A" });
    expect((await server.client.beta.assistants.update(assistant.id, { name: "B" })).name).toBe("B");
    expect((await server.client.beta.assistants.list({ limit: 100 })).data.some((item) => item.id === assistant.id)).toBe(true);
    expect(await server.client.beta.assistants.delete(assistant.id)).toEqual({ id: assistant.id, object: "assistant.deleted", deleted: true });
    const thread = await server.client.beta.threads.create({ metadata: { a: "1" } });
    expect((await server.client.beta.threads.update(thread.id, { metadata: { a: "2" } })).metadata).toEqual({ a: "2" });
    const message = await server.client.beta.threads.messages.create(thread.id, {
      role: "user",
      content: [
        { type: "text", text: "look at this" },
        { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
      ],
    });
    expect(message.content[1]).toEqual({ type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } });
    expect((await server.client.beta.threads.messages.update(message.id, { thread_id: thread.id, metadata: { seen: "yes" } })).metadata).toEqual({ seen: "yes" });
    expect(await server.client.beta.threads.messages.delete(message.id, { thread_id: thread.id })).toMatchObject({ deleted: true, object: "thread.message.deleted" });
    expect(await server.client.beta.threads.delete(thread.id)).toMatchObject({ deleted: true, object: "thread.deleted" });
    await expect(server.client.beta.threads.retrieve(thread.id)).rejects.toMatchObject({ status: 404 });
  });

  it("sends image parts to the model as image inputs", async () => {
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o" });
    const thread = await server.client.beta.threads.create({
      messages: [{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "https://example.com/cat.png" } }] }],
    });
    server.upstream.enqueue({ text: "a cat" });
    await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    const sent = JSON.stringify(server.upstream.chatRequests().at(-1)?.body);
    expect(sent).toContain('"image_url"');
    expect(sent).toContain("https://example.com/cat.png");
  });

  it("sends openai-poll-after-ms and x-request-id", async () => {
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o" });
    const thread = await server.client.beta.threads.create();
    server.upstream.enqueue({ text: "x" });
    const { response } = await server.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id }).withResponse();
    expect(Number(response.headers.get("openai-poll-after-ms"))).toBeGreaterThan(0);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });
});

describe("image inputs", () => {
  it("sends an uploaded image_file to the model as image data", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const { toFile } = await import("openai");
    const image = await server.client.files.create({ file: await toFile(png, "dot.png"), purpose: "vision" });
    const assistant = await server.client.beta.assistants.create({ model: "gpt-4o" });
    const thread = await server.client.beta.threads.create({
      messages: [{ role: "user", content: [{ type: "text", text: "what colour?" }, { type: "image_file", image_file: { file_id: image.id } }] }],
    });
    server.upstream.enqueue({ text: "red" });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("completed");
    const sent = JSON.stringify(server.upstream.chatRequests().at(-1)?.body);
    expect(sent).toContain(`data:image/png;base64,${png.toString("base64")}`);
  });
});
