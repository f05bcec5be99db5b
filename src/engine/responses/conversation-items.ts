import type { ContainerFile } from "../../domain/containers.js";
import { idPrefixes } from "../../domain/ids.js";
import type {
  CodeInterpreterCallItem,
  ContainerFileCitation,
  ConversationItem,
  FileSearchCallItem,
  InputContent,
  MessageItem,
  OutputAnnotation,
  OutputContent,
  ReasoningItem,
  ThreadItemEntry,
} from "../../domain/items.js";
import type { Annotation, CodeInterpreterToolCall, Reasoning, FilePathAnnotation, FileSearchToolCall, Message, RunStep } from "../../domain/objects.js";
import { containerFileName } from "../../records/container-records.js";
import type { Store } from "../../storage/store.js";
import { imageDataUrls, type ImageUrls } from "./image-data-urls.js";
import type { BlobStore } from "../../storage/blobs/blob-store.js";

/**
 * A thread seen as a conversation. Its item log orders three kinds of entries: messages (shown as message
 * items), tool-call steps of runs (each call a function_call item, followed by its function_call_output
 * once the output is known) and items stored as they came. Ids of the items a step shows are derived
 * from the call's id, so they stay the same however often the step is read.
 */

export const functionCallItemId = (callId: string) => `fc_${callId}`;
export const functionCallOutputItemId = (callId: string) => `fco_${callId}`;
export const fileSearchCallItemId = (callId: string) => `fs_${callId}`;

export const codeInterpreterCallItemId = (callId: string) => `ci_${callId}`;

/**
 * What an item list shows of a step: function outputs (a conversation), and, when a request asks with
 * `include`, search results and code outputs.
 */
export interface StepItemOptions {
  outputs: boolean;
  results?: boolean;
  /** Code outputs are shown when asked for: images by the URL this gives them. */
  codeOutputs?: ImageUrls | undefined;
}

/** What a request asked to see with `include`: file search results, code outputs (logs, and images by their URLs). */
export interface Included {
  results: boolean;
  codeOutputs: ImageUrls | undefined;
}

/** A request that asked to see nothing more. */
export const includeNothing: Included = { results: false, codeOutputs: undefined };

export function includedOf(values: readonly string[] | null | undefined, blobs: Pick<BlobStore, "open">): Included {
  return {
    results: values?.includes("file_search_call.results") === true,
    codeOutputs: values?.includes("code_interpreter_call.outputs") === true ? imageDataUrls(blobs) : undefined,
  };
}

/** Files named by citations, each looked up once per listing. */
export interface FileNames {
  /** A File's name ("" once it is gone). */
  (fileId: string): Promise<string>;
  /** A container file a `sandbox:` link of an answer points at; undefined once it is gone. */
  containerFile(fileId: string): Promise<ContainerFile | undefined>;
}

function cached<T>(load: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const known = new Map<string, Promise<T>>();
  return (id) => {
    let value = known.get(id);
    if (!value) known.set(id, (value = load(id)));
    return value;
  };
}

export function fileNames(store: Store): FileNames {
  const names = cached((fileId) => store.files.get(fileId).then((file) => file?.filename ?? ""));
  return Object.assign(names, { containerFile: cached((fileId) => store.containerFiles.get(fileId)) });
}

/** The container file citation a `file_path` annotation of a response's answer stands for, if its file is still there. */
export async function containerCitation(annotation: Pick<FilePathAnnotation, "file_path" | "start_index" | "end_index">, names: FileNames): Promise<ContainerFileCitation | undefined> {
  // Links of Assistants answers point at Files, never at container files.
  const file = annotation.file_path.file_id.startsWith(idPrefixes.containerFile) ? await names.containerFile(annotation.file_path.file_id) : undefined;
  if (!file) return undefined;
  return {
    type: "container_file_citation",
    container_id: file.container_id,
    file_id: file.id,
    filename: containerFileName(file),
    start_index: annotation.start_index,
    end_index: annotation.end_index,
  };
}

/** A turn's reasoning as Responses shows it: the backend's reasoning text; no summary is made of it. */
export function reasoningItem(reasoning: Reasoning, status: ReasoningItem["status"] = "completed"): ReasoningItem {
  return { type: "reasoning", id: reasoning.id, summary: [], content: [{ type: "reasoning_text", text: reasoning.text }], status };
}

/** An answer's annotation as Responses shows it; links to anything but container files have no Responses form. */
export async function outputAnnotation(annotation: Annotation, names: FileNames): Promise<OutputAnnotation | undefined> {
  if (annotation.type === "file_path") return containerCitation(annotation, names);
  const fileId = annotation.file_citation.file_id;
  return { type: "file_citation", file_id: fileId, filename: await names(fileId), index: annotation.end_index };
}

export async function messageItem(message: Message, names: FileNames): Promise<MessageItem> {
  const content: (InputContent | OutputContent)[] = [];
  for (const part of message.content) {
    if (part.type === "text" && message.role === "user") content.push({ type: "input_text", text: part.text.value });
    if (part.type === "text" && message.role === "assistant") {
      const annotations: OutputAnnotation[] = [];
      for (const annotation of part.text.annotations) {
        const citation = await outputAnnotation(annotation, names);
        if (citation) annotations.push(citation);
      }
      content.push({ type: "output_text", text: part.text.value, annotations, logprobs: [] });
    }
    if (part.type === "refusal") content.push({ type: "refusal", refusal: part.refusal });
    if (part.type === "image_url") content.push({ type: "input_image", image_url: part.image_url.url, file_id: null, detail: part.image_url.detail ?? "auto" });
    if (part.type === "image_file" && message.role === "user") {
      content.push({ type: "input_image", image_url: null, file_id: part.image_file.file_id, detail: part.image_file.detail ?? "auto" });
    }
  }
  // Files a message hands to the model whole (as input_file parts do) are its attachments for no tool.
  for (const attachment of message.role === "user" ? message.attachments : []) {
    if (attachment.tools.length === 0) content.push({ type: "input_file", file_id: attachment.file_id, filename: await names(attachment.file_id) });
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

/** Where an image a response's code showed can be downloaded (it is a file of the container). */
/**
 * A response's code_interpreter call; the executor records what it told the model once the code has run.
 * Its outputs only when asked for (`imageUrls`).
 */
export async function codeInterpreterItem(call: CodeInterpreterToolCall, step: RunStep, containerId: string, imageUrls: ImageUrls | undefined): Promise<CodeInterpreterCallItem> {
  const ran = call.id in step.model_outputs;
  const status = ran ? "completed" : step.status !== "in_progress" ? "incomplete" : call.code_interpreter.input ? "interpreting" : "in_progress";
  return {
    type: "code_interpreter_call",
    id: codeInterpreterCallItemId(call.id),
    status,
    container_id: containerId,
    code: call.code_interpreter.input,
    outputs: imageUrls
      ? await Promise.all(
          call.code_interpreter.outputs.map(async (output) =>
            output.type === "logs" ? { type: "logs" as const, logs: output.logs } : { type: "image" as const, url: await imageUrls(containerId, output.image.file_id) },
          ),
        )
      : null,
  };
}

/**
 * The function, file search and code interpreter calls of a tool-call step (code interpreter calls only
 * of responses, which have a container). With `outputs`, each function call known to have an output is
 * followed by it (a conversation shows both; a response's output shows only the calls).
 */
export async function stepItems(step: RunStep, options: StepItemOptions, containerId: string | null = null): Promise<ConversationItem[]> {
  if (step.step_details.type !== "tool_calls") return [];
  const items: ConversationItem[] = [];
  for (const call of step.step_details.tool_calls) {
    if (call.type === "file_search") items.push(fileSearchItem(call, step, options.results === true));
    if (call.type === "code_interpreter" && containerId) items.push(await codeInterpreterItem(call, step, containerId, options.codeOutputs));
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
  if (!step || step.status === "failed") return [];
  const ranCode = step.step_details.type === "tool_calls" && step.step_details.tool_calls.some((call) => call.type === "code_interpreter");
  const reasoning = step.reasoning ? [reasoningItem(step.reasoning)] : [];
  return [...reasoning, ...await stepItems(step, options, ranCode ? ((await store.responses.get(step.run_id))?.container_id ?? null) : null)];
}

/** Every item of the thread, oldest first. */
export async function conversationItems(store: Store, threadId: string, options: StepItemOptions = { outputs: true }): Promise<ConversationItem[]> {
  const names = fileNames(store);
  const items: ConversationItem[] = [];
  for (const entry of await store.threadItems.findAll({ parentId: threadId })) items.push(...(await entryItems(store, entry, names, options)));
  return items;
}
