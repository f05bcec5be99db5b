import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer({ env: { SPOOL_RUN_EXPIRY_SECONDS: "2", SPOOL_UPSTREAM_MAX_RETRIES: "2" } });
let assistantId: string;

beforeAll(async () => {
  assistantId = (
    await server.client.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "function", function: { name: "wait_for_me", parameters: { type: "object", properties: {} } } }],
    })
  ).id;
});

async function newThread(content = "hello") {
  return server.client.beta.threads.create({ messages: [{ role: "user", content }] });
}

describe("run lifecycle", () => {
  it("cancels an in-flight run and aborts the upstream call", async () => {
    const thread = await newThread();
    server.upstream.enqueue({ text: "partial answer", hang: true });
    const run = await server.client.beta.threads.runs.create(thread.id, { assistant_id: assistantId });
    await server.upstream.waitForChatRequests(server.upstream.chatRequests().length + 1);
    // Cancelled once the partial answer has become an assistant message, which the cancel must leave incomplete.
    await expect.poll(async () => (await server.client.beta.threads.messages.list(thread.id)).data[0]?.role).toBe("assistant");
    const cancelling = await server.client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    expect(["cancelling", "cancelled"]).toContain(cancelling.status);
    const final = await server.client.beta.threads.runs.poll(run.id, { thread_id: thread.id });
    expect(final).toMatchObject({ status: "cancelled" });
    expect(final.cancelled_at).not.toBeNull();
    await expect.poll(() => server.upstream.chatRequests().at(-1)?.aborted).toBe(true);
    const [message] = (await server.client.beta.threads.messages.list(thread.id)).data;
    expect(message).toMatchObject({ role: "assistant", status: "incomplete", incomplete_details: { reason: "run_cancelled" } });
    await expect(server.client.beta.threads.runs.cancel(run.id, { thread_id: thread.id })).rejects.toMatchObject({
      status: 400,
      error: { message: "Cannot cancel run with status 'cancelled'." },
    });
  });

  it("cancels a run waiting for tool outputs at once", async () => {
    const thread = await newThread();
    server.upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run.status).toBe("requires_action");
    const cancelled = await server.client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    expect(cancelled.status).toBe("cancelled");
    const [step] = (await server.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data;
    expect(step?.status).toBe("cancelled");
  });

  it("expires a run whose tool outputs never come", async () => {
    const thread = await newThread();
    server.upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run.status).toBe("requires_action");
    expect(run.expires_at).toBe(run.created_at + 2);
    await expect
      .poll(async () => (await server.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status, { timeout: 6000, interval: 200 })
      .toBe("expired");
    const [step] = (await server.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data;
    expect(step).toMatchObject({ status: "expired" });
    expect(step?.expired_at).not.toBeNull();
    await expect(
      server.client.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: "call_x", output: "late" }] }),
    ).rejects.toMatchObject({ status: 400, error: { message: 'Runs in status "expired" do not accept tool outputs.' } });
  });

  it("allows one active run per thread", async () => {
    const thread = await newThread();
    server.upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    await expect(server.client.beta.threads.runs.create(thread.id, { assistant_id: assistantId })).rejects.toMatchObject({
      status: 400,
      error: { message: `Thread ${thread.id} already has an active run ${run.id}.` },
    });
    await expect(server.client.beta.threads.messages.create(thread.id, { role: "user", content: "more" })).rejects.toMatchObject({
      status: 400,
      error: { message: `Can't add messages to ${thread.id} while a run ${run.id} is active.` },
    });
    await server.client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    await expect(server.client.beta.threads.messages.create(thread.id, { role: "user", content: "more" })).resolves.toMatchObject({ role: "user" });
  });

  it("retries rate limits and server errors, then succeeds", async () => {
    const thread = await newThread();
    server.upstream.enqueue({ error: { status: 429, message: "Slow down" } }, { error: { status: 503, message: "Busy" } }, { text: "third time lucky" });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run.status).toBe("completed");
    expect(server.upstream.pendingTurns()).toBe(0);
  });

  it("fails with rate_limit_exceeded after the retries run out", async () => {
    const thread = await newThread();
    const limited = { error: { status: 429, message: "Rate limit reached for requests" } };
    server.upstream.enqueue(limited, limited, limited);
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run).toMatchObject({ status: "failed", last_error: { code: "rate_limit_exceeded" } });
    expect(run.last_error?.message).toContain("Rate limit reached for requests");
    expect(run.failed_at).not.toBeNull();
  });

  it("fails at once with invalid_prompt when the upstream rejects the request", async () => {
    const thread = await newThread();
    server.upstream.enqueue({ error: { status: 400, message: "This model's maximum context length is 8192 tokens" } });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run).toMatchObject({ status: "failed", last_error: { code: "invalid_prompt" } });
  });

  it("ends incomplete when max_completion_tokens is reached", async () => {
    const thread = await newThread();
    server.upstream.enqueue({ text: "a long answer that got cut", finishReason: "length", usage: { promptTokens: 10, completionTokens: 256 } });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId, max_completion_tokens: 256 });
    expect(run).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_completion_tokens" } });
    expect((server.upstream.chatRequests().at(-1)?.body as { max_tokens?: number }).max_tokens).toBe(256);
    const [message] = (await server.client.beta.threads.messages.list(thread.id)).data;
    expect(message).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_tokens" } });
  });

  it("applies run overrides, additional instructions and messages, and truncation", async () => {
    const thread = await server.client.beta.threads.create({
      messages: [
        { role: "user", content: "first message" },
        { role: "user", content: "second message" },
      ],
    });
    server.upstream.enqueue({ text: "ok" });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, {
      assistant_id: assistantId,
      model: "gpt-4o-mini",
      instructions: "Override instructions.",
      additional_instructions: "Also be kind.",
      additional_messages: [{ role: "user", content: "third message" }],
      temperature: 0.3,
      truncation_strategy: { type: "last_messages", last_messages: 2 },
      metadata: { purpose: "test" },
    });
    expect(run).toMatchObject({ status: "completed", model: "gpt-4o-mini", instructions: "Override instructions.\n\nAlso be kind.", metadata: { purpose: "test" } });
    const body = server.upstream.chatRequests().at(-1)?.body as { model: string; temperature: number; messages: { role: string; content: unknown }[] };
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.temperature).toBe(0.3);
    expect(body.messages.map((message) => JSON.stringify(message.content))).toEqual([
      JSON.stringify("Override instructions.\n\nAlso be kind."),
      JSON.stringify("second message"),
      JSON.stringify("third message"),
    ]);
  });

  it("passes response_format, tool_choice and parallel_tool_calls to the model", async () => {
    const thread = await newThread("give me json");
    server.upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, {
      assistant_id: assistantId,
      tool_choice: "required",
      parallel_tool_calls: false,
      reasoning_effort: "low",
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", strict: true, schema: { type: "object", properties: { value: { type: "number" } }, required: ["value"] } },
      },
    });
    expect(run).toMatchObject({ status: "requires_action", tool_choice: "required", parallel_tool_calls: false });
    const body = server.upstream.chatRequests().at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      tool_choice: "required",
      parallel_tool_calls: false,
      response_format: { type: "json_schema", json_schema: { name: "answer", strict: true } },
      reasoning_effort: "low",
    });
    expect(run).not.toHaveProperty("reasoning_effort");
    await server.client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
  });

  it("drops the oldest messages to fit max_prompt_tokens, and ends incomplete when even the last does not fit", async () => {
    const filler = "lorem ipsum dolor sit amet ".repeat(60);
    const thread = await server.client.beta.threads.create({
      messages: [
        { role: "user", content: `old: ${filler}` },
        { role: "user", content: "recent question" },
      ],
    });
    server.upstream.enqueue({ text: "short" });
    const fitted = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId, max_prompt_tokens: 256 });
    expect(fitted.status).toBe("completed");
    const sent = JSON.stringify(server.upstream.chatRequests().at(-1)?.body);
    expect(sent).toContain("recent question");
    expect(sent).not.toContain("old: lorem");

    await server.client.beta.threads.messages.create(thread.id, { role: "user", content: filler.repeat(3) });
    const requestsBefore = server.upstream.chatRequests().length;
    const tooLong = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId, max_prompt_tokens: 256 });
    expect(tooLong).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_prompt_tokens" } });
    expect(server.upstream.chatRequests().length).toBe(requestsBefore);
  });

  it("uses the assistant's reasoning_effort when the run sets none, without echoing it", async () => {
    const assistant = await server.client.beta.assistants.create({ model: "o3-mini", reasoning_effort: "high" });
    expect(assistant).not.toHaveProperty("reasoning_effort");
    const thread = await newThread("think hard");
    server.upstream.enqueue({ text: "thought" });
    await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(server.upstream.chatRequests().at(-1)?.body).toMatchObject({ reasoning_effort: "high" });
  });
});

