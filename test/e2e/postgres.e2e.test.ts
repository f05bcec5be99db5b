import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../src/testing/throwaway-postgres.js";

let postgres: ThrowawayPostgres;
let upstream: ScriptedUpstream;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  upstream = await startScriptedUpstream();
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await postgres?.stop();
});

describe("SPOOL_DATABASE_URL=postgres://…", () => {
  it("keeps assistants, threads, messages and runs in Postgres, across a restart", async () => {
    let spool: StartedSpool = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_DATABASE_URL: postgres.url } });
    const client = spool.client();
    const assistant = await client.beta.assistants.create({
      name: "Math Tutor",
      model: "gpt-4-turbo-preview",
      instructions: "You are a personal math tutor.",
      tools: [{ type: "function", function: { name: "display_quiz", parameters: { type: "object", properties: {} } } }],
    });
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "3x + 11 = 14?" }] });
    upstream.enqueue({ toolCalls: [{ name: "display_quiz", arguments: {} }] }, { text: "x = 1" });
    const waiting = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(waiting.status).toBe("requires_action");
    const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
    const done = await client.beta.threads.runs.submitToolOutputsAndPoll(waiting.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: call.id, output: "[]" }],
    });
    expect(done.status).toBe("completed");
    await spool.close();

    spool = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_DATABASE_URL: postgres.url } });
    try {
      const restarted = spool.client();
      const messages = await restarted.beta.threads.messages.list(thread.id, { order: "asc" });
      expect(messages.data.map((message) => message.role)).toEqual(["user", "assistant"]);
      expect(messages.data[1]?.content[0]).toMatchObject({ text: { value: "x = 1" } });
      const steps = await restarted.beta.threads.runs.steps.list(done.id, { thread_id: thread.id, order: "asc" });
      expect(steps.data.map((step) => step.type)).toEqual(["tool_calls", "message_creation"]);
      expect((await restarted.beta.assistants.retrieve(assistant.id)).name).toBe("Math Tutor");
    } finally {
      await spool.close();
    }
  });

  it("keeps a reasoning model's reasoning with its answer, streamed and listed", async () => {
    const spool = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_DATABASE_URL: postgres.url } });
    try {
      const client = spool.client();
      const conversation = await client.conversations.create({});
      upstream.enqueue({ reasoning: "Think first.", text: "Answer." }, { reasoning: "Then call.", toolCalls: [{ name: "lookup", arguments: {} }] });
      const streamed = await client.responses.stream({ model: "gpt-4o", conversation: conversation.id, input: "Go" }).finalResponse();
      expect(streamed.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
      const tools = [{ type: "function" as const, name: "lookup", parameters: { type: "object", properties: {} }, strict: false }];
      const called = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "Again", tools });
      expect(called.output.map((item) => item.type)).toEqual(["reasoning", "function_call"]);
      const items = await client.conversations.items.list(conversation.id, { order: "asc" });
      expect(items.data.map((item) => item.type)).toEqual(["message", "reasoning", "message", "message", "reasoning", "function_call"]);
    } finally {
      await spool.close();
    }
  });

  it("refuses a database URL that is not Postgres", async () => {
    await expect(startSpool({ upstreamUrl: upstream.url, env: { SPOOL_DATABASE_URL: "mysql://localhost/spool" } })).rejects.toThrow(
      /SPOOL_DATABASE_URL must be a postgres/,
    );
  });
});
