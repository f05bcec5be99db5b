import { newId } from "../../domain/ids.js";
import type { ConversationItem, InputContent, ThreadItemEntry } from "../../domain/items.js";
import type { RunStep } from "../../domain/objects.js";
import type { CreateMessageRequest } from "../../domain/request-schemas.js";
import { unixNow } from "../../domain/time.js";
import { conversationItems, entryItems, fileNames, functionCallOutputItemId, messageItem, type StepItemOptions } from "../../engine/responses/conversation-items.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { ListPage, ListQuery } from "../../storage/collection.js";
import { InvalidCursorError } from "../../storage/storage-errors.js";
import type { Store } from "../../storage/store.js";
import { buildUserMessage } from "../messages/messages.service.js";
import type { InputItem, MessageInput } from "./input-items.schema.js";

type ContentParts = Exclude<CreateMessageRequest["content"], string>;

/**
 * An input message as an Assistants message (what `threads.messages.list` shows); output text loses its
 * annotations. Its files become attachments for no tool: files handed to the model whole.
 */
function messageRequest(role: "user" | "assistant", content: MessageInput["content"]): CreateMessageRequest {
  if (typeof content === "string") return { role, content };
  const parts: ContentParts = [];
  for (const part of content) {
    if (part.type === "input_file") continue;
    if (part.type === "input_text" || part.type === "output_text") parts.push({ type: "text", text: part.text });
    else if (part.type === "refusal") parts.push({ type: "text", text: part.refusal });
    else {
      const detail = part.detail === "original" ? "high" : (part.detail ?? "auto");
      parts.push(part.file_id ? { type: "image_file", image_file: { file_id: part.file_id, detail } } : { type: "image_url", image_url: { url: part.image_url ?? "", detail } });
    }
  }
  const attachments = content.flatMap((part) => (part.type === "input_file" ? [{ file_id: part.file_id, tools: [] }] : []));
  return { role, content: parts, ...(attachments.length > 0 ? { attachments } : {}) };
}

function inputContent(content: MessageInput["content"]): InputContent[] {
  if (typeof content === "string") return [{ type: "input_text", text: content }];
  return content.map((part): InputContent => {
    if (part.type === "input_text" || part.type === "output_text") return { type: "input_text", text: part.text };
    if (part.type === "refusal") return { type: "input_text", text: part.refusal };
    if (part.type === "input_file") return part;
    return { type: "input_image", image_url: part.image_url ?? null, file_id: part.file_id ?? null, detail: part.detail === "original" ? "high" : (part.detail ?? "auto") };
  });
}

async function storeItem(store: Store, threadId: string, item: ConversationItem): Promise<ConversationItem> {
  const entry: ThreadItemEntry = { id: item.id, created_at: unixNow(), thread_id: threadId, run_id: null, kind: "item", item };
  await store.threadItems.insert(entry);
  return item;
}

/** The tool-call step of this thread that made the call `callId`, if a run made it. */
export async function stepWithCall(store: Store, threadId: string, callId: string): Promise<RunStep | undefined> {
  for (const entry of await store.threadItems.findAll({ parentId: threadId, statuses: ["run_step"] })) {
    const step = await store.runSteps.get(entry.id);
    if (step?.step_details.type === "tool_calls" && step.step_details.tool_calls.some((call) => call.id === callId)) return step;
  }
  return undefined;
}

/**
 * The output of a function a run called is written into the run's step, as `submit_tool_outputs` does,
 * so Assistants clients see it there; the output of a call the client added itself is stored as an item.
 */
async function recordOutput(store: Store, threadId: string, item: Extract<InputItem, { type: "function_call_output" }>): Promise<ConversationItem> {
  const step = await stepWithCall(store, threadId, item.call_id);
  if (!step || step.step_details.type !== "tool_calls") {
    const output = typeof item.output === "string" ? item.output : inputContent(item.output);
    return storeItem(store, threadId, { type: "function_call_output", id: newId("functionCallOutput"), call_id: item.call_id, output, status: "completed" });
  }
  if (step.status === "in_progress") {
    throw new InvalidRequestError(`The call ${item.call_id} belongs to run ${step.run_id}, which waits for its tool outputs: submit them to that run.`, { param: "call_id" });
  }
  const text = typeof item.output === "string" ? item.output : item.output.flatMap((part) => (part.type === "input_text" ? [part.text] : [])).join("\n");
  const calls = step.step_details.tool_calls.map((call) => {
    if (call.id !== item.call_id || call.type !== "function") return call;
    if (call.function.output !== null) throw new InvalidRequestError(`The function call ${item.call_id} already has an output.`, { param: "call_id" });
    return { ...call, function: { ...call.function, output: text } };
  });
  await store.runSteps.update({ ...step, step_details: { type: "tool_calls", tool_calls: calls } });
  return { type: "function_call_output", id: functionCallOutputItemId(item.call_id), call_id: item.call_id, output: text, status: "completed" };
}

/**
 * Appends input items to a thread, in order, and returns them as the conversation shows them. User and
 * assistant messages become the thread's messages; other roles and function calls are stored as items.
 * Call inside the request's transaction.
 */
export async function appendItems(store: Store, threadId: string, items: InputItem[]): Promise<ConversationItem[]> {
  const names = fileNames(store);
  const added: ConversationItem[] = [];
  for (const item of items) {
    if (item.type === "function_call_output") {
      added.push(await recordOutput(store, threadId, item));
    } else if (item.type === "file_search_call") {
      added.push(await storeItem(store, threadId, { ...item, id: newId("fileSearchCall"), status: "completed" }));
    } else if (item.type === "code_interpreter_call") {
      added.push(await storeItem(store, threadId, { ...item, id: newId("codeInterpreterCall"), status: "completed" }));
    } else if (item.type === "reasoning") {
      added.push(await storeItem(store, threadId, { type: "reasoning", id: newId("reasoning"), summary: item.summary, content: item.content ?? [], status: "completed" }));
    } else if (item.type === "function_call") {
      const call = { type: "function_call" as const, id: newId("functionCall"), call_id: item.call_id, name: item.name, arguments: item.arguments, status: "completed" as const };
      added.push(await storeItem(store, threadId, call));
    } else if (item.role === "user" || item.role === "assistant") {
      const message = await buildUserMessage(store, threadId, messageRequest(item.role, item.content));
      await store.messages.insert(message);
      added.push(await messageItem(message, names));
    } else {
      added.push(await storeItem(store, threadId, { type: "message", id: newId("message"), status: "completed", role: item.role, content: inputContent(item.content) }));
    }
  }
  return added;
}

/**
 * One page of a thread's items. Entries are expanded only from the cursor on: before it, a message or
 * stored item is recognized by its entry's id, and only tool-call steps need reading.
 */
export async function listItems(
  store: Store,
  threadId: string,
  query: Pick<ListQuery, "limit" | "order" | "after">,
  options: StepItemOptions = { outputs: true },
): Promise<ListPage<ConversationItem>> {
  const entries = await store.threadItems.findAll({ parentId: threadId });
  if (query.order === "desc") entries.reverse();
  const names = fileNames(store);
  const page: ConversationItem[] = [];
  let started = query.after === undefined;
  for (const entry of entries) {
    if (!started && entry.kind !== "run_step") {
      started = entry.id === query.after;
      continue;
    }
    const items = await entryItems(store, entry, names, options);
    if (query.order === "desc") items.reverse();
    for (const item of items) {
      if (!started) {
        started = item.id === query.after;
        continue;
      }
      page.push(item);
      if (page.length > query.limit) return { data: page.slice(0, query.limit), hasMore: true };
    }
  }
  if (!started && query.after !== undefined) throw new InvalidCursorError("after", query.after);
  return { data: page, hasMore: false };
}

export async function getItem(store: Store, threadId: string, itemId: string, options: StepItemOptions = { outputs: true }): Promise<ConversationItem> {
  const item = (await conversationItems(store, threadId, options)).find((candidate) => candidate.id === itemId);
  if (!item) throw NotFoundError.object("item", itemId);
  return item;
}

/** Messages and stored items can be deleted; a run's tool calls stay with the run that made them. */
export async function deleteItem(store: Store, threadId: string, itemId: string): Promise<void> {
  const entry = await store.threadItems.get(itemId, threadId);
  if (entry?.kind === "message") return void (await store.messages.delete(itemId, threadId));
  if (entry?.kind === "item") return void (await store.threadItems.delete(itemId, threadId));
  await getItem(store, threadId, itemId);
  throw new InvalidRequestError(`Item '${itemId}' is a tool call made by a run; it can only be deleted with its conversation.`);
}
