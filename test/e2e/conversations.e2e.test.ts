import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConformance } from "../../src/testing/openapi-conformance.js";
import { specRecorder } from "../../src/testing/spec-recorder.js";
import { recordedClients } from "../../src/testing/recorded-clients.js";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();
let client: OpenAI;
let recorder: ReturnType<typeof specRecorder>;

beforeAll(() => {
  ({ recorder, client } = recordedClients(server.spool));
});

const idOf = (item: { id?: string | undefined }) => item.id ?? "";

const lookup = { type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } };

describe("conversations", () => {
  it("creates, reads, updates and deletes a conversation and its items", async () => {
    const conversation = await client.conversations.create({
      metadata: { topic: "offices" },
      items: [
        { type: "message", role: "developer", content: "Answer in one sentence." },
        { role: "user", content: "When does the Busan office open?" },
      ],
    });
    expect(conversation).toMatchObject({ object: "conversation", metadata: { topic: "offices" } });
    expect(conversation.id).toMatch(/^conv_/);
    expect(await client.conversations.retrieve(conversation.id)).toEqual(conversation);
    const updated = await client.conversations.update(conversation.id, { metadata: { topic: "busan" } });
    expect(updated.metadata).toEqual({ topic: "busan" });

    const added = await client.conversations.items.create(conversation.id, {
      items: [
        { type: "function_call", call_id: "call_client", name: "lookup", arguments: '{"q":"Busan"}' },
        { type: "function_call_output", call_id: "call_client", output: "March 2024" },
        // An earlier output sent back as input, as clients do: its id and status are not kept.
        { type: "message", id: "msg_from_elsewhere", status: "completed", role: "assistant", content: [{ type: "output_text", text: "It opens in March 2024.", annotations: [] }] },
      ],
    });
    expect(added.data.map((item) => item.type)).toEqual(["function_call", "function_call_output", "message"]);

    const ascending = await client.conversations.items.list(conversation.id, { order: "asc" });
    expect(ascending.data.map((item) => (item.type === "message" ? `${item.role}` : item.type))).toEqual([
      "developer",
      "user",
      "function_call",
      "function_call_output",
      "assistant",
    ]);
    expect(ascending.data[1]).toMatchObject({ type: "message", status: "completed", content: [{ type: "input_text", text: "When does the Busan office open?" }] });
    expect(ascending.data[4]).toMatchObject({ content: [{ type: "output_text", text: "It opens in March 2024.", annotations: [] }] });

    // Pages follow the cursor both ways, and the default order is newest first.
    const firstPage = await client.conversations.items.list(conversation.id, { limit: 2 });
    expect(firstPage.data.map(idOf)).toEqual([idOf(ascending.data[4]!), idOf(ascending.data[3]!)]);
    expect(firstPage.has_more).toBe(true);
    const secondPage = await client.conversations.items.list(conversation.id, { limit: 2, after: idOf(firstPage.data[1]!) });
    expect(secondPage.data.map(idOf)).toEqual([idOf(ascending.data[2]!), idOf(ascending.data[1]!)]);
    const all: string[] = [];
    for await (const item of client.conversations.items.list(conversation.id, { limit: 2, order: "asc" })) all.push(idOf(item));
    expect(all).toEqual(ascending.data.map(idOf));

    const user = ascending.data[1]!;
    expect(await client.conversations.items.retrieve(idOf(user), { conversation_id: conversation.id })).toEqual(user);
    const afterDelete = await client.conversations.items.delete(idOf(user), { conversation_id: conversation.id });
    expect(afterDelete.id).toBe(conversation.id);
    await expect(client.conversations.items.retrieve(idOf(user), { conversation_id: conversation.id })).rejects.toMatchObject({ status: 404 });
    expect((await client.conversations.items.list(conversation.id)).data).toHaveLength(4);

    expect(await client.conversations.delete(conversation.id)).toEqual({ id: conversation.id, object: "conversation.deleted", deleted: true });
    await expect(client.conversations.retrieve(conversation.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.conversations.items.list(conversation.id)).rejects.toMatchObject({ status: 404 });
  });

  it("refuses malformed items and unknown cursors", async () => {
    const conversation = await client.conversations.create({});
    await expect(client.conversations.items.create(conversation.id, { items: [{ role: "user" } as never] })).rejects.toMatchObject({ status: 400 });
    await expect(client.conversations.update(conversation.id, {} as never)).rejects.toMatchObject({ status: 400, param: "metadata" });
    await expect(client.conversations.items.list(conversation.id, { after: "msg_unknown" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("a thread is a conversation", () => {
  it("lists an Assistants thread's messages, function calls and their outputs as conversation items", async () => {
    const assistant = await client.beta.assistants.create({ model: "gpt-4o", tools: [lookup] });
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "Look up Busan." }] });
    server.upstream.enqueue({ toolCalls: [{ name: "lookup", arguments: { q: "Busan" } }] }, { text: "Busan is found." });
    const waiting = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
    const done = await client.beta.threads.runs.submitToolOutputsAndPoll(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: call.id, output: "found" }] });
    expect(done.status).toBe("completed");

    const items = (await client.conversations.items.list(thread.id, { order: "asc" })).data;
    expect(items).toMatchObject([
      { type: "message", role: "user", content: [{ type: "input_text", text: "Look up Busan." }] },
      { type: "function_call", call_id: call.id, name: "lookup", arguments: '{"q":"Busan"}', status: "completed" },
      { type: "function_call_output", call_id: call.id, output: "found" },
      { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Busan is found." }] },
    ]);
    const functionCall = items[1]!;
    expect(await client.conversations.items.retrieve(idOf(functionCall), { conversation_id: thread.id })).toEqual(functionCall);
    await expect(client.conversations.items.delete(idOf(functionCall), { conversation_id: thread.id })).rejects.toMatchObject({ status: 400 });
    expect((await client.conversations.retrieve(thread.id)).id).toBe(thread.id);
  });

  it("shows a conversation's messages to Assistants clients, and runs on it add to its items", async () => {
    const conversation = await client.conversations.create({ items: [{ role: "user", content: "Hello from Responses." }] });
    expect((await client.beta.threads.retrieve(conversation.id)).id).toBe(conversation.id);
    const messages = await client.beta.threads.messages.list(conversation.id);
    expect(messages.data.map((message) => message.content[0])).toMatchObject([{ type: "text", text: { value: "Hello from Responses." } }]);

    const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
    server.upstream.enqueue({ text: "Hello from Assistants." });
    expect((await client.beta.threads.runs.createAndPoll(conversation.id, { assistant_id: assistant.id })).status).toBe("completed");
    const items = (await client.conversations.items.list(conversation.id, { order: "asc" })).data;
    expect(items.map((item) => (item.type === "message" ? item.content[0] : item))).toMatchObject([
      { type: "input_text", text: "Hello from Responses." },
      { type: "output_text", text: "Hello from Assistants." },
    ]);
    // While a run is active the conversation takes no items, as a thread takes no messages.
    server.upstream.enqueue({ text: "slow", hang: true });
    const run = await client.beta.threads.runs.create(conversation.id, { assistant_id: assistant.id });
    await expect(client.conversations.items.create(conversation.id, { items: [{ role: "user", content: "more" }] })).rejects.toMatchObject({ status: 400 });
    await client.beta.threads.runs.cancel(run.id, { thread_id: conversation.id });
    await client.beta.threads.delete(conversation.id);
    await expect(client.conversations.retrieve(conversation.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("conversation answers against OpenAI's spec", () => {
  it("match the spec's schemas", async () => {
    const { problems, covered } = await recorder.problems(loadConformance(), () => "AssistantStreamEvent");
    expect(problems).toEqual([]);
    expect([...covered].filter((name) => name.includes("/conversations")).sort()).toEqual([
      "DELETE /conversations/{conversation_id}",
      "DELETE /conversations/{conversation_id}/items/{item_id}",
      "GET /conversations/{conversation_id}",
      "GET /conversations/{conversation_id}/items",
      "GET /conversations/{conversation_id}/items/{item_id}",
      "POST /conversations",
      "POST /conversations/{conversation_id}",
      "POST /conversations/{conversation_id}/items",
    ]);
  });
});
