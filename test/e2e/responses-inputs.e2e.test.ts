import OpenAI, { toFile } from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { makePdf } from "../fixtures/documents.js";
import { loadConformance } from "../../src/testing/openapi-conformance.js";
import type { RecordedRequest } from "../../src/testing/scripted-upstream.js";
import { responseEventSchema, specRecorder } from "../../src/testing/spec-recorder.js";
import { recordedClients } from "../../src/testing/recorded-clients.js";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();
let client: OpenAI;
let recorder: ReturnType<typeof specRecorder>;

beforeAll(() => {
  ({ recorder, client } = recordedClients(server.spool));
});

type ChatContent = string | { type: string; text?: string }[];
const messagesOf = (request: RecordedRequest | undefined) => (request?.body as { messages: { role: string; content: ChatContent }[] }).messages;
const textOf = (content: ChatContent) => (typeof content === "string" ? content : content.map((part) => part.text ?? "").join("\n"));
const lastPrompt = () => messagesOf(server.upstream.chatRequests().at(-1)).map((message) => `${message.role}: ${textOf(message.content)}`);

describe("input_file parts", () => {
  it("gives the model an uploaded PDF's pages as text, and lists the file as an input_file part", async () => {
    const pdf = await makePdf(["The launch code is 4711.", "두 번째 페이지: 예산은 300만 원이다."]);
    const file = await client.files.create({ file: await toFile(pdf, "plan.pdf"), purpose: "user_data" });
    server.upstream.enqueue({ text: "The code is 4711." });
    const response = await client.responses.create({
      model: "gpt-4o",
      input: [{ role: "user", content: [{ type: "input_text", text: "What is the code?" }, { type: "input_file", file_id: file.id }] }],
    });
    expect(response.output_text).toBe("The code is 4711.");
    const [user] = messagesOf(server.upstream.chatRequests().at(-1));
    expect(textOf(user!.content)).toBe("What is the code?\n[File plan.pdf]\n[Page 1]\nThe launch code is 4711.\n\n[Page 2]\n두 번째 페이지: 예산은 300만 원이다.");
    const items = await client.responses.inputItems.list(response.id);
    expect(items.data).toMatchObject([{ type: "message", role: "user", content: [{ type: "input_text", text: "What is the code?" }, { type: "input_file", file_id: file.id, filename: "plan.pdf" }] }]);
  });

  it("stores inline file_data (base64 or a data URL) as a File and sends its text; a conversation shows it to both APIs", async () => {
    const conversation = await client.conversations.create({});
    const notes = Buffer.from("# Notes\nThe meeting moved to Friday.").toString("base64");
    const pdf = Buffer.from(await makePdf(["Room 12B."])).toString("base64");
    server.upstream.enqueue({ text: "Friday, in room 12B." });
    const response = await client.responses.create({
      model: "gpt-4o",
      conversation: conversation.id,
      input: [
        {
          role: "user",
          content: [
            { type: "input_file", filename: "notes.md", file_data: notes },
            { type: "input_file", filename: "room.pdf", file_data: `data:application/pdf;base64,${pdf}` },
            { type: "input_text", text: "When and where?" },
          ],
        },
      ],
    });
    expect(response.output_text).toBe("Friday, in room 12B.");
    // A message's text parts come first, then its files (Assistants keeps files as attachments).
    expect(lastPrompt()).toEqual(["user: When and where?\n[File notes.md]\n# Notes\nThe meeting moved to Friday.\n[File room.pdf]\n[Page 1]\nRoom 12B."]);
    const [item] = (await client.conversations.items.list(conversation.id, { order: "asc" })).data;
    const parts = item?.type === "message" ? item.content : [];
    expect(parts).toMatchObject([{ type: "input_text", text: "When and where?" }, { type: "input_file", filename: "notes.md" }, { type: "input_file", filename: "room.pdf" }]);
    const stored = parts.flatMap((part) => (part.type === "input_file" && part.file_id ? [part.file_id] : []));
    expect(await Promise.all(stored.map(async (id) => (await client.files.retrieve(id)).purpose))).toEqual(["user_data", "user_data"]);
    expect(Buffer.from(await (await client.files.content(stored[0]!)).arrayBuffer()).toString()).toBe("# Notes\nThe meeting moved to Friday.");
    const [message] = (await client.beta.threads.messages.list(conversation.id, { order: "asc" })).data;
    expect(message?.attachments).toEqual(stored.map((file_id) => ({ file_id, tools: [] })));

    // The next response on the conversation still reads the files.
    server.upstream.enqueue({ text: "Yes." });
    await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "Sure?" });
    expect(lastPrompt()[0]).toContain("The meeting moved to Friday.");
  });
});

describe("a refused request with inline files", () => {
  it("leaves no File behind", async () => {
    const memo = { type: "input_file" as const, filename: "memo.txt", file_data: Buffer.from("Budget approved.").toString("base64") };
    const userDataFiles = async () => (await client.files.list({ purpose: "user_data" })).data.map((file) => file.id);
    const before = await userDataFiles();
    await expect(
      client.responses.create({ model: "gpt-4o", input: [{ role: "user", content: [memo] }], tools: [{ type: "file_search", vector_store_ids: ["vs_missing"] }] }),
    ).rejects.toMatchObject({ status: 404 });
    // The second file is refused after the first was stored.
    await expect(
      client.conversations.create({ items: [{ role: "user", content: [memo, { type: "input_file", filename: "tool.exe", file_data: "AAAA" }] }] }),
    ).rejects.toMatchObject({ status: 400, param: "items[0].content[1].filename" });
    expect(await userDataFiles()).toEqual(before);
  });
});

describe("input files across APIs", () => {
  it("are read by an Assistants run on the conversation too", async () => {
    const conversation = await client.conversations.create({
      items: [{ role: "user", content: [{ type: "input_text", text: "Summarize the memo." }, { type: "input_file", filename: "memo.txt", file_data: Buffer.from("Budget approved.").toString("base64") }] }],
    });
    const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
    server.upstream.enqueue({ text: "The budget was approved." });
    const run = await client.beta.threads.runs.createAndPoll(conversation.id, { assistant_id: assistant.id });
    expect(run.status).toBe("completed");
    expect(lastPrompt()).toEqual(["user: Summarize the memo.\n[File memo.txt]\nBudget approved."]);
  });
});

describe("item_reference items", () => {
  it("adds an item of the previous response's chain again, and refuses ids the request cannot see", async () => {
    server.upstream.enqueue({ text: "Noted: 4711." });
    const first = await client.responses.create({ model: "gpt-4o", input: "Remember 4711." });
    const [question] = (await client.responses.inputItems.list(first.id)).data;
    const answer = first.output[0]!;

    server.upstream.enqueue({ text: "You said to remember 4711." });
    const second = await client.responses.create({
      model: "gpt-4o",
      previous_response_id: first.id,
      input: [{ type: "item_reference", id: question!.id }, { type: "item_reference", id: answer.id! }, { role: "user", content: "Repeat it." }],
    });
    expect(second.output_text).toBe("You said to remember 4711.");
    expect(lastPrompt()).toEqual(["user: Remember 4711.", "assistant: Noted: 4711.", "user: Remember 4711.", "assistant: Noted: 4711.", "user: Repeat it."]);
    const listed = await client.responses.inputItems.list(second.id, { order: "asc" });
    expect(listed.data).toMatchObject([
      { type: "message", role: "user", content: [{ type: "input_text", text: "Remember 4711." }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Noted: 4711." }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "Repeat it." }] },
    ]);
    expect(listed.data[0]!.id).not.toBe(question!.id);

    // Without a conversation or a previous response, nothing can be referenced; an unknown id neither.
    const unseen = { type: "item_reference" as const, id: question!.id };
    await expect(client.responses.create({ model: "gpt-4o", input: [unseen] })).rejects.toMatchObject({ status: 404, error: { message: `Item with id '${question!.id}' not found.` } });
    await expect(client.responses.create({ model: "gpt-4o", previous_response_id: first.id, input: [{ type: "item_reference", id: "msg_unknown" }] })).rejects.toMatchObject({ status: 404 });
  });

  it("references a conversation's own items when adding items to it", async () => {
    const conversation = await client.conversations.create({ items: [{ role: "user", content: "Pin this." }] });
    const [pinned] = (await client.conversations.items.list(conversation.id)).data;
    const added = await client.conversations.items.create(conversation.id, { items: [{ type: "item_reference", id: pinned!.id! }] });
    expect(added.data).toMatchObject([{ type: "message", role: "user", content: [{ type: "input_text", text: "Pin this." }] }]);
    await expect(client.conversations.items.create(conversation.id, { items: [{ type: "item_reference", id: "msg_elsewhere" }] })).rejects.toMatchObject({ status: 404 });
  });
});

describe("include", () => {
  it("accepts the spec's values that have nothing to add here without changing the answer, and refuses others", async () => {
    server.upstream.enqueue({ text: "A red square." });
    const include = ["message.input_image.image_url", "message.output_text.logprobs", "reasoning.encrypted_content"] as const;
    const image = { type: "input_image" as const, image_url: "https://example.com/red.png", detail: "auto" as const };
    const response = await client.responses.create({ model: "gpt-4o", input: [{ role: "user", content: [image] }], include: [...include] });
    expect(response.output).toMatchObject([{ type: "message", content: [{ type: "output_text", text: "A red square.", logprobs: [] }] }]);
    expect(await client.responses.retrieve(response.id, { include: [...include] })).toEqual(await client.responses.retrieve(response.id));
    expect((await client.responses.inputItems.list(response.id, { include: ["message.input_image.image_url"] })).data).toMatchObject([{ content: [image] }]);
    const unknown = ["web_search_call.everything"] as unknown as typeof include[number][];
    await expect(client.responses.create({ model: "gpt-4o", input: "hi", include: unknown })).rejects.toMatchObject({ status: 400, param: "include[0]", code: "invalid_value" });
    await expect(client.responses.retrieve(response.id, { include: unknown })).rejects.toMatchObject({ status: 400, param: "include[0]", code: "invalid_value" });
  });
});

describe("input answers against OpenAI's spec", () => {
  it("match the spec's schemas", async () => {
    const { problems } = await recorder.problems(loadConformance(), responseEventSchema);
    expect(problems).toEqual([]);
  });
});
