import type { Run, RunStatus } from "../domain/objects.js";

/** A minimal stored run, for tests of storage and dispatch that need a run row. */
export function runFixture(id: string, threadId: string, status: RunStatus = "queued"): Run {
  return {
    id, object: "thread.run", created_at: 100, thread_id: threadId, assistant_id: "asst_1", status,
    required_action: null, last_error: null, expires_at: null, started_at: null, cancelled_at: null, failed_at: null,
    completed_at: null, incomplete_details: null, model: "m", instructions: "", tools: [], metadata: {}, usage: null,
    temperature: 1, top_p: 1, max_prompt_tokens: null, max_completion_tokens: null,
    truncation_strategy: { type: "auto", last_messages: null }, tool_choice: "auto", parallel_tool_calls: true,
    response_format: "auto", file_ids: [], include: [], reasoning_effort: null,
  };
}
