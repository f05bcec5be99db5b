import type { Assistant, Message, Run, Thread } from "../../../domain/objects.js";
import { uniqueFileName } from "../../../records/container-records.js";

/**
 * Every file the run's code may read, in a stable order: the assistant's and the thread's
 * `tool_resources.code_interpreter.file_ids`, files attached to the thread's messages for
 * `code_interpreter`, and the v1 `file_ids` of the run (the assistant's files when it was created) and of
 * the thread's messages (v1 files served retrieval and code_interpreter alike).
 */
export function inputFileIds(input: { run: Run; assistant: Assistant | undefined; thread: Thread; messages: Message[] }): string[] {
  const { run, assistant, thread, messages } = input;
  const attached = messages.flatMap((message) => [
    ...message.attachments.filter((attachment) => attachment.tools.some((tool) => tool.type === "code_interpreter")).map((attachment) => attachment.file_id),
    ...message.file_ids,
  ]);
  return [
    ...new Set([
      ...(assistant?.tool_resources.code_interpreter?.file_ids ?? []),
      ...(thread.tool_resources.code_interpreter?.file_ids ?? []),
      ...attached,
      ...run.file_ids,
    ]),
  ];
}

/**
 * The name a file gets under /mnt/data: its original name, without any directory part, or the File id
 * when nothing usable is left; a name another file of the session holds gets the id before the
 * extension (`data-file-abc.csv`). Container files are named the same way.
 */
export const sandboxFileName = uniqueFileName;
