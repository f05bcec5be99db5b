import type { LanguageModelV3Message } from "@ai-sdk/provider";
import { idPrefixes } from "../../domain/ids.js";
import type { ConversationItem, FunctionCallOutputItem, MessageItem } from "../../domain/items.js";
import type { Run } from "../../domain/objects.js";
import type { Store } from "../../storage/store.js";
import type { ImageLoader } from "../prompt-builder.js";
import { entryItems } from "./conversation-items.js";
import type { FileTextLoader } from "./file-text.js";

/**
 * A response executes as a run that carries the response's id. Such a run differs from an Assistants run
 * in two ways: its function calls end it (the client sends their outputs with its next response, there
 * is no `requires_action`), and the model sees the thread's items, not only its messages.
 */
export function isResponseRun(run: Pick<Run, "id">): boolean {
  return run.id.startsWith(idPrefixes.response);
}

const noFileNames = Object.assign(async () => "", { containerFile: async () => undefined });

function textOf(parts: MessageItem["content"] | FunctionCallOutputItem["output"]): string {
  if (typeof parts === "string") return parts;
  return parts.flatMap((part) => (part.type === "input_text" || part.type === "output_text" ? [part.text] : part.type === "refusal" ? [part.refusal] : [])).join("\n");
}

/** How a response's model gets the images and files of its items. */
export interface ItemLoaders {
  loadImage: ImageLoader;
  loadFileText: FileTextLoader;
}

async function messagePrompt(item: MessageItem, { loadImage, loadFileText }: ItemLoaders): Promise<LanguageModelV3Message> {
  if (item.role === "assistant") return { role: "assistant", content: [{ type: "text", text: textOf(item.content) }] };
  if (item.role !== "user") return { role: "system", content: textOf(item.content) };
  const parts: Extract<LanguageModelV3Message, { role: "user" }>["content"] = [];
  for (const part of item.content) {
    if (part.type === "input_text") parts.push({ type: "text", text: part.text });
    if (part.type === "input_file") parts.push({ type: "text", text: await loadFileText(part.file_id) });
    if (part.type === "input_image" && part.image_url) parts.push({ type: "file", mediaType: "image/*", data: new URL(part.image_url) });
    if (part.type === "input_image" && part.file_id) {
      const image = await loadImage(part.file_id);
      if (image) parts.push({ type: "file", mediaType: image.mediaType, data: image.data });
    }
  }
  if (parts.length === 0) parts.push({ type: "text", text: "" });
  return { role: "user", content: parts };
}

/**
 * Items as model messages. A function call goes in with its output right after it, wherever the output
 * was added; a call without an output, or an output without its call, is left out, as the model's API
 * refuses either.
 */
export async function itemsPrompt(items: ConversationItem[], loaders: ItemLoaders): Promise<LanguageModelV3Message[]> {
  const outputs = new Map(items.flatMap((item) => (item.type === "function_call_output" ? [[item.call_id, item] as const] : [])));
  const prompt: LanguageModelV3Message[] = [];
  for (const item of items) {
    if (item.type === "message") prompt.push(await messagePrompt(item, loaders));
    if (item.type !== "function_call") continue;
    const output = outputs.get(item.call_id);
    if (!output) continue;
    const call = { toolCallId: item.call_id, toolName: item.name };
    prompt.push({ role: "assistant", content: [{ type: "tool-call", ...call, input: item.arguments }] });
    prompt.push({ role: "tool", content: [{ type: "tool-result", ...call, output: { type: "text", value: textOf(output.output) } }] });
  }
  return prompt;
}

/** What a response's model sees before its own turns: every item of its thread that other runs or the client wrote. */
export async function responseHistory(store: Store, run: Run, loaders: ItemLoaders): Promise<LanguageModelV3Message[]> {
  const items: ConversationItem[] = [];
  for (const entry of await store.threadItems.findAll({ parentId: run.thread_id })) {
    if (entry.run_id !== run.id) items.push(...(await entryItems(store, entry, noFileNames)));
  }
  return itemsPrompt(items, loaders);
}
