import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer({ env: { SPOOL_API_KEYS: "sk-first,sk-second" } });

describe("API keys", () => {
  it("accepts any configured key and rejects a missing or wrong one with 401", async () => {
    await expect(server.spool.client({ apiKey: "sk-second" }).beta.assistants.list()).resolves.toMatchObject({ data: [] });
    await expect(server.spool.client({ apiKey: "sk-wrong-key" }).beta.assistants.list()).rejects.toMatchObject({
      status: 401,
      error: { code: "invalid_api_key", type: "invalid_request_error" },
    });
    const anonymous = await fetch(`${server.spool.url}/v1/assistants`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toContain("didn't provide an API key");
    expect((await fetch(`${server.spool.url}/healthz`)).status).toBe(200);
  });
});

describe("Assistants v1 (OpenAI-Beta: assistants=v1, as openai-python 1.12 sends)", () => {
  it("runs the Math Tutor flow with v1 object shapes", async () => {
    const v1 = new OpenAI({ baseURL: `${server.spool.url}/v1`, apiKey: "sk-first", maxRetries: 0 });
    // The SDK sets its own beta header per request, so the v1 header has to be a request option.
    const asV1 = { headers: { "OpenAI-Beta": "assistants=v1" } };
    const assistant = (await v1.beta.assistants.create({
      name: "Math Tutor",
      instructions: "You are a personal math tutor. Answer questions briefly, in a sentence or less.",
      model: "gpt-4-turbo-preview",
      tools: [{ type: "code_interpreter" }],
    }, asV1)) as unknown as Record<string, unknown>;
    expect(assistant).toMatchObject({ object: "assistant", file_ids: [], tools: [{ type: "code_interpreter" }] });
    expect(assistant).not.toHaveProperty("tool_resources");

    const updated = await fetch(`${server.spool.url}/v1/assistants/${String(assistant.id)}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-first", "openai-beta": "assistants=v1" },
      body: JSON.stringify({ tools: [] }),
    });
    expect(updated.status).toBe(200);

    const thread = (await v1.beta.threads.create({}, asV1)) as unknown as Record<string, unknown>;
    expect(thread).not.toHaveProperty("tool_resources");
    const threadId = String(thread.id);
    const message = (await v1.beta.threads.messages.create(threadId, { role: "user", content: "I need to solve `3x + 11 = 14`." }, asV1)) as unknown as Record<string, unknown>;
    expect(message).toMatchObject({ file_ids: [], role: "user" });
    expect(message).not.toHaveProperty("attachments");

    server.upstream.enqueue({ text: "x = 1." });
    const run = (await v1.beta.threads.runs.createAndPoll(threadId, { assistant_id: String(assistant.id) }, asV1)) as unknown as Record<string, unknown>;
    expect(run).toMatchObject({ status: "completed", file_ids: [], tools: [] });
    const messages = await v1.beta.threads.messages.list(threadId, { order: "asc" }, asV1);
    expect(messages.data.map((item) => item.role)).toEqual(["user", "assistant"]);

    const rejected = await fetch(`${server.spool.url}/v1/assistants`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-first", "openai-beta": "assistants=v2" },
      body: JSON.stringify({ model: "gpt-4o", file_ids: [] }),
    });
    expect(rejected.status).toBe(400);
    expect(((await rejected.json()) as { error: { param: string } }).error.param).toBe("file_ids");
  });

  it("shows file_search to v2 clients as retrieval to v1 clients", async () => {
    const v2 = server.spool.client({ apiKey: "sk-first" });
    const v1Headers = { "content-type": "application/json", authorization: "Bearer sk-first", "openai-beta": "assistants=v1" };
    const created = await fetch(`${server.spool.url}/v1/assistants`, {
      method: "POST",
      headers: v1Headers,
      body: JSON.stringify({ model: "gpt-4-1106-preview", tools: [{ type: "retrieval" }] }),
    });
    const v1Assistant = (await created.json()) as { id: string; tools: { type: string }[] };
    expect(v1Assistant.tools).toEqual([{ type: "retrieval" }]);
    const asV2 = await v2.beta.assistants.retrieve(v1Assistant.id);
    expect(asV2.tools).toEqual([{ type: "file_search" }]);
  });
});
