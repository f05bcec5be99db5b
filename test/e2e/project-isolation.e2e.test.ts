import OpenAI, { toFile } from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

/**
 * Two projects on one server, each with its own key, walked through every endpoint: whatever project A
 * owns, project B's key gets exactly what an unknown id gets, and A's data stays as it was.
 */
const adminKey = "sk-admin-isolation";
const server = useTestServer({ env: { SPOOL_ADMIN_KEY: adminKey } });

interface Owned {
  assistantId: string;
  fileId: string;
  vectorStoreId: string;
  batchId: string;
  threadId: string;
  messageId: string;
  runId: string;
  stepId: string;
  responseId: string;
  conversationId: string;
  containerId: string;
  containerFileId: string;
}

let a: OpenAI;
let b: OpenAI;
let owned: Owned;

async function admin(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.spool.url}/v1/organization${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function projectClient(name: string): Promise<OpenAI> {
  const project = await admin("/projects", { name });
  const account = await admin(`/projects/${String(project.id)}/service_accounts`, { name: `${name} service` });
  return server.spool.client({ apiKey: (account.api_key as { value: string }).value });
}

/** How a failed call looked to the client, with the id it named taken out. */
async function failure(call: Promise<unknown>, id: string): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return { status: error.status ?? 0, message: String(error.error && (error.error as { message?: string }).message).replaceAll(id, "<id>") };
    throw error;
  }
  throw new Error(`The call naming ${id} succeeded.`);
}

/** `call` with another project's id fails exactly as it does with an id that does not exist. */
async function expectSameAsUnknown(call: (id: string) => Promise<unknown>, othersId: string): Promise<void> {
  const unknownId = othersId.replace(/[A-Za-z0-9]{6}$/, "zzzzzz");
  const forOthers = await failure(call(othersId), othersId);
  const forUnknown = await failure(call(unknownId), unknownId);
  expect(forOthers).toEqual(forUnknown);
  expect([400, 404]).toContain(forOthers.status);
}

async function expectNotFound(call: Promise<unknown>): Promise<void> {
  await expect(call).rejects.toMatchObject({ status: 404 });
}

beforeAll(async () => {
  a = await projectClient("Team A");
  b = await projectClient("Team B");
  const file = await a.files.create({ file: await toFile(Buffer.from("The launch code is AZURE-17."), "notes.txt"), purpose: "assistants" });
  const vectorStore = await a.vectorStores.create({ name: "A's store", file_ids: [file.id] });
  const batch = await a.vectorStores.fileBatches.createAndPoll(vectorStore.id, { file_ids: [file.id] }, { pollIntervalMs: 50 });
  const assistant = await a.beta.assistants.create({
    model: "gpt-4o",
    tools: [{ type: "file_search" }, { type: "code_interpreter" }],
    tool_resources: { file_search: { vector_store_ids: [vectorStore.id] }, code_interpreter: { file_ids: [file.id] } },
  });
  const thread = await a.beta.threads.create({ messages: [{ role: "user", content: "Hello", attachments: [{ file_id: file.id, tools: [{ type: "file_search" }] }] }] });
  const [message] = (await a.beta.threads.messages.list(thread.id)).data;
  server.upstream.enqueue({ text: "Hello from project A." });
  const run = await a.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 50 });
  expect(run.status).toBe("completed");
  const [step] = (await a.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data;
  server.upstream.enqueue({ text: "A response." });
  const response = await a.responses.create({ model: "gpt-4o", input: "Hi" });
  const conversation = await a.conversations.create({ items: [{ type: "message", role: "user", content: "Hi there" }] });
  const container = await a.containers.create({ name: "A's container" });
  const containerFile = await a.containers.files.create(container.id, { file_id: file.id });
  owned = {
    assistantId: assistant.id,
    fileId: file.id,
    vectorStoreId: vectorStore.id,
    batchId: batch.id,
    threadId: thread.id,
    messageId: message?.id ?? "",
    runId: run.id,
    stepId: step?.id ?? "",
    responseId: response.id,
    conversationId: conversation.id,
    containerId: container.id,
    containerFileId: containerFile.id,
  };
});

describe("project isolation", () => {
  it("writes what a run of project A produces into project A", async () => {
    const messages = await a.beta.threads.messages.list(owned.threadId, { order: "asc" });
    expect(messages.data.map((message) => message.role)).toEqual(["user", "assistant"]);
    expect((await a.conversations.items.list(owned.threadId)).data.length).toBeGreaterThanOrEqual(2);
    expect((await a.responses.retrieve(owned.responseId)).output_text).toBe("A response.");
  });

  it("answers 404 to another project's ids, for reads, changes and deletes", async () => {
    const { assistantId, fileId, vectorStoreId, batchId, threadId, messageId, runId, stepId, responseId, conversationId, containerId, containerFileId } = owned;
    const attempts: (() => Promise<unknown>)[] = [
      () => b.beta.assistants.retrieve(assistantId),
      () => b.beta.assistants.update(assistantId, { name: "taken" }),
      () => b.beta.assistants.delete(assistantId),
      () => b.files.retrieve(fileId),
      () => b.files.content(fileId),
      () => b.files.delete(fileId),
      () => b.vectorStores.retrieve(vectorStoreId),
      () => b.vectorStores.update(vectorStoreId, { name: "taken" }),
      () => b.vectorStores.search(vectorStoreId, { query: "launch code" }),
      () => b.vectorStores.files.list(vectorStoreId),
      () => b.vectorStores.files.retrieve(fileId, { vector_store_id: vectorStoreId }),
      () => b.vectorStores.files.content(fileId, { vector_store_id: vectorStoreId }),
      () => b.vectorStores.files.delete(fileId, { vector_store_id: vectorStoreId }),
      () => b.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: vectorStoreId }),
      () => b.vectorStores.fileBatches.cancel(batchId, { vector_store_id: vectorStoreId }),
      () => b.vectorStores.fileBatches.listFiles(batchId, { vector_store_id: vectorStoreId }),
      () => b.vectorStores.delete(vectorStoreId),
      () => b.beta.threads.retrieve(threadId),
      () => b.beta.threads.update(threadId, { metadata: { taken: "yes" } }),
      () => b.beta.threads.messages.list(threadId),
      () => b.beta.threads.messages.retrieve(messageId, { thread_id: threadId }),
      () => b.beta.threads.messages.update(messageId, { thread_id: threadId, metadata: { taken: "yes" } }),
      () => b.beta.threads.messages.create(threadId, { role: "user", content: "intrusion" }),
      () => b.beta.threads.messages.delete(messageId, { thread_id: threadId }),
      () => b.beta.threads.runs.list(threadId),
      () => b.beta.threads.runs.retrieve(runId, { thread_id: threadId }),
      () => b.beta.threads.runs.update(runId, { thread_id: threadId, metadata: { taken: "yes" } }),
      () => b.beta.threads.runs.cancel(runId, { thread_id: threadId }),
      () => b.beta.threads.runs.submitToolOutputs(runId, { thread_id: threadId, tool_outputs: [{ tool_call_id: "call_x", output: "x" }] }),
      () => b.beta.threads.runs.steps.list(runId, { thread_id: threadId }),
      () => b.beta.threads.runs.steps.retrieve(stepId, { thread_id: threadId, run_id: runId }),
      () => b.beta.threads.runs.create(threadId, { assistant_id: assistantId }),
      () => b.beta.threads.delete(threadId),
      () => b.responses.retrieve(responseId),
      () => b.responses.inputItems.list(responseId),
      () => b.responses.cancel(responseId),
      () => b.responses.delete(responseId),
      () => b.conversations.retrieve(conversationId),
      () => b.conversations.update(conversationId, { metadata: { taken: "yes" } }),
      () => b.conversations.items.list(conversationId),
      () => b.conversations.items.create(conversationId, { items: [{ type: "message", role: "user", content: "intrusion" }] }),
      () => b.conversations.delete(conversationId),
      () => b.conversations.retrieve(threadId),
      () => b.containers.retrieve(containerId),
      () => b.containers.files.list(containerId),
      () => b.containers.files.retrieve(containerFileId, { container_id: containerId }),
      () => b.containers.files.content.retrieve(containerFileId, { container_id: containerId }),
      () => b.containers.files.create(containerId, { file_id: fileId }),
      () => b.containers.files.delete(containerFileId, { container_id: containerId }),
      () => b.containers.delete(containerId),
    ];
    for (const attempt of attempts) await expectNotFound(attempt());
  });

  it("never lists another project's objects", async () => {
    expect((await b.beta.assistants.list()).data).toEqual([]);
    expect((await b.files.list()).data).toEqual([]);
    expect((await b.vectorStores.list()).data).toEqual([]);
    expect((await b.containers.list()).data).toEqual([]);
    await expect(b.beta.assistants.list({ after: owned.assistantId })).rejects.toMatchObject({ status: 400 });
    expect((await a.beta.assistants.list()).data.map((assistant) => assistant.id)).toEqual([owned.assistantId]);
  });

  it("refuses another project's objects named inside requests, as it refuses unknown ids", async () => {
    const { assistantId, fileId, vectorStoreId, threadId, responseId } = owned;
    const ownStore = await b.vectorStores.create({ name: "B's store" });
    await expectSameAsUnknown((id) => b.beta.threads.runs.create(threadId, { assistant_id: id }), assistantId);
    const ownThread = await b.beta.threads.create();
    await expectSameAsUnknown((id) => b.beta.threads.runs.create(ownThread.id, { assistant_id: id }), assistantId);
    await expectSameAsUnknown((id) => b.beta.threads.createAndRun({ assistant_id: id }), assistantId);
    await expectSameAsUnknown((id) => b.beta.assistants.create({ model: "gpt-4o", tool_resources: { file_search: { vector_store_ids: [id] } } }), vectorStoreId);
    await expectSameAsUnknown((id) => b.beta.assistants.create({ model: "gpt-4o", tool_resources: { code_interpreter: { file_ids: [id] } } }), fileId);
    await expectSameAsUnknown((id) => b.beta.threads.create({ tool_resources: { file_search: { vector_store_ids: [id] } } }), vectorStoreId);
    await expectSameAsUnknown(
      (id) => b.beta.threads.messages.create(ownThread.id, { role: "user", content: "see file", attachments: [{ file_id: id, tools: [{ type: "file_search" }] }] }),
      fileId,
    );
    await expectSameAsUnknown((id) => b.vectorStores.create({ file_ids: [id] }), fileId);
    await expectSameAsUnknown((id) => b.vectorStores.files.create(ownStore.id, { file_id: id }), fileId);
    await expectSameAsUnknown((id) => b.vectorStores.fileBatches.create(ownStore.id, { file_ids: [id] }), fileId);
    const ownContainer = await b.containers.create({ name: "B's container" });
    await expectSameAsUnknown((id) => b.containers.files.create(ownContainer.id, { file_id: id }), fileId);
    await expectSameAsUnknown((id) => b.containers.create({ name: "B's", file_ids: [id] }), fileId);
    await expectSameAsUnknown((id) => b.responses.create({ model: "gpt-4o", input: "hi", previous_response_id: id }), responseId);
    await expectSameAsUnknown((id) => b.responses.create({ model: "gpt-4o", input: "hi", conversation: id }), threadId);
    await expectSameAsUnknown((id) => b.responses.create({ model: "gpt-4o", input: "hi", tools: [{ type: "file_search", vector_store_ids: [id] }] }), vectorStoreId);
    await expectSameAsUnknown((id) => b.responses.create({ model: "gpt-4o", input: "hi", prompt: { id } }), assistantId);
    // v1 clients name files directly: `file_ids` on assistants and messages, and the assistant file endpoints.
    const v1 = { headers: { "OpenAI-Beta": "assistants=v1" } };
    await expectSameAsUnknown((id) => b.post("/assistants", { body: { model: "gpt-4o", file_ids: [id] }, ...v1 }), fileId);
    const ownAssistant = await b.beta.assistants.create({ model: "gpt-4o" });
    await expectSameAsUnknown((id) => b.post(`/assistants/${ownAssistant.id}/files`, { body: { file_id: id }, ...v1 }), fileId);
    await expectSameAsUnknown((id) => b.post(`/threads/${ownThread.id}/messages`, { body: { role: "user", content: "see", file_ids: [id] }, ...v1 }), fileId);
    await expectSameAsUnknown((id) => b.get(`/assistants/${id}/files`, v1), assistantId);
  });

  it("leaves project A's objects as they were", async () => {
    const assistant = await a.beta.assistants.retrieve(owned.assistantId);
    expect(assistant.name).toBeNull();
    expect((await a.files.retrieve(owned.fileId)).filename).toBe("notes.txt");
    expect(await (await a.files.content(owned.fileId)).text()).toBe("The launch code is AZURE-17.");
    expect((await a.vectorStores.retrieve(owned.vectorStoreId)).name).toBe("A's store");
    expect((await a.beta.threads.retrieve(owned.threadId)).metadata).toEqual({});
    expect((await a.beta.threads.messages.list(owned.threadId)).data).toHaveLength(2);
    expect((await a.beta.threads.runs.retrieve(owned.runId, { thread_id: owned.threadId })).metadata).toEqual({});
    expect((await a.responses.retrieve(owned.responseId)).status).toBe("completed");
    expect((await a.conversations.retrieve(owned.conversationId)).id).toBe(owned.conversationId);
    expect((await a.containers.files.list(owned.containerId)).data.map((file) => file.id)).toEqual([owned.containerFileId]);
  });
});
