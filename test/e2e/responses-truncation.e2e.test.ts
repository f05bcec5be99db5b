import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../../src/testing/scripted-upstream.js";
import { useTestServer } from "../../src/testing/test-server.js";

// A small context window, so a few items overflow it.
const server = useTestServer({ env: { SPOOL_MODEL_CONTEXT_TOKENS: "400" } });
let client: OpenAI;

beforeAll(() => {
  client = server.spool.client();
});

const messagesOf = (request: RecordedRequest | undefined) => (request?.body as { messages: { role: string; content: string }[] }).messages;
/** About 62 o200k tokens each: eight of them overflow 400. */
const fact = (index: number) => `Fact ${index}: ${"lorem ".repeat(60)}`;

describe("truncation", () => {
  it("refuses input over the context window by default, and adds nothing to the conversation", async () => {
    const conversation = await client.conversations.create({ items: Array.from({ length: 8 }, (_, index) => ({ role: "user" as const, content: fact(index) })) });
    const before = server.upstream.chatRequests().length;
    await expect(client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "Which facts do you know?" })).rejects.toMatchObject({
      status: 400,
      code: "context_length_exceeded",
      param: "input",
      error: { message: "Your input exceeds the context window of this model. Please adjust your input and try again." },
    });
    expect((await client.conversations.items.list(conversation.id, { limit: 100 })).data).toHaveLength(8);
    expect(server.upstream.chatRequests()).toHaveLength(before);
  });

  it("drops the oldest items to fit with truncation: auto, keeping tool calls with their outputs", async () => {
    const conversation = await client.conversations.create({ items: Array.from({ length: 8 }, (_, index) => ({ role: "user" as const, content: fact(index) })) });
    await client.conversations.items.create(conversation.id, {
      items: [
        { type: "function_call", call_id: "call_lookup", name: "lookup", arguments: "{}" },
        { type: "function_call_output", call_id: "call_lookup", output: "looked up" },
      ],
    });
    server.upstream.enqueue({ text: "I know the later facts." });
    const response = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "Which facts do you know?", truncation: "auto" });
    expect(response).toMatchObject({ status: "completed", truncation: "auto", output_text: "I know the later facts." });
    const sent = messagesOf(server.upstream.chatRequests().at(-1));
    const facts = sent.flatMap((message) => (typeof message.content === "string" ? (message.content.match(/^Fact (\d+)/)?.slice(1) ?? []) : []));
    // The newest facts, in order, up to the window; the oldest left out.
    expect(facts.length).toBeGreaterThan(2);
    expect(facts.length).toBeLessThan(8);
    expect(facts).toEqual(Array.from({ length: facts.length }, (_, index) => String(8 - facts.length + index)));
    expect(sent.slice(-3).map((message) => message.role)).toEqual(["assistant", "tool", "user"]);
    expect(sent.at(-1)?.content).toBe("Which facts do you know?");
  });
});
