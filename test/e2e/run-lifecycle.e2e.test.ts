import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type OpenAI from "openai";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";

let upstream: ScriptedUpstream;
let spool: StartedSpool;
let client: OpenAI;
let assistantId: string;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  spool = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_RUN_EXPIRY_SECONDS: "2", SPOOL_UPSTREAM_MAX_RETRIES: "2" } });
  client = spool.client();
  assistantId = (
    await client.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "function", function: { name: "wait_for_me", parameters: { type: "object", properties: {} } } }],
    })
  ).id;
});

afterAll(async () => {
  await spool?.close();
  await upstream?.close();
});

async function newThread(content = "hello") {
  return client.beta.threads.create({ messages: [{ role: "user", content }] });
}

describe("run lifecycle", () => {
  it("cancels an in-flight run and aborts the upstream call", async () => {
    const thread = await newThread();
    upstream.enqueue({ text: "partial answer", hang: true });
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistantId });
    await upstream.waitForChatRequests(upstream.chatRequests().length + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cancelling = await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    expect(["cancelling", "cancelled"]).toContain(cancelling.status);
    const final = await client.beta.threads.runs.poll(run.id, { thread_id: thread.id });
    expect(final).toMatchObject({ status: "cancelled" });
    expect(final.cancelled_at).not.toBeNull();
    await expect.poll(() => upstream.chatRequests().at(-1)?.aborted).toBe(true);
    const [message] = (await client.beta.threads.messages.list(thread.id)).data;
    expect(message).toMatchObject({ role: "assistant", status: "incomplete", incomplete_details: { reason: "run_cancelled" } });
    await expect(client.beta.threads.runs.cancel(run.id, { thread_id: thread.id })).rejects.toMatchObject({
      status: 400,
      error: { message: "Cannot cancel run with status 'cancelled'." },
    });
  });

  it("cancels a run waiting for tool outputs at once", async () => {
    const thread = await newThread();
    upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run.status).toBe("requires_action");
    const cancelled = await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    expect(cancelled.status).toBe("cancelled");
    const [step] = (await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data;
    expect(step?.status).toBe("cancelled");
  });

  it("expires a run whose tool outputs never come", async () => {
    const thread = await newThread();
    upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run.status).toBe("requires_action");
    expect(run.expires_at).toBe(run.created_at + 2);
    await expect
      .poll(async () => (await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status, { timeout: 6000, interval: 200 })
      .toBe("expired");
    const [step] = (await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data;
    expect(step).toMatchObject({ status: "expired" });
    expect(step?.expired_at).not.toBeNull();
    await expect(
      client.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: "call_x", output: "late" }] }),
    ).rejects.toMatchObject({ status: 400, error: { message: 'Runs in status "expired" do not accept tool outputs.' } });
  });

  it("allows one active run per thread", async () => {
    const thread = await newThread();
    upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    await expect(client.beta.threads.runs.create(thread.id, { assistant_id: assistantId })).rejects.toMatchObject({
      status: 400,
      error: { message: `Thread ${thread.id} already has an active run ${run.id}.` },
    });
    await expect(client.beta.threads.messages.create(thread.id, { role: "user", content: "more" })).rejects.toMatchObject({
      status: 400,
      error: { message: `Can't add messages to ${thread.id} while a run ${run.id} is active.` },
    });
    await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    await expect(client.beta.threads.messages.create(thread.id, { role: "user", content: "more" })).resolves.toMatchObject({ role: "user" });
  });

  it("retries rate limits and server errors, then succeeds", async () => {
    const thread = await newThread();
    upstream.enqueue({ error: { status: 429, message: "Slow down" } }, { error: { status: 503, message: "Busy" } }, { text: "third time lucky" });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run.status).toBe("completed");
    expect(upstream.pendingTurns()).toBe(0);
  });

  it("fails with rate_limit_exceeded after the retries run out", async () => {
    const thread = await newThread();
    const limited = { error: { status: 429, message: "Rate limit reached for requests" } };
    upstream.enqueue(limited, limited, limited);
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run).toMatchObject({ status: "failed", last_error: { code: "rate_limit_exceeded" } });
    expect(run.last_error?.message).toContain("Rate limit reached for requests");
    expect(run.failed_at).not.toBeNull();
  });

  it("fails at once with invalid_prompt when the upstream rejects the request", async () => {
    const thread = await newThread();
    upstream.enqueue({ error: { status: 400, message: "This model's maximum context length is 8192 tokens" } });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId });
    expect(run).toMatchObject({ status: "failed", last_error: { code: "invalid_prompt" } });
  });

  it("ends incomplete when max_completion_tokens is reached", async () => {
    const thread = await newThread();
    upstream.enqueue({ text: "a long answer that got cut", finishReason: "length", usage: { promptTokens: 10, completionTokens: 256 } });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId, max_completion_tokens: 256 });
    expect(run).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_completion_tokens" } });
    expect((upstream.chatRequests().at(-1)?.body as { max_tokens?: number }).max_tokens).toBe(256);
    const [message] = (await client.beta.threads.messages.list(thread.id)).data;
    expect(message).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_tokens" } });
  });

  it("applies run overrides, additional instructions and messages, and truncation", async () => {
    const thread = await client.beta.threads.create({
      messages: [
        { role: "user", content: "first message" },
        { role: "user", content: "second message" },
      ],
    });
    upstream.enqueue({ text: "ok" });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, {
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
    const body = upstream.chatRequests().at(-1)?.body as { model: string; temperature: number; messages: { role: string; content: unknown }[] };
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
    upstream.enqueue({ toolCalls: [{ name: "wait_for_me", arguments: {} }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, {
      assistant_id: assistantId,
      tool_choice: "required",
      parallel_tool_calls: false,
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", strict: true, schema: { type: "object", properties: { value: { type: "number" } }, required: ["value"] } },
      },
    });
    expect(run).toMatchObject({ status: "requires_action", tool_choice: "required", parallel_tool_calls: false });
    const body = upstream.chatRequests().at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      tool_choice: "required",
      parallel_tool_calls: false,
      response_format: { type: "json_schema", json_schema: { name: "answer", strict: true } },
    });
    await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
  });

  it("drops the oldest messages to fit max_prompt_tokens, and ends incomplete when even the last does not fit", async () => {
    const filler = "lorem ipsum dolor sit amet ".repeat(60);
    const thread = await client.beta.threads.create({
      messages: [
        { role: "user", content: `old: ${filler}` },
        { role: "user", content: "recent question" },
      ],
    });
    upstream.enqueue({ text: "short" });
    const fitted = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId, max_prompt_tokens: 256 });
    expect(fitted.status).toBe("completed");
    const sent = JSON.stringify(upstream.chatRequests().at(-1)?.body);
    expect(sent).toContain("recent question");
    expect(sent).not.toContain("old: lorem");

    await client.beta.threads.messages.create(thread.id, { role: "user", content: filler.repeat(3) });
    const requestsBefore = upstream.chatRequests().length;
    const tooLong = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId, max_prompt_tokens: 256 });
    expect(tooLong).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_prompt_tokens" } });
    expect(upstream.chatRequests().length).toBe(requestsBefore);
  });
});
