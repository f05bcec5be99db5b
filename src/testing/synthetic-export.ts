import fs from "node:fs";
import path from "node:path";
import { assistantObject, manifest, writeJsonFile } from "./assistants-export-fixture.js";

/**
 * A large export of plain conversations for benchmarks and load tests: `threads` threads, each with
 * `messagesPerThread` alternating user and assistant messages, every assistant message written by its own
 * completed run with one message_creation step.
 */
export function writeSyntheticExport(directory: string, options: { threads: number; messagesPerThread: number }): void {
  const assistantId = "asst_synthetic01";
  writeJsonFile(path.join(directory, "assistants.json"), [assistantObject({ id: assistantId, tool_resources: {}, tools: [] })]);
  fs.mkdirSync(path.join(directory, "threads"), { recursive: true });
  for (let index = 0; index < options.threads; index += 1) {
    const threadId = `thread_syn${String(index).padStart(8, "0")}`;
    const createdAt = 1_700_000_000 + index * 100;
    const messages = [];
    const runs = [];
    for (let position = 0; position < options.messagesPerThread; position += 1) {
      const role = position % 2 === 0 ? "user" : "assistant";
      const id = `msg_${threadId.slice(7)}m${String(position).padStart(3, "0")}`;
      const runId = role === "assistant" ? `run_${threadId.slice(7)}r${String(position).padStart(3, "0")}` : null;
      const at = createdAt + position;
      messages.push({
        id,
        object: "thread.message",
        created_at: at,
        assistant_id: role === "assistant" ? assistantId : null,
        thread_id: threadId,
        run_id: runId,
        role,
        content: [{ type: "text", text: { value: `${role} says something about topic ${position} of conversation ${index}.`, annotations: [] } }],
        attachments: [],
        metadata: {},
        status: "completed",
        incomplete_details: null,
        completed_at: at,
        incomplete_at: null,
      });
      if (!runId) continue;
      runs.push({
        id: runId,
        object: "thread.run",
        created_at: at - 1,
        assistant_id: assistantId,
        thread_id: threadId,
        status: "completed",
        started_at: at - 1,
        completed_at: at,
        model: "gpt-4o",
        instructions: "Answer briefly.",
        tools: [],
        metadata: {},
        usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 },
        steps: [
          {
            id: `step_${runId.slice(4)}`,
            object: "thread.run.step",
            created_at: at,
            run_id: runId,
            assistant_id: assistantId,
            thread_id: threadId,
            type: "message_creation",
            status: "completed",
            completed_at: at,
            step_details: { type: "message_creation", message_creation: { message_id: id } },
            usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 },
          },
        ],
      });
    }
    const record = {
      export_schema: "assistants-thread-export/v1",
      thread_id: threadId,
      exported_at: "2026-08-20T10:00:00+00:00",
      thread: { id: threadId, object: "thread", created_at: createdAt, metadata: { index: String(index) }, tool_resources: {} },
      messages,
      runs,
      files: {},
      errors: [],
    };
    fs.writeFileSync(path.join(directory, "threads", `${threadId}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
  writeJsonFile(path.join(directory, "manifest.json"), manifest(options.threads, [], 1));
}
