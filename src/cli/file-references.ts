import type { Assistant, Message, RunStep, Thread } from "../domain/objects.js";

/**
 * Every File a thread's objects name, sorted: what the exporter collects (attachments, `image_file`
 * parts, `file_citation` and `file_path` annotations, code interpreter image outputs) plus what Spool's
 * threads also name (v1 `file_ids`, the thread's code interpreter files).
 */
export function threadFileIds(thread: Thread, messages: readonly Message[], steps: readonly RunStep[]): string[] {
  const ids = new Set(thread.tool_resources.code_interpreter?.file_ids ?? []);
  for (const message of messages) {
    for (const attachment of message.attachments) ids.add(attachment.file_id);
    for (const fileId of message.file_ids) ids.add(fileId);
    for (const part of message.content) {
      if (part.type === "image_file") ids.add(part.image_file.file_id);
      if (part.type !== "text") continue;
      for (const annotation of part.text.annotations) {
        ids.add(annotation.type === "file_citation" ? annotation.file_citation.file_id : annotation.file_path.file_id);
      }
    }
  }
  for (const step of steps) {
    if (step.step_details.type !== "tool_calls") continue;
    for (const call of step.step_details.tool_calls) {
      if (call.type !== "code_interpreter") continue;
      for (const output of call.code_interpreter.outputs) if (output.type === "image") ids.add(output.image.file_id);
    }
  }
  return [...ids].sort();
}

/** The Files an assistant names: its code interpreter files and its v1 `file_ids`. */
export function assistantFileIds(assistant: Assistant): string[] {
  return [...new Set([...(assistant.tool_resources.code_interpreter?.file_ids ?? []), ...assistant.file_ids])].sort();
}

/** The vector stores an assistant's or thread's `tool_resources` name. */
export function vectorStoreIdsOf(owner: Assistant | Thread): string[] {
  return owner.tool_resources.file_search?.vector_store_ids ?? [];
}

/**
 * What file search could read in a thread, as far as the export tells: files attached for `file_search`
 * (the hosted API put them in the thread's vector store) and cited files with the assistant whose run
 * cited them.
 */
export function fileSearchFiles(messages: readonly Message[]): { attached: string[]; cited: { fileId: string; assistantId: string | null }[] } {
  const attached = new Set<string>();
  const cited: { fileId: string; assistantId: string | null }[] = [];
  for (const message of messages) {
    for (const attachment of message.attachments) {
      if (attachment.tools.some((tool) => tool.type === "file_search")) attached.add(attachment.file_id);
    }
    for (const part of message.content) {
      if (part.type !== "text") continue;
      for (const annotation of part.text.annotations) {
        if (annotation.type === "file_citation") cited.push({ fileId: annotation.file_citation.file_id, assistantId: message.assistant_id });
      }
    }
  }
  return { attached: [...attached], cited };
}
