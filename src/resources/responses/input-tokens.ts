import type { ConversationItem } from "../../domain/items.js";
import { conversationItems } from "../../engine/responses/conversation-items.js";
import { loadTokenCounter } from "../../engine/token-count.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import type { Store } from "../../storage/store.js";
import { getConversationThread } from "../conversations/conversations.service.js";
import { isItemReference, type RequestedInputItem } from "../conversations/input-items.schema.js";
import { getRecord, inputItemsOf } from "./responses.service.js";
import type { InputTokensRequest } from "./responses.schema.js";

/** Referenced items, files and reasoning (never sent back to the model) count as nothing. */
function textOf(item: ConversationItem | RequestedInputItem): string {
  if (isItemReference(item) || item.type === "reasoning") return "";
  if (item.type === "function_call") return `${item.name} ${item.arguments}`;
  if (item.type === "file_search_call") return item.queries.join("\n");
  if (item.type === "code_interpreter_call") return item.code ?? "";
  if (item.type === "function_call_output") return typeof item.output === "string" ? item.output : item.output.map((part) => (part.type === "input_text" ? part.text : "")).join("\n");
  if (typeof item.content === "string") return item.content;
  return item.content.map((part) => (part.type === "refusal" ? part.refusal : part.type === "input_image" || part.type === "input_file" ? "" : part.text)).join("\n");
}

/** The texts a response with these settings would send: instructions, history, input, tools and output format. */
async function inputTexts(store: Store, request: InputTokensRequest): Promise<string[]> {
  const conversation = typeof request.conversation === "string" ? request.conversation : request.conversation?.id;
  let history: ConversationItem[] = [];
  if (conversation) history = await conversationItems(store, (await getConversationThread(store, conversation)).id);
  else if (request.previous_response_id) history = await conversationItems(store, (await getRecord(store, request.previous_response_id)).thread_id);
  return [
    request.instructions ?? "",
    ...history.map(textOf),
    ...inputItemsOf(request.input).map(textOf),
    request.tools?.length ? JSON.stringify(request.tools) : "",
    request.text?.format && request.text.format.type !== "text" ? JSON.stringify(request.text.format) : "",
  ];
}

/**
 * The o200k token count of what a response with these settings would send: instructions, the
 * conversation's or previous response's items, the input, and the tools and output format. Images and
 * files count as nothing, and the chat template's few tokens per message are left out.
 */
export async function countInputTokens(store: Store, request: InputTokensRequest): Promise<number> {
  const countTokens = await loadTokenCounter();
  return (await inputTexts(store, request)).reduce((total, text) => total + (text.length > 0 ? countTokens(text) : 0), 0);
}

/** `truncation: "disabled"`: input larger than `budget` tokens is refused before anything is stored, as hosted. */
export async function assertFitsContext(store: Store, request: InputTokensRequest, budget: number): Promise<void> {
  const texts = await inputTexts(store, request);
  // Every token is at least one byte of UTF-8: input within the budget in bytes needs no tokenizer.
  if (texts.reduce((total, text) => total + Buffer.byteLength(text), 0) <= budget) return;
  const countTokens = await loadTokenCounter();
  if (texts.reduce((total, text) => total + (text.length > 0 ? countTokens(text) : 0), 0) <= budget) return;
  throw new InvalidRequestError("Your input exceeds the context window of this model. Please adjust your input and try again.", { param: "input", code: "context_length_exceeded" });
}
