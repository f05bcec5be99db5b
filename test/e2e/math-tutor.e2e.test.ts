import { describe, expect, it } from "vitest";
import type OpenAI from "openai";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();

function textOf(message: OpenAI.Beta.Threads.Message): string {
  return message.content.map((part) => (part.type === "text" ? part.text.value : "")).join("");
}

describe("the seed's Math Tutor flow", () => {
  it("creates, updates, threads, messages, runs, polls and lists", async () => {
    const assistant = await server.client.beta.assistants.create({
      name: "Math Tutor",
      instructions: "You are a personal math tutor. Answer questions briefly, in a sentence or less.",
      model: "gpt-4-turbo-preview",
    });
    expect(assistant).toMatchObject({ object: "assistant", name: "Math Tutor", model: "gpt-4-turbo-preview", tools: [] });
    expect(assistant.id).toMatch(/^asst_/);

    const updated = await server.client.beta.assistants.update(assistant.id, { tools: [{ type: "code_interpreter" }], metadata: { level: "easy" } });
    expect(updated.metadata).toEqual({ level: "easy" });
    await server.client.beta.assistants.update(assistant.id, { tools: [] });

    const thread = await server.client.beta.threads.create();
    expect(thread.id).toMatch(/^thread_/);
    const message = await server.client.beta.threads.messages.create(thread.id, {
      role: "user",
      content: "I need to solve the equation `3x + 11 = 14`. Can you help me?",
    });
    expect(message).toMatchObject({ role: "user", status: "completed", thread_id: thread.id, run_id: null });

    server.upstream.enqueue({ text: "Subtract 11 from both sides: 3x = 3, so x = 1." });
    let run = await server.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("queued");
    const retrieveRun = async () => (run = await server.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id }));
    await expect.poll(async () => (await retrieveRun()).status, { timeout: 20_000 }).not.toMatch(/^(queued|in_progress)$/);
    expect(run.status).toBe("completed");
    expect(run.usage?.total_tokens).toBeGreaterThan(0);
    expect(run.instructions).toContain("math tutor");

    const [request] = server.upstream.chatRequests();
    const sent = JSON.stringify(request?.body);
    expect(sent).toContain("personal math tutor");
    expect(sent).toContain("3x + 11 = 14");

    const messages = await server.client.beta.threads.messages.list(thread.id);
    expect(messages.data.map((item) => item.role)).toEqual(["assistant", "user"]);
    expect(textOf(messages.data[0]!)).toBe("Subtract 11 from both sides: 3x = 3, so x = 1.");
    expect(messages.data[0]).toMatchObject({ status: "completed", run_id: run.id, assistant_id: assistant.id });

    server.upstream.enqueue({ text: "Sure! x = 1 because 3·1 + 11 = 14." });
    await server.client.beta.threads.messages.create(thread.id, { role: "user", content: "Could you explain this to me?" });
    const second = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(second.status).toBe("completed");
    const after = await server.client.beta.threads.messages.list(thread.id, { order: "asc", after: message.id });
    expect(after.data.map(textOf)).toEqual([
      "Subtract 11 from both sides: 3x = 3, so x = 1.",
      "Could you explain this to me?",
      "Sure! x = 1 because 3·1 + 11 = 14.",
    ]);

    const steps = await server.client.beta.threads.runs.steps.list(second.id, { thread_id: thread.id, order: "asc" });
    expect(steps.data).toHaveLength(1);
    expect(steps.data[0]).toMatchObject({ type: "message_creation", status: "completed" });
    expect(steps.data[0]?.usage?.total_tokens).toBeGreaterThan(0);
    expect(server.upstream.pendingTurns()).toBe(0);
  });
});
