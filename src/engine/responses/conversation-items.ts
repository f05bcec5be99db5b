import type { ConversationItem, FileCitation, FileSearchCallItem, InputContent, MessageItem, OutputContent, ThreadItemEntry } from "../../domain/items.js";
import type { FileSearchToolCall, Message, RunStep } from "../../domain/objects.js";
import type { Store } from "../../storage/store.js";

/**
 * A thread seen as a conversation. Its item log orders three kinds of entries: messages (shown as message
 * items), tool-call steps of runs (each call a function_call item, followed by its function_call_output
 * once the output is known) and items stored as they came. Ids of the items a step shows are derived
 * from the call's id, so they stay the same however often the step is read.
 */

export const functionCallItemId = (callId: string) => `fc_${callId}`;
export const functionCallOutputItemId = (callId: string) => `fco_${callId}`;
export const fileSearchCallItemId = (callId: string) => `fs_${callId}`;

/** What an item list shows of a step: function outputs (a conversation) and search results (`include`). */
export interface StepItemOptions {
  outputs: boolean;
  results?: boolean;
}

/** File names for citations, each file looked up once per listing. */
export type FileNames = (fileId: string) => Promise<string>;

export function fileNames(store: Store): FileNames {
  const known = new Map<string, Promise<string>>();
  return (fileId) => {
    let name = known.get(fileId);
    if (!name) known.set(fileId, (name = store.files.get(fileId).then((file) => file?.filename ?? "")));
    return name;
  };
}

export async function messageItem(message: Message, names: FileNames): Promise<MessageItem> {
  const content: (InputContent | OutputContent)[] = [];
  for (const part of message.content) {
    if (part.type === "text" && message.role === "user") content.push({ type: "input_text", text: part.text.value });
    if (part.type === "text" && message.role === "assistant") {
      const annotations: FileCitation[] = [];
      for (const annotation of part.text.annotations) {
        if (annotation.type !== "file_citation") continue;
        const fileId = annotation.file_citation.file_id;
        annotations.push({ type: "file_citation", file_id: fileId, filename: await names(fileId), index: annotation.end_index });
      }
      content.push({ type: "output_text", text: part.text.value, annotations, logprobs: [] });
    }
    if (part.type === "refusal") content.push({ type: "refusal", refusal: part.refusal });
    if (part.type === "image_url") content.push({ type: "input_image", image_url: part.image_url.url, file_id: null, detail: part.image_url.detail ?? "auto" });
    if (part.type === "image_file" && message.role === "user") {
      content.push({ type: "input_image", image_url: null, file_id: part.image_file.file_id, detail: part.image_file.detail ?? "auto" });
    }
  }
  return { type: "message", id: message.id, status: message.status, role: message.role, content };
}

export function fileSearchItem(call: FileSearchToolCall, step: RunStep, results: boolean): FileSearchCallItem {
  const found = call.file_search.results;
  const status = found ? "completed" : step.status === "in_progress" ? "searching" : "incomplete";
  return {
    type: "file_search_call",
    id: fileSearchCallItemId(call.id),
    status,
    queries: call.file_search.queries ?? [],
    results:
      results && found
        ? found.map((result) => ({ file_id: result.file_id, filename: result.file_name, score: result.score, text: result.content?.map((part) => part.text).join("\n") ?? "", attributes: null }))
        : null,
  };
}

/**
 * The function and file search calls of a tool-call step. With `outputs`, each function call known to
 * have an output is followed by it (a conversation shows both; a response's output shows only the calls).
 */
export function stepItems(step: RunStep, options: StepItemOptions): ConversationItem[] {
  if (step.step_details.type !== "tool_calls") return [];
  const items: ConversationItem[] = [];
  for (const call of step.step_details.tool_calls) {
    if (call.type === "file_search") items.push(fileSearchItem(call, step, options.results === true));
    if (call.type !== "function") continue;
    items.push({
      type: "function_call",
      id: functionCallItemId(call.id),
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: step.status === "in_progress" ? "in_progress" : "completed",
    });
    if (options.outputs && call.function.output !== null) {
      items.push({ type: "function_call_output", id: functionCallOutputItemId(call.id), call_id: call.id, output: call.function.output, status: "completed" });
    }
  }
  return items;
}

/**
 * The items one log entry shows; none when its message or step was deleted or its turn was discarded.
 * Without `outputs`, a step shows only its calls (as the model saw them when it made them).
 */
export async function entryItems(store: Store, entry: ThreadItemEntry, names: FileNames, options: StepItemOptions = { outputs: true }): Promise<ConversationItem[]> {
  if (entry.kind === "item") return [entry.item];
  if (entry.kind === "message") {
    const message = await store.messages.get(entry.id, entry.thread_id);
    return message ? [await messageItem(message, names)] : [];
  }
  const step = await store.runSteps.get(entry.id);
  // A failed step is a turn a crashed executor was cut off in; it was generated again in a later step.
  return step && step.status !== "failed" ? stepItems(step, options) : [];
}

/** Every item of the thread, oldest first. */
export async function conversationItems(store: Store, threadId: string, options: StepItemOptions = { outputs: true }): Promise<ConversationItem[]> {
  const names = fileNames(store);
  const items: ConversationItem[] = [];
  for (const entry of await store.threadItems.findAll({ parentId: threadId })) items.push(...(await entryItems(store, entry, names, options)));
  return items;
}
