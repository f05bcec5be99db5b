import type { LanguageModelV3Message, LanguageModelV3Prompt } from "@ai-sdk/provider";
import type { Message, MessageContent, Run, RunStep } from "../domain/objects.js";
import type { FileTextLoader } from "./responses/file-text.js";
import type { TokenCounter } from "./token-count.js";

export type ImageLoader = (fileId: string) => Promise<{ data: Uint8Array; mediaType: string } | undefined>;

export interface PromptInput {
  run: Run;
  /** Extra system text from the run's builtin tools. */
  toolInstructions: string[];
  /** The thread's messages in order, without the ones this run wrote. */
  conversation: Message[];
  /**
   * For a response, the thread's items (tool calls and their outputs too) already as model messages; it
   * goes where `conversation` would (which is then empty).
   */
  history?: LanguageModelV3Message[];
  /** This run's steps, oldest first, and the messages they created. */
  steps: RunStep[];
  runMessages: Map<string, Message>;
  /** Output the model saw for builtin tool calls, by call id. */
  builtinOutputs: Map<string, string>;
  loadImage: ImageLoader;
  /** The text of files a message hands to the model whole (attachments for no tool, as Responses' input_file parts are stored). */
  loadFileText: FileTextLoader;
  tokenCounter: () => Promise<TokenCounter>;
}

export type PromptResult = { ok: true; prompt: LanguageModelV3Prompt } | { ok: false; reason: "max_prompt_tokens" };

function textOf(content: MessageContent[]): string {
  return content.flatMap((part) => (part.type === "text" ? [part.text.value] : [])).join("\n");
}

async function userMessage(message: Message, { loadImage, loadFileText }: Pick<PromptInput, "loadImage" | "loadFileText">): Promise<LanguageModelV3Message> {
  const parts: Extract<LanguageModelV3Message, { role: "user" }>["content"] = [];
  for (const part of message.content) {
    if (part.type === "text") parts.push({ type: "text", text: part.text.value });
    if (part.type === "image_url") parts.push({ type: "file", mediaType: "image/*", data: new URL(part.image_url.url) });
    if (part.type === "image_file") {
      const image = await loadImage(part.image_file.file_id);
      if (image) parts.push({ type: "file", mediaType: image.mediaType, data: image.data });
    }
  }
  for (const attachment of message.attachments) {
    if (attachment.tools.length === 0) parts.push({ type: "text", text: await loadFileText(attachment.file_id) });
  }
  if (parts.length === 0) parts.push({ type: "text", text: "" });
  return { role: "user", content: parts };
}

async function conversationMessage(message: Message, loaders: Pick<PromptInput, "loadImage" | "loadFileText">): Promise<LanguageModelV3Message> {
  if (message.role === "user") return userMessage(message, loaders);
  return { role: "assistant", content: [{ type: "text", text: textOf(message.content) }] };
}

/** Replays this run's own steps so a resumed run continues where it stopped (tool calls and results). */
function replaySteps(input: PromptInput): LanguageModelV3Message[] {
  const replay: LanguageModelV3Message[] = [];
  for (const step of input.steps) {
    if (step.step_details.type === "message_creation") {
      const message = input.runMessages.get(step.step_details.message_creation.message_id);
      if (message) replay.push({ role: "assistant", content: [{ type: "text", text: textOf(message.content) }] });
      continue;
    }
    const calls = step.step_details.tool_calls;
    if (calls.length === 0) continue;
    const nameOf = (call: (typeof calls)[number]) => (call.type === "function" ? call.function.name : call.type);
    const inputOf = (call: (typeof calls)[number]) =>
      call.type === "function" ? call.function.arguments : call.type === "code_interpreter" ? JSON.stringify({ code: call.code_interpreter.input }) : "{}";
    replay.push({
      role: "assistant",
      content: calls.map((call) => ({ type: "tool-call", toolCallId: call.id, toolName: nameOf(call), input: inputOf(call) })),
    });
    replay.push({
      role: "tool",
      content: calls.map((call) => ({
        type: "tool-result",
        toolCallId: call.id,
        toolName: nameOf(call),
        output: {
          type: "text",
          value: call.type === "function" ? (call.function.output ?? "") : (input.builtinOutputs.get(call.id) ?? ""),
        },
      })),
    });
  }
  return replay;
}

/** The first of `costs` to keep so that `fixed` and the kept ones fit `budget` (the last always kept); undefined when nothing fits. */
function oldestKept(costs: number[], fixed: number, budget: number): number | undefined {
  let total = fixed + costs.reduce((sum, cost) => sum + cost, 0);
  let start = 0;
  while (total > budget && start < costs.length - 1) {
    total -= costs[start] ?? 0;
    start += 1;
  }
  return total > budget ? undefined : start;
}

/** A response's history in the pieces it can be cut into: a tool call's results stay with the call. */
function historyUnits(history: LanguageModelV3Message[]): LanguageModelV3Message[][] {
  const units: LanguageModelV3Message[][] = [];
  for (const message of history) {
    const last = units.at(-1);
    if (message.role === "tool" && last) last.push(message);
    else units.push([message]);
  }
  return units;
}

/** The text of a model message that tokens are counted on (images and files count as nothing). */
function promptText(message: LanguageModelV3Message): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((part) => {
      if (part.type === "text" || part.type === "reasoning") return part.text;
      if (part.type === "tool-call") return `${part.toolName} ${typeof part.input === "string" ? part.input : JSON.stringify(part.input)}`;
      if (part.type === "tool-result") return part.output.type === "text" ? part.output.value : JSON.stringify(part.output);
      return "";
    })
    .join("\n");
}

/**
 * Builds the model prompt: instructions, then the thread's conversation (honouring `truncation_strategy`
 * and `max_prompt_tokens` by dropping the oldest messages; for a response, its oldest items), then this
 * run's own steps.
 */
export async function buildPrompt(input: PromptInput): Promise<PromptResult> {
  const { run } = input;
  const systemText = [run.instructions, ...input.toolInstructions].filter((part) => part.length > 0).join("\n\n");
  let conversation = input.conversation;
  if (run.truncation_strategy.type === "last_messages" && run.truncation_strategy.last_messages !== null) {
    conversation = conversation.slice(-run.truncation_strategy.last_messages);
  }
  const replay = replaySteps(input);
  let history = input.history ?? [];
  if (run.max_prompt_tokens !== null) {
    const budget = run.max_prompt_tokens;
    const countTokens = await input.tokenCounter();
    const fixed = countTokens(systemText) + countTokens(JSON.stringify(replay));
    if (input.history) {
      const units = historyUnits(input.history);
      const start = oldestKept(units.map((unit) => unit.reduce((sum, message) => sum + countTokens(promptText(message)) + 4, 0)), fixed, budget);
      if (start === undefined) return { ok: false, reason: "max_prompt_tokens" };
      history = units.slice(start).flat();
    } else {
      const start = oldestKept(conversation.map((message) => countTokens(textOf(message.content)) + 4), fixed, budget);
      if (start === undefined) return { ok: false, reason: "max_prompt_tokens" };
      conversation = conversation.slice(start);
    }
  }
  const prompt: LanguageModelV3Prompt = [];
  if (systemText.length > 0) prompt.push({ role: "system", content: systemText });
  for (const message of conversation) prompt.push(await conversationMessage(message, input));
  prompt.push(...history, ...replay);
  return { ok: true, prompt };
}
